//! The one module that knows which YAML library reads front matter and the
//! site config. `serde_yaml` is unmaintained; swapping it touches only this file.

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
/// serde_yaml refuses alias expansion past a fixed repetition budget and
/// nesting past 128 levels, so a "billion laughs" document is an error here,
/// not an out-of-memory.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    // An empty document (only comments or nothing) deserializes as `null`,
    // which a struct with defaults should accept like `{}`.
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|error| {
        let line = error.location().map(|location| location.line());
        let mut message = error.to_string();
        // The library appends " at line L column C"; we report the line ourselves.
        if let Some(cut) = message.find(" at line ") {
            message.truncate(cut);
        }
        YamlError { line, message }
    })
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
    fn empty_document_is_an_empty_map() {
        let map: BTreeMap<String, String> = from_str("# only a comment\n").unwrap();
        assert!(map.is_empty());
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
        assert!(from_str::<serde_yaml::Value>(&doc).is_err());
    }
}
