//! Jekyll: `_config.yml` (or `_config.yaml`, or a bare `_posts/` folder);
//! posts are the files in every `_posts/` folder of the site.

use super::{
    FeedFormat, Keep, Kind, Rules, Source, SourceError, author, count, first_file, get, string,
};
use crate::config::Settings;
use serde_json::Value;
use std::path::Path;

/// The Jekyll config of `dir`, if it has one (or at least a `_posts/`).
pub fn find(dir: &Path) -> Option<Result<Source, SourceError>> {
    let path = first_file(dir, &["_config.yml", "_config.yaml"]);
    if path.is_none() && !dir.join("_posts").is_dir() {
        return None;
    }
    Some(read(dir, path.as_deref()))
}

fn read(dir: &Path, path: Option<&Path>) -> Result<Source, SourceError> {
    let text = match path {
        Some(path) => super::read_text(path)?,
        None => String::new(),
    };
    let value = match path {
        Some(path) => super::parse_config(path, &text)?,
        None => Value::Null,
    };
    Ok(Source {
        kind: Kind::Jekyll,
        settings: settings(&value),
        config_file: path.map_or_else(|| dir.join("_posts"), Path::to_path_buf),
        config_text: text,
        content: dir.to_path_buf(),
        keep: Keep::Posts,
        rules: Rules {
            kind: Kind::Jekyll,
            permalinks: string(&value, "permalink")
                .map(|p| vec![(String::new(), p)])
                .unwrap_or_default(),
            category_feeds: categories(&value),
            // The default separator, a blank line, gives the first
            // paragraph: almanac's own summary.
            excerpt_separator: string(&value, "excerpt_separator"),
            // jekyll-feed's Atom feed, at `feed.path` (default `feed.xml`).
            feeds: vec![(
                string(&value, "feed.path").unwrap_or_else(|| "feed.xml".into()),
                FeedFormat::Atom,
            )],
            ..Rules::new(Kind::Jekyll)
        },
        not_understood: not_understood(&value),
    })
}

fn settings(value: &Value) -> Settings {
    // The site's address is `url` followed by `baseurl` (a subpath).
    let base_url = string(value, "url").map(|url| {
        let sub = string(value, "baseurl").unwrap_or_default();
        format!("{}/{}", url.trim_end_matches('/'), sub.trim_matches('/'))
    });
    Settings {
        title: string(value, "title"),
        base_url,
        description: string(value, "description"),
        author: author(get(value, "author")),
        language: string(value, "lang"),
        timezone: string(value, "timezone"),
        // jekyll-feed's default `posts_limit` is 10.
        feed_limit: count(value, "feed.posts_limit").or(Some(10)),
        ..Settings::default()
    }
}

/// jekyll-feed's `feed.categories`, each at `feed/<category>.xml`.
fn categories(value: &Value) -> Vec<(String, String)> {
    let names = get(value, "feed.categories").and_then(Value::as_array);
    names
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|name| (format!("feed/{name}.xml"), name.to_string()))
        .collect()
}

fn not_understood(value: &Value) -> Vec<String> {
    ["collections", "defaults"]
        .iter()
        .filter(|key| get(value, key).is_some())
        .map(|key| format!("`{key}` is not followed"))
        .collect()
}
