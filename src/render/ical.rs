//! RFC 5545 content lines: TEXT escaping, parameter quoting, and folding.
//!
//! The `icalendar` crate's writer is not used: it invents a random UID and a
//! clock DTSTAMP when one is missing, passes bare CR and control characters
//! through TEXT, and decides fold points by character index on a byte
//! offset. These few functions are the whole of what we need instead.

/// RFC 5545 §3.1: a content line is at most 75 octets, CRLF excluded.
const MAX_OCTETS: usize = 75;

/// Accumulates a calendar as CRLF-terminated, folded content lines.
#[derive(Debug, Default)]
pub struct Lines {
    out: String,
}

impl Lines {
    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// A property whose value is already in its wire form (dates, URIs, numbers).
    pub fn raw(&mut self, name: &str, value: &str) {
        if name.len() + 1 + value.len() <= MAX_OCTETS {
            // Most lines: no fold, and no line built apart first.
            self.out.push_str(name);
            self.out.push(':');
            self.out.push_str(value);
            self.out.push_str("\r\n");
            return;
        }
        let mut line = String::with_capacity(name.len() + value.len() + 1);
        line.push_str(name);
        line.push(':');
        line.push_str(value);
        self.fold(&line);
    }

    /// A TEXT property, escaped (§3.3.11).
    pub fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape_text(value));
    }

    /// RFC 5545 §3.1: fold at 75 octets, never inside a UTF-8 sequence; a
    /// continuation line starts with one space, which counts in its 75.
    fn fold(&mut self, line: &str) {
        let mut rest = line;
        let mut limit = MAX_OCTETS;
        loop {
            if rest.len() <= limit {
                self.out.push_str(rest);
                self.out.push_str("\r\n");
                return;
            }
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            self.out.push_str(&rest[..cut]);
            self.out.push_str("\r\n ");
            rest = &rest[cut..];
            limit = MAX_OCTETS - 1;
        }
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// §3.3.11 TEXT: backslash, semicolon, comma and newline escaped; CRLF and
/// bare CR become a newline; other control characters are dropped (§3.1
/// forbids them in any value).
pub fn escape_text(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len() + 8);
    // Runs of ordinary bytes are copied whole; only the few special ones
    // are looked at (this runs for every property of every event, hundreds
    // of megabytes on a large site). Every special character is one ASCII
    // byte but U+FFFE and U+FFFF (EF BF BE, EF BF BF), so each cut falls
    // on a character boundary.
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        let (replacement, width) = match bytes[at] {
            b'\\' => ("\\\\", 1),
            b';' => ("\\;", 1),
            b',' => ("\\,", 1),
            b'\n' => ("\\n", 1),
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => ("", 1),
            b'\r' => ("\\n", 1),
            b'\t' => (" ", 1),
            b if crate::source::is_forbidden_byte(b) => ("", 1),
            0xef if matches!(bytes.get(at + 1..at + 3), Some([0xbf, 0xbe | 0xbf])) => ("", 3),
            _ => {
                at += 1;
                continue;
            }
        };
        out.push_str(&value[copied..at]);
        out.push_str(replacement);
        at += width;
        copied = at;
    }
    out.push_str(&value[copied..]);
    out
}

/// §3.2: a parameter value with `:`, `;` or `,` must be quoted; it can never
/// contain a DQUOTE or control character, so those are dropped.
pub fn param_value(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|&c| c != '"' && !c.is_control())
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_specials() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg\u{1}"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
    }

    #[test]
    fn drops_exactly_the_characters_no_output_may_carry() {
        let specials = ['\\', ';', ',', '\n', '\r', '\t'];
        let chars = (0..0x3100)
            .chain(0xfff0..0x10000)
            .filter_map(char::from_u32);
        for c in chars.filter(|c| !specials.contains(c)) {
            let dropped = escape_text(&c.to_string()).is_empty();
            assert_eq!(
                dropped,
                crate::source::is_forbidden_char(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn drops_noncharacters_and_keeps_their_neighbours() {
        assert_eq!(
            escape_text("a\u{fffe}b\u{ffff}c\u{fffd}\u{ef}\u{7f}開場"),
            "abc\u{fffd}\u{ef}開場"
        );
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut lines = Lines::default();
        let value = "開場・受付開始".repeat(10);
        lines.text("SUMMARY", &value);
        let out = lines.finish();
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical}",
                physical.len()
            );
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{value}\r\n"));
    }

    #[test]
    fn short_lines_are_untouched() {
        let mut lines = Lines::default();
        lines.raw("VERSION", "2.0");
        assert_eq!(lines.finish(), "VERSION:2.0\r\n");
    }

    #[test]
    fn parameter_values_are_quoted_when_needed() {
        assert_eq!(param_value("Asia/Tokyo"), "Asia/Tokyo");
        assert_eq!(param_value("a:b\"c"), "\"a:bc\"");
    }
}
