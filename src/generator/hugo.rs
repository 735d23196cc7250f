//! Hugo: `hugo.toml|yaml|json`, `config.toml|yaml|json` with Hugo's keys, or
//! a `config/_default/` folder; posts under `contentDir` (`content/`).

use super::{
    FeedFormat, Keep, Kind, Lists, Rules, Section, Source, SourceError, author, count, first_file,
    get, string,
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
    let mut text = super::read_text(path)?;
    let mut value = super::parse_config(path, &text)?;
    if path
        .parent()
        .is_some_and(|p| p.ends_with("config/_default"))
    {
        merge_folder(path, &mut value, &mut text)?;
    }
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
    let default = string(&value, "defaultContentLanguage")
        .unwrap_or_else(|| "en".into())
        .to_lowercase();
    let feed = format!(
        "{}.xml",
        string(&value, "outputFormats.RSS.baseName").unwrap_or_else(|| "index".into())
    );
    let rss = vec![(feed, FeedFormat::Rss)];
    // Each language may have its own `contentDir`; the content folder read
    // is the one above them all, and each page's language is the folder it
    // is in.
    let top = string(&value, "contentDir").unwrap_or_else(|| "content".into());
    let own_dir = |table: &Value| string(table, "contentDir");
    let others = super::other_languages(&value, &default);
    let default_dir = get(&value, &format!("languages.{default}"))
        .and_then(own_dir)
        .unwrap_or(top.clone());
    let dirs: Vec<&str> = std::iter::once(default_dir.as_str())
        .chain(
            others
                .iter()
                .filter_map(|(_, t)| get(t, "contentDir")?.as_str()),
        )
        .collect();
    let root = common_folder(&dirs);
    let under_root = |dir: &str| {
        let rest = clean(dir)[root.len()..].trim_start_matches('/').to_string();
        Some(rest).filter(|rest| !rest.is_empty() || root.is_empty())
    };
    let has_own_dirs = others.iter().any(|(_, t)| own_dir(t).is_some());
    let home = outputs_rss(&value, "home");
    let languages = others
        .iter()
        .map(|(code, table)| super::Language {
            code: code.clone(),
            title: string(table, "title"),
            feed_language: string(table, "languageCode").unwrap_or_else(|| code.clone()),
            feeds: if home { rss.clone() } else { Vec::new() },
            list_feeds: rss.clone(),
            content_dir: own_dir(table)
                .and_then(|dir| under_root(&dir))
                .filter(|_| has_own_dirs),
            taxonomy_feeds: Vec::new(),
        })
        .collect();
    let mut rules = Rules {
        kind: Kind::Hugo,
        permalinks: permalinks(&value),
        excerpt_separator: Some("<!--more-->".into()),
        feeds: if home { rss.clone() } else { Vec::new() },
        languages,
        default_folder: match get(&value, "defaultContentLanguageInSubdir").and_then(Value::as_bool)
        {
            Some(true) => format!("{default}/"),
            _ => String::new(),
        },
        default_content_dir: under_root(&default_dir).filter(|_| has_own_dirs),
        default_language: default,
        lists: Lists {
            feeds: rss,
            sections: outputs_rss(&value, "section") && !disabled(&value, "section"),
            taxonomies: match outputs_rss(&value, "term") && !disabled(&value, "term") {
                true => taxonomies(&value),
                false => Vec::new(),
            },
        },
        ..Rules::new(Kind::Hugo)
    };
    let content = dir.join(&root);
    // The folders with an `_index` page are sections of their own.
    let sections = super::section_pages(&content)
        .into_iter()
        .filter_map(|(path, _)| {
            let (_, within) = rules.language_of(&path)?;
            let folder = within.rsplit_once('/').map_or("", |(d, _)| d);
            Some(Section {
                folder: folder.to_lowercase(),
                ..Section::default()
            })
        })
        .filter(|s| !s.folder.is_empty())
        .collect();
    rules.sections = sections;
    Ok(Source {
        kind: Kind::Hugo,
        config_file: path.to_path_buf(),
        config_text: text,
        settings,
        content,
        keep: Keep::All,
        rules,
        not_understood: not_understood(&value),
    })
}

/// Hugo's config folder: beside `hugo.toml` (or `config.toml`), each
/// `<key>.toml|yaml|json` is that top-level key (`languages.toml`,
/// `params.yaml`), over what the main file sets. A file for one language
/// (`menus.en.toml`) says nothing almanac reads and is skipped. Their text
/// joins `text`, the cache's key.
fn merge_folder(main: &Path, value: &mut Value, text: &mut String) -> Result<(), SourceError> {
    let Some(folder) = main.parent() else {
        return Ok(());
    };
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for file in files.iter().filter(|f| f.as_path() != main && f.is_file()) {
        let Some(key) = file.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let known = matches!(
            file.extension().and_then(|e| e.to_str()),
            Some("toml" | "yaml" | "yml" | "json")
        );
        if !known || key.contains('.') || matches!(key, "hugo" | "config") {
            continue;
        }
        let own = super::read_text(file)?;
        let parsed = super::parse_config(file, &own)?;
        if let Some(table) = value.as_object_mut() {
            match (table.get_mut(key), parsed) {
                (Some(Value::Object(under)), Value::Object(over)) => under.extend(over),
                (_, parsed) => {
                    table.insert(key.to_string(), parsed);
                }
            }
        }
        text.push('\n');
        text.push_str(&own);
    }
    Ok(())
}

/// A folder path without `./` and slashes around it.
fn clean(dir: &str) -> &str {
    dir.trim_start_matches("./").trim_matches('/')
}

/// The deepest folder that holds every one of `dirs`.
fn common_folder(dirs: &[&str]) -> String {
    let split: Vec<Vec<&str>> = dirs
        .iter()
        .map(|d| clean(d).split('/').filter(|p| !p.is_empty()).collect())
        .collect();
    let first = split.first().cloned().unwrap_or_default();
    let mut shared = Vec::new();
    for (i, part) in first.iter().enumerate() {
        if split.iter().all(|parts| parts.get(i) == Some(part)) {
            shared.push(*part);
        } else {
            break;
        }
    }
    shared.join("/")
}

/// Whether the pages of `kind` have an RSS feed: Hugo gives home, section,
/// taxonomy and term pages one unless `outputs.<kind>` lists others.
fn outputs_rss(value: &Value, kind: &str) -> bool {
    let listed = get(value, &format!("outputs.{kind}")).or_else(|| {
        (kind == "term")
            .then(|| get(value, "outputs.taxonomy"))
            .flatten()
    });
    match listed.and_then(Value::as_array) {
        Some(formats) => formats
            .iter()
            .any(|f| f.as_str().is_some_and(|f| f.eq_ignore_ascii_case("rss"))),
        None => !disabled(value, "rss"),
    }
}

/// Whether `disableKinds` lists `kind`.
fn disabled(value: &Value, kind: &str) -> bool {
    get(value, "disableKinds")
        .and_then(Value::as_array)
        .is_some_and(|kinds| {
            kinds
                .iter()
                .any(|k| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(kind)))
        })
}

/// The taxonomies' front-matter keys (`[taxonomies]`' values, the plural
/// names); Hugo's default is `tags` and `categories`.
fn taxonomies(value: &Value) -> Vec<String> {
    match get(value, "taxonomies").and_then(Value::as_object) {
        Some(table) => table
            .values()
            .filter_map(|plural| plural.as_str().map(str::to_lowercase))
            .collect(),
        None => vec!["tags".into(), "categories".into()],
    }
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
