//! A site folder laid out for Hugo, Jekyll, Zola or Eleventy: which
//! generator it is for, read from its config file, and what that config
//! says in almanac's terms (title, base URL, language, zone, author, feed
//! limit, where the posts are). Nothing here reads a note: the content
//! folder and the settings feed the existing stages (docs/sources.md).

mod eleventy;
mod hugo;
mod jekyll;
mod page;
mod template;
mod zola;

pub use page::{FeedFormat, Language, Lists, Page, Rules, Section, dated, jekyll_dated};
pub use template::{render_templates, strip_templates};

use crate::config::{Author, Settings};
use serde_json::Value;
use std::fmt;
use std::path::{Path, PathBuf};

/// The generators whose layout and config almanac reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Hugo,
    Jekyll,
    Zola,
    Eleventy,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Hugo => "Hugo",
            Kind::Jekyll => "Jekyll",
            Kind::Zola => "Zola",
            Kind::Eleventy => "Eleventy",
        })
    }
}

/// Which files under the content folder are posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Every Markdown file (Hugo's and Zola's `content/`, Eleventy's input).
    All,
    /// Only files in a `_posts/` folder, at any depth (Jekyll).
    Posts,
    /// Those and the files in `_drafts/` (Jekyll's `--drafts`).
    PostsAndDrafts,
}

impl Keep {
    /// The same, with `--drafts`.
    pub fn with_drafts(self) -> Keep {
        match self {
            Keep::Posts => Keep::PostsAndDrafts,
            keep => keep,
        }
    }

    /// Whether the note at `relative` (under the content folder) is a post.
    pub fn keeps(self, relative: &str) -> bool {
        match self {
            Keep::All => {
                let name = relative.rsplit('/').next().unwrap_or(relative);
                // Hugo's and Zola's section pages in every language
                // (`_index.fr.md`) are lists, not posts; Eleventy's includes
                // and data, and installed packages, are never posts.
                !name.starts_with("_index.")
                    && !relative.split('/').any(|part| {
                        matches!(part, "node_modules" | "_includes" | "_data" | "_site")
                    })
            }
            Keep::Posts | Keep::PostsAndDrafts => {
                let mut parts = relative.split('/').rev().skip(1);
                let drafts = self == Keep::PostsAndDrafts;
                parts.any(|part| part == "_posts" || (drafts && part == "_drafts"))
            }
        }
    }
}

/// What a site folder's generator config gave.
#[derive(Debug, Clone)]
pub struct Source {
    pub kind: Kind,
    /// The config file read (for messages and the cache key).
    pub config_file: PathBuf,
    /// Its text, part of the cache's key.
    pub config_text: String,
    /// almanac's site keys as the generator's config sets them.
    pub settings: Settings,
    /// The folder the posts are under.
    pub content: PathBuf,
    pub keep: Keep,
    /// How its pages are placed.
    pub rules: Rules,
    /// What the config holds that almanac does not understand or cannot run,
    /// one sentence each, for the user to see.
    pub not_understood: Vec<String>,
}

/// A site folder that cannot be read as any generator's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError(pub String);

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Finds the generator of the site in `dir` by its config file and reads it.
pub fn detect(dir: &Path) -> Result<Source, SourceError> {
    if !dir.is_dir() {
        return Err(SourceError(format!(
            "{}: not a folder; --source names a site's root folder",
            dir.display()
        )));
    }
    let found = hugo::find(dir)
        .or_else(|| zola::find(dir))
        .or_else(|| jekyll::find(dir))
        .or_else(|| eleventy::find(dir));
    match found {
        Some(read) => read,
        None => Err(SourceError(format!(
            "{}: no site config found: looked for Hugo (hugo.toml, config.toml, config/_default/), \
             Zola (zola.toml, config.toml with base_url), Jekyll (_config.yml, _posts/) and \
             Eleventy (eleventy.config.js, .eleventy.js)",
            dir.display()
        ))),
    }
}

/// Reads a config file as text.
fn read_text(path: &Path) -> Result<String, SourceError> {
    let bytes = std::fs::read(path)
        .map_err(|error| SourceError(format!("{}: cannot read: {error}", path.display())))?;
    crate::source::decode(bytes)
        .map_err(|p| SourceError(format!("{}:{}: {}", path.display(), p.line, p.message)))
}

/// Parses a config text by its file's extension into a JSON value.
fn parse_config(path: &Path, text: &str) -> Result<Value, SourceError> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let at = |line: Option<usize>, message: String| {
        SourceError(format!(
            "{}:{}: {message}",
            path.display(),
            line.unwrap_or(1)
        ))
    };
    match extension {
        "toml" => crate::toml::from_str(text).map_err(|e| at(e.line, e.message)),
        "json" => serde_json::from_str(text).map_err(|e| at(Some(e.line()), e.to_string())),
        _ => crate::yaml::from_str(text).map_err(|e| at(e.line, e.message)),
    }
}

/// The value at a `.`-separated path, with keys matched without regard to
/// case (Hugo's keys are case-insensitive: `baseURL`, `baseurl`).
fn get<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |value, key| {
        value
            .as_object()?
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .map(|(_, value)| value)
    })
}

/// A string at `path`, trimmed, if not empty.
fn string(value: &Value, path: &str) -> Option<String> {
    get(value, path)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// A count at `path`; negative numbers (Hugo's `-1`, "no limit") are 0, all.
fn count(value: &Value, path: &str) -> Option<usize> {
    let value = get(value, path)?;
    value
        .as_u64()
        .map(|n| n as usize)
        .or_else(|| value.as_i64().map(|_| 0))
}

/// `author: Name`, `author: {name, email}` or a list of either (the first).
fn author(value: Option<&Value>) -> Option<Author> {
    match value? {
        Value::String(name) if !name.trim().is_empty() => Some(Author {
            name: name.trim().to_string(),
            ..Author::default()
        }),
        Value::Object(_) => {
            let value = value?;
            Some(Author {
                name: string(value, "name")?,
                email: string(value, "email"),
                url: string(value, "url"),
            })
        }
        Value::Array(items) => author(items.first()),
        _ => None,
    }
}

/// The `languages` table's entries other than `default`'s, code and
/// table, in the order the config lists them; a `disabled` one is left out.
fn other_languages<'v>(value: &'v Value, default: &str) -> Vec<(String, &'v Value)> {
    get(value, "languages")
        .and_then(Value::as_object)
        .map(|table| {
            table
                .iter()
                .filter(|(code, _)| !code.eq_ignore_ascii_case(default))
                .filter(|(_, table)| get(table, "disabled").and_then(Value::as_bool) != Some(true))
                .map(|(code, table)| (code.to_lowercase(), table))
                .collect()
        })
        .unwrap_or_default()
}

/// The section pages (`_index.md`, `_index.fr.md`) under `content`, by
/// path under it, each with its front matter (`Null` when unreadable: the
/// page is then a plain section). Hidden folders are not entered, nor
/// are links to folders, so a loop of links cannot hold the walk.
fn section_pages(content: &Path) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    let mut folders = vec![(content.to_path_buf(), String::new())];
    while let Some((dir, relative)) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = page_join(&relative, &name);
            if kind.is_dir() && !name.starts_with('.') {
                folders.push((entry.path(), path));
            } else if kind.is_file() && name.starts_with("_index.") {
                let front_matter = read_text(&entry.path())
                    .ok()
                    .and_then(|text| {
                        let parts = crate::source::split(&text).ok()?;
                        crate::note::front_matter::value(parts.front_matter, parts.format).ok()
                    })
                    .unwrap_or(Value::Null);
                found.push((path, front_matter));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// `a/b` of a folder path and a name under it.
fn page_join(dir: &str, name: &str) -> String {
    match dir {
        "" => name.to_string(),
        dir => format!("{dir}/{name}"),
    }
}

/// The first of `names` that is a file in `dir`.
fn first_file(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    names.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

#[cfg(test)]
mod tests;
