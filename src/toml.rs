//! The one module that knows which TOML library reads generator configs
//! and `+++` front matter, so its errors come out as a line and a message.

use serde::de::DeserializeOwned;

/// A TOML text that did not parse or fit the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlError {
    /// 1-based line inside the TOML text, when the parser knows it.
    pub line: Option<usize>,
    pub message: String,
}

/// Deserializes `text` into `T`, keeping the line of the first problem.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, TomlError> {
    toml::from_str(text).map_err(|error| {
        let line = error
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        TomlError {
            line,
            message: error.message().trim().to_string(),
        }
    })
}

/// Parses `text` into a JSON value, TOML's dates and times written as the
/// text TOML gives them (`2024-05-28T18:00:00`, `2024-04-16`), which the
/// date reader then reads like YAML's.
pub fn to_json(text: &str) -> Result<serde_json::Value, TomlError> {
    let value: toml::Value = from_str(text)?;
    Ok(json(value))
}

fn json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(n) => J::from(n),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(at) => J::String(at.to_string()),
        toml::Value::Array(items) => J::Array(items.into_iter().map(json).collect()),
        toml::Value::Table(table) => {
            J::Object(table.into_iter().map(|(k, v)| (k, json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn reports_the_line_of_an_error() {
        let error = from_str::<BTreeMap<String, String>>("a = 'b'\nc = [1, 2]\n").unwrap_err();
        assert_eq!(error.line, Some(2));
        let error = from_str::<BTreeMap<String, String>>("a = 'b'\n\nc = \n").unwrap_err();
        assert_eq!(error.line, Some(3));
    }

    #[test]
    fn dates_become_their_text() {
        let value = to_json("a = 2024-05-28T18:00:00\nb = 2024-04-16\n").unwrap();
        assert_eq!(value["a"], "2024-05-28T18:00:00");
        assert_eq!(value["b"], "2024-04-16");
    }
}
