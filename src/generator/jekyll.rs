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
    let own = own_feed(dir, &value);
    let mut settings = settings(&value);
    let mut feeds = vec![(
        string(&value, "feed.path").unwrap_or_else(|| "feed.xml".into()),
        FeedFormat::Atom,
    )];
    if let Some((path, format, limit)) = &own {
        settings.feed_limit = Some(limit.unwrap_or(0));
        feeds = vec![(path.clone(), *format)];
    }
    Ok(Source {
        kind: Kind::Jekyll,
        settings,
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
            // jekyll-feed's Atom feed, at `feed.path` (default `feed.xml`),
            // else the site's own feed template.
            feeds,
            // A site's own template names each post by its URL.
            post_ids: own.is_none(),
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

/// The feed a site writes with its own Liquid template, when jekyll-feed is
/// not among its plugins: a root `feed.xml` (or `atom.xml`, `rss.xml`,
/// `feed.rss`) with front matter, as jekyll-now and other starters ship.
/// Its path, its format, and the `limit:` its loop over the posts sets.
fn own_feed(dir: &Path, value: &Value) -> Option<(String, FeedFormat, Option<usize>)> {
    let uses_plugin = ["plugins", "gems"].iter().any(|key| {
        get(value, key)
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(|p| p.as_str() == Some("jekyll-feed")))
    });
    if uses_plugin {
        return None;
    }
    ["feed.xml", "atom.xml", "rss.xml", "feed.rss"]
        .iter()
        .find_map(|name| {
            let text = std::fs::read_to_string(dir.join(name)).ok()?;
            if !text.starts_with("---") {
                return None;
            }
            let format = match text.contains("<rss") {
                true => FeedFormat::Rss,
                false => FeedFormat::Atom,
            };
            let limit = text.find("limit:").and_then(|at| {
                let digits: String = text[at + 6..]
                    .trim_start()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                digits.parse().ok()
            });
            Some((name.to_string(), format, limit))
        })
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
