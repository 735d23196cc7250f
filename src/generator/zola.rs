//! Zola: `zola.toml` (else `config.toml` with `base_url`); posts under
//! `content/`.

use super::{
    FeedFormat, Keep, Kind, Rules, Source, SourceError, author, count, first_file, get, string,
};
use crate::config::Settings;
use serde_json::Value;
use std::path::Path;

/// The Zola config of `dir`, if it has one.
pub fn find(dir: &Path) -> Option<Result<Source, SourceError>> {
    let path = first_file(dir, &["zola.toml", "config.toml"])?;
    let text = match super::read_text(&path) {
        Ok(text) => text,
        Err(error) => return Some(Err(error)),
    };
    let value = match super::parse_config(&path, &text) {
        Ok(value) => value,
        Err(error) => return Some(Err(error)),
    };
    // A `config.toml` without `base_url` is Hugo's, not Zola's.
    get(&value, "base_url")?;
    Some(Ok(Source {
        kind: Kind::Zola,
        settings: settings(&value),
        config_file: path,
        config_text: text,
        content: dir.join("content"),
        keep: Keep::All,
        rules: Rules {
            kind: Kind::Zola,
            permalinks: Vec::new(),
            other_languages: super::other_languages(&value, ""),
            feeds: feeds(&value),
            category_feeds: Vec::new(),
            excerpt_separator: Some("<!-- more -->".into()),
        },
        not_understood: not_understood(&value),
    }))
}

/// `feed_filenames` (default `atom.xml`) when `generate_feeds` is set
/// (`generate_feed`/`feed_filename` before Zola 0.19).
fn feeds(value: &Value) -> Vec<(String, FeedFormat)> {
    let on = [get(value, "generate_feeds"), get(value, "generate_feed")]
        .into_iter()
        .flatten()
        .any(|v| v.as_bool() == Some(true));
    if !on {
        return Vec::new();
    }
    let names: Vec<String> = match get(value, "feed_filenames").and_then(Value::as_array) {
        Some(names) => names
            .iter()
            .filter_map(|n| n.as_str().map(String::from))
            .collect(),
        None => vec![string(value, "feed_filename").unwrap_or_else(|| "atom.xml".into())],
    };
    names
        .into_iter()
        .map(|name| {
            let format = if name.starts_with("rss") {
                FeedFormat::Rss
            } else {
                FeedFormat::Atom
            };
            (name, format)
        })
        .collect()
}

fn settings(value: &Value) -> Settings {
    Settings {
        title: string(value, "title"),
        base_url: string(value, "base_url"),
        description: string(value, "description"),
        author: author(get(value, "author")),
        language: string(value, "default_language"),
        // Zola reads dates without an offset as UTC and has no site zone.
        timezone: None,
        // Zola's feeds hold every page unless `feed_limit` is set.
        feed_limit: count(value, "feed_limit").or(Some(0)),
        ..Settings::default()
    }
}

fn not_understood(value: &Value) -> Vec<String> {
    let mut said = Vec::new();
    if get(value, "languages").is_some() {
        said.push("`languages`: only the default language's pages are published".into());
    }
    if get(value, "taxonomies").is_some() {
        said.push("`taxonomies`: only `tags` and `categories` become tag feeds".into());
    }
    said
}
