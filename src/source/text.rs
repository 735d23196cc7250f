//! A note's bytes as text: decoded, cleaned of what no output can carry,
//! and split into front matter and body.

use crate::problem::LineProblem;

/// Decodes a note's bytes: UTF-8 only, a leading BOM dropped, CRLF and bare
/// CR turned into LF, and the control characters XML 1.0 (§2.2) and
/// RFC 5545 (§3.3.11) cannot carry dropped, so no output can be broken by them.
pub fn decode(bytes: Vec<u8>) -> Result<String, LineProblem> {
    let mut text = String::from_utf8(bytes).map_err(|error| {
        let valid_up_to = error.utf8_error().valid_up_to();
        let valid = &error.as_bytes()[..valid_up_to];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        LineProblem::error(
            line,
            format!("not valid UTF-8 (byte offset {valid_up_to}); save the note as UTF-8"),
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if !needs_cleaning(&text) {
        return Ok(text);
    }
    let mut clean = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    clean.push('\n');
                }
            }
            '\n' | '\t' => clean.push(c),
            c if is_forbidden_char(c) => {}
            c => clean.push(c),
        }
    }
    Ok(clean)
}

/// Characters no output format may carry: C0 controls other than tab and
/// newline, DEL, and the noncharacters U+FFFE/U+FFFF.
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\u{80}'..='\u{9f}'))
        || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// Whether `b` is a forbidden character by itself (all but U+FFFE and
/// U+FFFF are single bytes): a C0 control other than tab and newline
/// (a CR too), or DEL. Without a short cut, so loops over it vectorize.
pub fn is_forbidden_byte(b: u8) -> bool {
    ((b < 0x20) & (b != b'\t') & (b != b'\n')) | (b == 0x7f)
}

/// Whether `text` holds a CR or a forbidden character: all of them but
/// U+FFFE and U+FFFF are single bytes, so most text is passed over bytewise
/// and copied whole.
fn needs_cleaning(text: &str) -> bool {
    // Whole chunks without a short cut, so the loop vectorizes; then one
    // byte search for each noncharacter (a set of chars would decode all).
    text.as_bytes().chunks(64).any(|chunk| {
        chunk
            .iter()
            .fold(false, |found, &b| found | is_forbidden_byte(b))
    }) || text.contains('\u{fffe}')
        || text.contains('\u{ffff}')
}

/// Removes forbidden characters from text that came from elsewhere than a
/// decoded file (YAML escapes such as `"\u0001"` can produce them).
pub fn clean_text(text: &str) -> String {
    let mut clean = text.to_string();
    clean_in_place(&mut clean);
    clean
}

/// `clean_text` without a copy when there is nothing to remove.
pub fn clean_in_place(text: &mut String) {
    if needs_cleaning(text) {
        text.retain(|c| !is_forbidden_char(c));
    }
}

/// A note split into its YAML front matter and Markdown body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts<'a> {
    pub front_matter: &'a str,
    /// The file line on which the front matter's first line stands.
    pub front_matter_line: usize,
    pub body: &'a str,
    /// The file line on which the body's first line stands.
    pub body_line: usize,
}

/// Splits decoded note text at the `---` fences.
pub fn split(text: &str) -> Result<Parts<'_>, LineProblem> {
    let first = text.lines().next().unwrap_or("");
    match first.trim_end() {
        "---" => {}
        "+++" => {
            return Err(LineProblem::error(
                1,
                "TOML front matter (`+++`) is not supported; convert it to YAML between `---` lines",
            ));
        }
        _ if text.trim().is_empty() => {
            return Err(LineProblem::error(
                1,
                "the note is empty; it needs front matter with a title and a date",
            ));
        }
        _ => {
            return Err(LineProblem::error(
                1,
                "missing front matter: a note starts with a `---` line, then YAML with `title` and `date`, then `---`",
            ));
        }
    }
    let start = first.len() + 1;
    let mut offset = start.min(text.len());
    for (line, raw) in (2..).zip(text[offset..].split_inclusive('\n')) {
        let fence = raw.trim_end();
        if fence == "---" || fence == "..." {
            let body_start = offset + raw.len();
            return Ok(Parts {
                front_matter: &text[start.min(text.len())..offset],
                front_matter_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += raw.len();
    }
    Err(LineProblem::error(
        1,
        "front matter opened here is never closed: add a line with `---` after the YAML",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_accepts_bom_and_crlf_and_drops_controls() {
        let text = decode(b"\xef\xbb\xbf---\r\ntitle: a\x01b\r\n---\rbody\x7f\n".to_vec()).unwrap();
        assert_eq!(text, "---\ntitle: ab\n---\nbody\n");
    }

    #[test]
    fn clean_text_passes_plain_text_and_drops_each_forbidden_character() {
        let plain = "開場\tdoors\n\u{85}C1 is kept";
        assert_eq!(clean_text(plain), plain);
        assert_eq!(decode(plain.as_bytes().to_vec()).unwrap(), plain);
        for bad in ['\0', '\u{1}', '\u{1f}', '\u{7f}', '\u{fffe}', '\u{ffff}'] {
            assert_eq!(clean_text(&format!("a{bad}b")), "ab", "{bad:?}");
            assert_eq!(decode(format!("a{bad}b").into_bytes()).unwrap(), "ab");
        }
        assert_eq!(clean_text("a\rb"), "ab", "a CR outside a decoded file");
    }

    #[test]
    fn decode_names_the_line_of_invalid_utf8() {
        let error = decode(b"---\ntitle: x\n\xff\n".to_vec()).unwrap_err();
        assert_eq!(error.line, 3);
    }

    #[test]
    fn split_finds_front_matter_and_body_lines() {
        let parts = split("---\ntitle: x\ndate: 2019-11-26\n---\n\n## 19:00 Doors\n").unwrap();
        assert_eq!(parts.front_matter, "title: x\ndate: 2019-11-26\n");
        assert_eq!(parts.front_matter_line, 2);
        assert_eq!(parts.body, "\n## 19:00 Doors\n");
        assert_eq!(parts.body_line, 5);
    }

    #[test]
    fn split_without_body_or_final_newline() {
        let parts = split("---\ntitle: x\n---").unwrap();
        assert_eq!(parts.body, "");
    }

    #[test]
    fn unclosed_front_matter_gets_a_hint() {
        let error = split("---\ntitle: x\n\nbody\n").unwrap_err();
        assert!(error.message.contains("never closed"));
    }

    #[test]
    fn toml_and_missing_front_matter_are_explained() {
        assert!(
            split("+++\ntitle = 'x'\n+++\n")
                .unwrap_err()
                .message
                .contains("TOML")
        );
        assert!(
            split("# Just markdown\n")
                .unwrap_err()
                .message
                .contains("missing front matter")
        );
        assert!(split("").unwrap_err().message.contains("empty"));
    }
}
