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
}
