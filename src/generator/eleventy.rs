//! Eleventy: `eleventy.config.js|mjs|cjs` or `.eleventy.js` (or a
//! `package.json` that depends on `@11ty/eleventy`). The config is a
//! program, which almanac does not run: only literal `key: "value"` options
//! are read from it (`dir.input`, the feed plugin's `base`, `title`,
//! `language`, `limit`); the site data `_data/metadata.json` gives the rest.

use super::{FeedFormat, Keep, Kind, Rules, Source, SourceError, author, first_file, get, string};
use crate::config::Settings;
use serde_json::Value;
use std::path::Path;

const NAMES: [&str; 4] = [
    "eleventy.config.js",
    "eleventy.config.mjs",
    "eleventy.config.cjs",
    ".eleventy.js",
];

/// The Eleventy config of `dir`, if it has one.
pub fn find(dir: &Path) -> Option<Result<Source, SourceError>> {
    let path = first_file(dir, &NAMES).or_else(|| {
        let package = dir.join("package.json");
        let text = std::fs::read_to_string(&package).ok()?;
        text.contains("\"@11ty/eleventy\"").then_some(package)
    })?;
    Some(read(dir, &path))
}

fn read(dir: &Path, path: &Path) -> Result<Source, SourceError> {
    let text = super::read_text(path)?;
    let script = if path.ends_with("package.json") {
        ""
    } else {
        text.as_str()
    };
    let input = literal(script, "input").unwrap_or_else(|| ".".into());
    let content = dir.join(&input);
    let data = literal(script, "data").unwrap_or_else(|| "_data".into());
    let metadata = metadata(&content.join(&data))?;
    let feed_limit = literal(script, "limit").and_then(|n| n.parse().ok());
    let settings = Settings {
        title: literal(script, "title").or_else(|| string(&metadata, "title")),
        base_url: literal(script, "base")
            .or_else(|| string(&metadata, "url"))
            .or_else(|| string(&metadata, "base")),
        description: literal(script, "subtitle").or_else(|| string(&metadata, "description")),
        author: author(get(&metadata, "author")),
        language: literal(script, "language").or_else(|| string(&metadata, "language")),
        timezone: None,
        feed_limit: feed_limit.or(Some(0)),
        ..Settings::default()
    };
    Ok(Source {
        kind: Kind::Eleventy,
        config_file: path.to_path_buf(),
        config_text: text.clone(),
        settings,
        content,
        keep: Keep::All,
        rules: Rules {
            kind: Kind::Eleventy,
            permalinks: folder_data(&dir.join(&input), "", 0),
            feeds: plugin_feeds(script),
            category_feeds: Vec::new(),
            ..Rules::new(Kind::Eleventy)
        },
        not_understood: not_understood(script),
    })
}

/// Each folder's `<folder>.11tydata.json` permalink, by folder path under
/// the input folder (directory data files apply to every page below).
fn folder_data(dir: &Path, relative: &str, depth: usize) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && depth < 16 && !name.starts_with(['.', '_']) && name != "node_modules" {
            let below = super::page_join(relative, &name);
            let data = entry.path().join(format!("{name}.11tydata.json"));
            let permalink = std::fs::read_to_string(&data)
                .ok()
                .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                .and_then(|value| string(&value, "permalink"));
            found.extend(permalink.map(|p| (below.clone(), p)));
            found.extend(folder_data(&entry.path(), &below, depth + 1));
        }
    }
    found
}

/// Each feed plugin's literal `type` (`atom`, `rss`, `json`) and
/// `outputPath`.
fn plugin_feeds(script: &str) -> Vec<(String, FeedFormat)> {
    script
        .split("addPlugin(feedPlugin")
        .skip(1)
        .filter_map(|options| {
            let options = options.split("addPlugin(").next().unwrap_or(options);
            let path = literal(options, "outputPath")?;
            let format = match literal(options, "type").as_deref() {
                Some("rss") => FeedFormat::Rss,
                Some("json") => FeedFormat::Json,
                _ => FeedFormat::Atom,
            };
            Some((path.trim_start_matches('/').to_string(), format))
        })
        .collect()
}

/// `_data/metadata.json` as a value (`Null` when absent).
fn metadata(data: &Path) -> Result<Value, SourceError> {
    let path = data.join("metadata.json");
    if !path.is_file() {
        return Ok(Value::Null);
    }
    let text = super::read_text(&path)?;
    super::parse_config(&path, &text)
}

/// The first `key: "value"` (or `key: 6`) written literally in a script.
pub fn literal(script: &str, key: &str) -> Option<String> {
    let mut rest = script;
    while let Some(at) = rest.find(key) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + key.len()..].trim_start();
        rest = &rest[at + key.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let Some(value) = after.strip_prefix(':') else {
            continue;
        };
        let value = value.trim_start();
        if let Some(quote) = value
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        {
            let inner = &value[1..];
            if let Some(end) = inner.find(quote) {
                return Some(inner[..end].to_string());
            }
        }
        let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            return Some(digits);
        }
    }
    None
}

/// Each `eleventyConfig.addX(...)` call other than the feed plugin: code
/// that is not run, so what it does to pages is not followed.
fn not_understood(script: &str) -> Vec<String> {
    let mut said: Vec<String> = Vec::new();
    for (at, _) in script.match_indices("eleventyConfig.") {
        let call: String = script[at + "eleventyConfig.".len()..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        let is_feed = call == "addPlugin"
            && script[at..]
                .split(')')
                .next()
                .is_some_and(|c| c.contains("feedPlugin"));
        let sentence = format!("`{call}` is JavaScript and is not run");
        if !call.is_empty() && !is_feed && !said.contains(&sentence) {
            said.push(sentence);
        }
    }
    said
}
