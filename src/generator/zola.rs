//! Zola: `zola.toml` (else `config.toml` with `base_url`); posts under
//! `content/`.

use super::{
    FeedFormat, Keep, Kind, Lists, Rules, Section, Source, SourceError, author, count, first_file,
    get, string,
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
    let default = string(&value, "default_language").unwrap_or_else(|| "en".into());
    let content = dir.join("content");
    let site_feeds = feeds(&value);
    let languages = super::other_languages(&value, &default)
        .into_iter()
        .map(|(code, table)| {
            // A language's own `feed_filenames` default to `atom.xml`
            // alone, not to the site's.
            let names = feed_names(table);
            super::Language {
                title: string(table, "title"),
                feed_language: code.clone(),
                feeds: match on(table) {
                    true => names.clone(),
                    false => Vec::new(),
                },
                list_feeds: names,
                content_dir: None,
                taxonomy_feeds: taxonomy_feeds(table),
                code,
            }
        })
        .collect();
    let mut rules = Rules {
        kind: Kind::Zola,
        languages,
        default_language: default,
        lists: Lists {
            feeds: feed_names(&value),
            sections: false,
            taxonomies: taxonomy_feeds(&value),
        },
        feeds: site_feeds,
        excerpt_separator: Some("<!-- more -->".into()),
        ..Rules::new(Kind::Zola)
    };
    rules.sections = super::section_pages(&content)
        .into_iter()
        .map(|(path, fm)| {
            let (folder, name) = path.rsplit_once('/').unwrap_or(("", &path));
            // `_index.fr.md` is the French page of its section.
            let language = name
                .strip_prefix("_index.")
                .and_then(|rest| rest.rsplit_once('.'))
                .map(|(code, _)| code.to_string())
                .filter(|code| rules.languages.iter().any(|l| l.code == *code));
            let flag = |key: &str| get(&fm, key).and_then(Value::as_bool) == Some(true);
            Section {
                folder: folder.to_string(),
                language,
                feeds: flag("generate_feeds") || flag("generate_feed"),
                transparent: flag("transparent"),
                draft: flag("draft"),
            }
        })
        .collect();
    Some(Ok(Source {
        kind: Kind::Zola,
        settings: settings(&value),
        config_file: path,
        config_text: text,
        content,
        keep: Keep::All,
        rules,
        not_understood: not_understood(&value),
    }))
}

/// Whether `table` turns feeds on (`generate_feeds`, `generate_feed`
/// before Zola 0.19).
fn on(table: &Value) -> bool {
    [get(table, "generate_feeds"), get(table, "generate_feed")]
        .into_iter()
        .flatten()
        .any(|v| v.as_bool() == Some(true))
}

/// The names of the taxonomies in `table` with `feed = true` (`rss = true`
/// before Zola 0.15).
fn taxonomy_feeds(table: &Value) -> Vec<String> {
    get(table, "taxonomies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|t| on_key(t, "feed") || on_key(t, "rss"))
        .filter_map(|t| string(t, "name"))
        .collect()
}

fn on_key(table: &Value, key: &str) -> bool {
    get(table, key).and_then(Value::as_bool) == Some(true)
}

/// `feed_filenames` (default `atom.xml`) when `generate_feeds` is set
/// (`generate_feed`/`feed_filename` before Zola 0.19).
fn feeds(value: &Value) -> Vec<(String, FeedFormat)> {
    match on(value) {
        true => feed_names(value),
        false => Vec::new(),
    }
}

/// The feed file names of `table` (`feed_filenames`, else the older
/// `feed_filename`, else `atom.xml`), each with its format.
fn feed_names(value: &Value) -> Vec<(String, FeedFormat)> {
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
    if get(value, "taxonomies").is_some() {
        said.push(
            "`taxonomies`: only `tags` become almanac's own tag feeds (each taxonomy with `feed = true` has its feeds at its own paths)".into(),
        );
    }
    said
}
