//! Hugo: `hugo.toml|yaml|json`, `config.toml|yaml|json` with Hugo's keys, or
//! a `config/_default/` folder; posts under `contentDir` (`content/`).

use super::{
    FeedFormat, Keep, Kind, Rules, Source, SourceError, author, count, first_file, get, string,
};
use crate::config::Settings;
use serde_json::Value;
use std::path::{Path, PathBuf};

const NAMES: [&str; 3] = ["hugo.toml", "hugo.yaml", "hugo.json"];
const LEGACY: [&str; 4] = ["config.toml", "config.yaml", "config.yml", "config.json"];

/// The Hugo config of `dir`, if it has one.
pub fn find(dir: &Path) -> Option<Result<Source, SourceError>> {
    let path = config_file(dir)?;
    Some(read(dir, &path))
}

fn config_file(dir: &Path) -> Option<PathBuf> {
    if let Some(path) = first_file(dir, &NAMES) {
        return Some(path);
    }
    if let Some(path) = first_file(dir, &LEGACY) {
        // Zola also names its config `config.toml`; Hugo's spells the base
        // URL `baseURL` where Zola's has `base_url`.
        let text = super::read_text(&path).ok()?;
        let value = super::parse_config(&path, &text).ok()?;
        return (get(&value, "baseurl").is_some() && get(&value, "base_url").is_none())
            .then_some(path);
    }
    let folder = dir.join("config").join("_default");
    first_file(&folder, &NAMES).or_else(|| first_file(&folder, &LEGACY))
}

fn read(dir: &Path, path: &Path) -> Result<Source, SourceError> {
    let text = super::read_text(path)?;
    let value = super::parse_config(path, &text)?;
    let settings = Settings {
        title: string(&value, "title").or_else(|| {
            let code = string(&value, "defaultContentLanguage").unwrap_or_else(|| "en".into());
            string(&value, &format!("languages.{code}.title"))
        }),
        base_url: string(&value, "baseURL"),
        description: string(&value, "params.description").or_else(|| string(&value, "description")),
        author: author(get(&value, "params.author")).or_else(|| author(get(&value, "author"))),
        // Hugo's `languageCode` is the feed's language (its RSS template
        // prints it); the default language's own code wins when set.
        language: language(&value),
        timezone: string(&value, "timeZone"),
        // Hugo's default is every page (docs/sources.md).
        feed_limit: count(&value, "services.rss.limit")
            .or_else(|| count(&value, "rssLimit"))
            .or(Some(0)),
        ..Settings::default()
    };
    let content = dir.join(string(&value, "contentDir").unwrap_or_else(|| "content".into()));
    Ok(Source {
        kind: Kind::Hugo,
        config_file: path.to_path_buf(),
        config_text: text,
        settings,
        content,
        keep: Keep::All,
        rules: Rules {
            kind: Kind::Hugo,
            permalinks: permalinks(&value),
            category_feeds: Vec::new(),
            excerpt_separator: Some("<!--more-->".into()),
            feeds: vec![(
                format!(
                    "{}.xml",
                    string(&value, "outputFormats.RSS.baseName").unwrap_or_else(|| "index".into())
                ),
                FeedFormat::Rss,
            )],
            other_languages: super::other_languages(
                &value,
                &string(&value, "defaultContentLanguage").unwrap_or_else(|| "en".into()),
            ),
        },
        not_understood: not_understood(&value),
    })
}

/// `[permalinks]`: section → pattern (also the newer `[permalinks.page]`).
fn permalinks(value: &Value) -> Vec<(String, String)> {
    let Some(table) = get(value, "permalinks").and_then(Value::as_object) else {
        return Vec::new();
    };
    let page = table.get("page").and_then(Value::as_object);
    table
        .iter()
        .chain(page.into_iter().flatten())
        .filter_map(|(section, pattern)| Some((section.clone(), pattern.as_str()?.to_string())))
        .collect()
}

fn language(value: &Value) -> Option<String> {
    let default = string(value, "defaultContentLanguage");
    default
        .as_deref()
        .and_then(|code| string(value, &format!("languages.{code}.languageCode")))
        .or_else(|| string(value, "languageCode"))
        .or(default)
}

/// Keys that change which pages exist or where they go, which almanac does
/// not follow yet: said, so a difference from Hugo's feed is no surprise.
fn not_understood(value: &Value) -> Vec<String> {
    ["uglyURLs", "outputFormats", "module", "frontmatter"]
        .iter()
        .filter(|key| get(value, key).is_some())
        .map(|key| format!("`{key}` is not followed"))
        .collect()
}
