//! The one module that knows which YAML library reads front matter and the
//! site config. `serde_yaml` is deprecated; its maintained fork `serde_norway` reads it
//! here, and swapping it again touches only this file.

use serde::de::DeserializeOwned;

/// A YAML document that did not fit the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line inside the YAML text, when the parser knows it.
    pub line: Option<usize>,
    pub message: String,
}

/// Deserializes `text` into `T`, keeping the line of the first problem.
///
/// serde_norway (as serde_yaml before it) refuses alias expansion past a fixed repetition budget and
/// nesting past 128 levels, so a "billion laughs" document is an error here,
/// not an out-of-memory.
/// Deepest nesting accepted, in flow brackets or block indentation levels.
pub const MAX_DEPTH: usize = 64;

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    check_depth(text)?;
    // An empty document (only comments or nothing) deserializes as `null`,
    // which a struct with defaults should accept like `{}`.
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_norway::from_str(text).map_err(|error| {
        let line = error.location().map(|location| location.line());
        let mut message = error.to_string();
        // The library appends " at line L column C"; we report the line ourselves.
        if let Some(cut) = message.find(" at line ") {
            message.truncate(cut);
        }
        let line = duplicate_line(text, &message).or(line);
        YamlError {
            line,
            message: plain(message),
        }
    })
}

/// For a key written twice, the line of its second writing (the library
/// names the map's first line).
fn duplicate_line(text: &str, message: &str) -> Option<usize> {
    let key = message
        .strip_prefix("duplicate field `")?
        .split('`')
        .next()?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .nth(1)
        .map(|(index, _)| index + 1)
}

/// A library message in a writer's words where it has a common shape.
fn plain(message: String) -> String {
    match message
        .strip_prefix("duplicate field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        Some(key) => format!("`{key}` is written twice; keep one"),
        None => message,
    }
}

/// Refuses documents nested deeper than [`MAX_DEPTH`] before parsing them:
/// serde_norway skips ignored keys at any depth, and front matter is no place
/// for a structure that deep.
fn check_depth(text: &str) -> Result<(), YamlError> {
    let mut flow = 0usize;
    for (index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let mut deepest = flow;
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (Some(open), c) if c == open => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => {
                    flow += 1;
                    deepest = deepest.max(flow);
                }
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
        if deepest > MAX_DEPTH || indent / 2 > MAX_DEPTH {
            return Err(YamlError {
                line: Some(index + 1),
                message: format!("nested deeper than {MAX_DEPTH} levels"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn reports_the_line_of_a_type_error() {
        let error = from_str::<BTreeMap<String, String>>("a: b\nc: [1, 2]\n").unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(!error.message.contains("at line"), "{}", error.message);
    }

    #[test]
    fn a_key_written_twice_is_said_so() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Titled {
            title: String,
        }
        let error = from_str::<Titled>("title: a\ntitle: b\n").unwrap_err();
        assert_eq!(error.message, "`title` is written twice; keep one");
        assert_eq!(error.line, Some(2));
    }

    #[test]
    fn empty_document_is_an_empty_map() {
        let map: BTreeMap<String, String> = from_str("# only a comment\n").unwrap();
        assert!(map.is_empty());
    }

    #[test]
    fn deep_nesting_is_refused_with_its_line() {
        let deep = format!("a: 1\nb: {}{}\n", "[".repeat(100), "]".repeat(100));
        let error = from_str::<serde_norway::Value>(&deep).unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(from_str::<serde_norway::Value>("a: \"[[[[\"\nb: [[1]]\n").is_ok());
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut doc =
            String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            doc.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        assert!(from_str::<serde_norway::Value>(&doc).is_err());
    }
}
