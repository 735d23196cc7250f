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

/// The language a note's front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines (Hugo, Zola).
    Toml,
    /// A JSON object opening the file (Hugo), or between `---json` and `---`
    /// (Eleventy).
    Json,
    /// `Title: …` and `Date: …` lines opening the file, up to a blank line
    /// (Pelican, MultiMarkdown) or a `---` line (Statiq).
    Metadata,
}

/// A note split into its front matter and Markdown body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts<'a> {
    pub front_matter: &'a str,
    pub format: Format,
    /// The file line on which the front matter's first line stands.
    pub front_matter_line: usize,
    pub body: &'a str,
    /// The file line on which the body's first line stands.
    pub body_line: usize,
}

/// Splits decoded note text into front matter and body: YAML between `---`
/// fences, TOML between `+++` (blank lines before it allowed, as Zola
/// does), a JSON object, or `---json` (docs/format.md, "Notes").
pub fn split(text: &str) -> Result<Parts<'_>, LineProblem> {
    let first = text.lines().next().unwrap_or("");
    let blank = text.lines().take_while(|l| l.trim().is_empty()).count();
    let toml_after_blanks = blank > 0
        && text
            .lines()
            .nth(blank)
            .is_some_and(|l| l.trim_end() == "+++");
    match first.trim_end() {
        "---" => fenced(text, 0, Format::Yaml, &["---", "..."]),
        "---json" => fenced(text, 0, Format::Json, &["---"]),
        "+++" => fenced(text, 0, Format::Toml, &["+++"]),
        _ if toml_after_blanks => fenced(text, blank, Format::Toml, &["+++"]),
        "---js" | "---javascript" => Err(LineProblem::error(
            1,
            "JavaScript front matter (`---js`) is not read: almanac never runs code; \
             write it as YAML between `---` lines or as JSON after `---json`",
        )),
        line if line.starts_with('{') => json_object(text),
        _ if let Some(parts) = metadata_lines(text) => Ok(parts),
        _ if text.trim().is_empty() => Err(LineProblem::error(
            1,
            "the note is empty; it needs front matter with a title and a date",
        )),
        _ => Err(LineProblem::error(
            1,
            "missing front matter: a note starts with a `---` line, then YAML with `title` and `date`, then `---`",
        )),
    }
}

/// `Title: Meetup` / `Date: 2023-08-04` / `Tags: a, b` lines opening a
/// note, as Pelican and MultiMarkdown write metadata, ended by a blank line
/// or a `---` line: front matter when a title or a date is among them.
fn metadata_lines(text: &str) -> Option<Parts<'_>> {
    let is_key = |line: &str| {
        line.split_once(':').is_some_and(|(key, value)| {
            !key.is_empty()
                && key.len() <= 32
                && key.starts_with(|c: char| c.is_ascii_alphabetic())
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-'))
                && (value.is_empty() || value.starts_with(' '))
        })
    };
    let mut offset = 0;
    let mut keys = Vec::new();
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let line = raw.trim_end();
        if line.is_empty() || line == "---" {
            let named = keys
                .iter()
                .any(|key: &String| key == "title" || key == "date");
            return named.then(|| Parts {
                front_matter: &text[..offset],
                format: Format::Metadata,
                front_matter_line: 1,
                body: &text[offset + raw.len()..],
                body_line: index + 2,
            });
        }
        if !is_key(line) {
            return None;
        }
        keys.push(line.split(':').next().unwrap_or("").trim().to_lowercase());
        offset += raw.len();
    }
    None
}

/// Front matter between an opening fence on line `skip + 1` and the first
/// of `closing`.
fn fenced<'a>(
    text: &'a str,
    skip: usize,
    format: Format,
    closing: &[&str],
) -> Result<Parts<'a>, LineProblem> {
    let opening: usize = text
        .split_inclusive('\n')
        .take(skip + 1)
        .map(str::len)
        .sum();
    let start = opening.min(text.len());
    let mut offset = start;
    for (line, raw) in (skip + 2..).zip(text[offset..].split_inclusive('\n')) {
        if closing.contains(&raw.trim_end()) {
            let body_start = offset + raw.len();
            return Ok(Parts {
                front_matter: &text[start..offset],
                format,
                front_matter_line: skip + 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += raw.len();
    }
    let fence = closing[0];
    let language = match format {
        Format::Yaml => "YAML",
        Format::Toml => "TOML",
        Format::Json => "JSON",
        Format::Metadata => "metadata",
    };
    Err(LineProblem::error(
        skip + 1,
        format!(
            "front matter opened here is never closed: add a line with `{fence}` after the {language}"
        ),
    ))
}

/// Hugo's JSON front matter: an object opening the file, the body after
/// the line its closing brace ends.
fn json_object(text: &str) -> Result<Parts<'_>, LineProblem> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (at, c) in text.char_indices() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (true, false, _) => {}
            (false, _, '"') => in_string = true,
            (false, _, '{') => depth += 1,
            (false, _, '}') => {
                depth -= 1;
                if depth == 0 {
                    let end = at + 1;
                    let body_start = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
                    return Ok(Parts {
                        front_matter: &text[..end],
                        format: Format::Json,
                        front_matter_line: 1,
                        body: &text[body_start..],
                        body_line: text[..body_start].matches('\n').count() + 1,
                    });
                }
            }
            _ => {}
        }
    }
    Err(LineProblem::error(
        1,
        "JSON front matter opened here is never closed: end the object with `}`",
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
    fn toml_json_and_eleventy_json_are_split() {
        let parts = split("\n\n+++\ntitle = 'x'\n+++\nbody\n").unwrap();
        assert_eq!(
            (parts.format, parts.front_matter),
            (Format::Toml, "title = 'x'\n")
        );
        assert_eq!((parts.front_matter_line, parts.body_line), (4, 6));
        let parts = split("{\n  \"title\": \"a } b\"\n}\n\nbody\n").unwrap();
        assert_eq!(parts.format, Format::Json);
        assert_eq!(parts.front_matter, "{\n  \"title\": \"a } b\"\n}");
        assert_eq!((parts.body, parts.body_line), ("\nbody\n", 4));
        let parts = split("---json\n{\"title\": \"x\"}\n---\nbody\n").unwrap();
        assert_eq!((parts.format, parts.body_line), (Format::Json, 4));
    }

    #[test]
    fn javascript_and_missing_front_matter_are_explained() {
        assert!(
            split("---js\n{ title: 'x' }\n---\n")
                .unwrap_err()
                .message
                .contains("never runs code")
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
