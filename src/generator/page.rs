//! Each generator's rules for one page: whether it is a post of the feed,
//! the date its file name gives, and the URL path the generator gives it
//! (docs/sources.md, "Pages").

use super::Kind;
use serde_json::Value;

/// What a generator's rules need of its config to place pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub kind: Kind,
    /// Permalink patterns: by section for Hugo (`posts` → `/:year/:slug/`),
    /// the site's one under `""` for Jekyll, by folder for Eleventy's
    /// directory data (`blog` → `/blog/{{ page.fileSlug }}/`).
    pub permalinks: Vec<(String, String)>,
    /// The languages other than the default one (Hugo, Zola): `post.fr.md`
    /// is a translation, published in that language's own feeds.
    pub languages: Vec<Language>,
    /// The default language's code (Hugo's `defaultContentLanguage`,
    /// Zola's `default_language`): `post.en.md` is its page.
    pub default_language: String,
    /// Hugo's `defaultContentLanguageInSubdir`: the default language's
    /// pages and feeds under `<code>/` too.
    pub default_folder: String,
    /// The default language's own content folder under the content
    /// folder, when languages have their own (Hugo's per-language
    /// `contentDir`).
    pub default_content_dir: Option<String>,
    /// The folders that are sections (Hugo: every top-level folder and
    /// those with an `_index.md`; Zola: those with an `_index.md`), with
    /// what their `_index` front matter says.
    pub sections: Vec<Section>,
    /// The list feeds the generator writes for a page beside the site
    /// feed: sections, taxonomy terms.
    pub lists: Lists,
    /// The site feeds the generator writes, by path under the site's root,
    /// published too so their subscribers keep their entries
    /// (docs/sources.md, "Switching").
    pub feeds: Vec<(String, FeedFormat)>,
    /// Atom feeds of one category each, by path (jekyll-feed's
    /// `feed.categories`: `feed/<category>.xml`).
    pub category_feeds: Vec<(String, String)>,
    /// Entries are known by jekyll-feed's post id (Jekyll with
    /// jekyll-feed), not by the permalink.
    pub post_ids: bool,
    /// The marker that ends a post's summary (Hugo's `<!--more-->`, Zola's
    /// `<!-- more -->`, Jekyll's `excerpt_separator`).
    pub excerpt_separator: Option<String>,
}

impl Rules {
    /// The rules of `kind` with nothing configured.
    pub fn new(kind: Kind) -> Self {
        Self {
            kind,
            permalinks: Vec::new(),
            languages: Vec::new(),
            default_language: String::new(),
            default_folder: String::new(),
            default_content_dir: None,
            sections: Vec::new(),
            lists: Lists::default(),
            feeds: Vec::new(),
            category_feeds: Vec::new(),
            post_ids: false,
            excerpt_separator: None,
        }
    }

    /// `body` with Zola's internal links (`](@/blog/post.md)`) made the
    /// pages' paths (`](/blog/post/)`); other generators' bodies unchanged.
    pub fn internal_links<'a>(&self, body: &'a str) -> std::borrow::Cow<'a, str> {
        if self.kind != Kind::Zola || !body.contains("](@/") {
            return std::borrow::Cow::Borrowed(body);
        }
        let mut out = String::with_capacity(body.len());
        let mut rest = body;
        while let Some(at) = rest.find("](@/") {
            out.push_str(&rest[..at + 2]);
            rest = &rest[at + 4..];
            let end = rest.find([')', ' ']).unwrap_or(rest.len());
            let (target, anchor) = rest[..end].split_once('#').unwrap_or((&rest[..end], ""));
            let page = target
                .trim_end_matches(".md")
                .trim_end_matches("_index")
                .trim_end_matches("index")
                .trim_end_matches('/');
            let path = File::new(&format!("{page}.md"), &self.codes());
            let name = dated(&path.name).1;
            out.push_str(&format!("/{}/", join(&[&path.dir, &slugify(&name)])).replace("//", "/"));
            if !anchor.is_empty() {
                out.push('#');
                out.push_str(anchor);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        std::borrow::Cow::Owned(out)
    }

    /// The text before the summary marker of `body`, if it has one.
    pub fn excerpt<'a>(&self, body: &'a str) -> Option<&'a str> {
        let separator = self.excerpt_separator.as_deref()?;
        let found = match self.kind {
            // Zola finds `<!-- more -->` with or without the spaces.
            Kind::Zola => body.find(separator).or_else(|| body.find("<!--more-->")),
            _ => body.find(separator),
        };
        found.map(|at| &body[..at])
    }
}

/// A language other than the site's default, as its generator publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Language {
    pub code: String,
    /// Its own site title (`languages.<code>.title`).
    pub title: Option<String>,
    /// The language its feeds declare (Hugo's `languageCode`), else `code`.
    pub feed_language: String,
    /// The site feeds the generator writes for it, under `<code>/` (Hugo's
    /// `index.xml`; Zola's `feed_filenames` when its `generate_feeds` is on).
    pub feeds: Vec<(String, FeedFormat)>,
    /// The file names of its section and term feeds (Zola's language
    /// `feed_filenames`, which default to `atom.xml` alone).
    pub list_feeds: Vec<(String, FeedFormat)>,
    /// Its own content folder under the content folder (Hugo's
    /// `languages.<code>.contentDir`): every page there is in it.
    pub content_dir: Option<String>,
    /// Zola's taxonomies with `feed = true` in this language.
    pub taxonomy_feeds: Vec<String>,
}

/// A section folder and what its `_index` page says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section {
    /// Its folder under the content folder (`blog/2024`), in every language.
    pub folder: String,
    /// The language of its `_index` page (`None`: the default).
    pub language: Option<String>,
    /// Zola's `generate_feeds` (`generate_feed` before 0.19).
    pub feeds: bool,
    /// Zola's `transparent`: its pages are its parent section's too.
    pub transparent: bool,
    /// Zola's `draft`: nothing under it is published (but with `--drafts`).
    pub draft: bool,
}

/// Which list feeds a generator writes beside the site feed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lists {
    /// The feed files of a section or term of the default language (Hugo's
    /// `index.xml`; Zola's `feed_filenames`).
    pub feeds: Vec<(String, FeedFormat)>,
    /// Hugo: every section has its feed (unless `outputs` or
    /// `disableKinds` says otherwise).
    pub sections: bool,
    /// Hugo's taxonomies, by the front-matter key (the plural: `tags`),
    /// when its terms have feeds; Zola's default-language taxonomies with
    /// `feed = true`.
    pub taxonomies: Vec<String>,
}

/// The format of a generator's feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Atom,
    Rss,
    Json,
}

/// One page as its generator places it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// Why the page is not a post of the feed, if it is not.
    pub skip: Option<&'static str>,
    /// The date its file name gives, used when the front matter has none.
    pub date: Option<String>,
    /// The URL path under the base URL, when the generator's rules give it.
    pub path: Option<String>,
    /// The generator publishes dated pages before their date (Zola, Eleventy).
    pub future: bool,
    /// The entry id the generator's feed gives the page, when it is not
    /// the permalink (Jekyll's post id).
    pub id: Option<String>,
    /// Tags and categories as the generator reads them, over the front
    /// matter's (Jekyll's words separated by spaces, Zola's `taxonomies`).
    pub tags: Option<Vec<String>>,
    pub categories: Option<Vec<String>>,
    /// In a draft section (Zola): published only with `--drafts`.
    pub draft: bool,
    /// Its language, when not the default (a translation).
    pub language: Option<String>,
    /// The folders of the generator's list feeds that hold it (`posts/`,
    /// `tags/meetup/`, `fr/posts/`), under the output folder.
    pub lists: Vec<String>,
}

impl Rules {
    /// The page at `relative` (under the content folder) with front matter `fm`.
    pub fn page(&self, relative: &str, fm: &Value) -> Page {
        let Some((language, relative)) = self.language_of(relative) else {
            return skipped("outside every language's contentDir");
        };
        let file = File::new(relative, &self.codes());
        let language = language.or_else(|| {
            file.language
                .clone()
                .filter(|code| *code != self.default_language)
        });
        // A translation's pages and feeds are under its code (Hugo's and
        // Zola's `/fr/…`).
        let folder = match &language {
            Some(code) => format!("{code}/"),
            None => self.default_folder.clone(),
        };
        let mut page = match self.kind {
            Kind::Hugo => self.hugo(&file, fm, &folder),
            Kind::Jekyll => self.jekyll(&file, fm),
            Kind::Zola => self.zola(&file, fm, &folder, language.as_deref()),
            Kind::Eleventy => self.eleventy(&file, fm),
        };
        page.language = language;
        page
    }

    /// Every language code of the site, the default's first.
    fn codes(&self) -> Vec<&str> {
        std::iter::once(self.default_language.as_str())
            .chain(self.languages.iter().map(|l| l.code.as_str()))
            .filter(|code| !code.is_empty())
            .collect()
    }

    /// The language whose content folder holds `relative` (`None`: the
    /// default) and the path under it; `None` when no language's does.
    pub(super) fn language_of<'r>(&self, relative: &'r str) -> Option<(Option<String>, &'r str)> {
        let default = (self.default_content_dir.as_deref().unwrap_or(""), None);
        let others = self
            .languages
            .iter()
            .filter_map(|l| Some((l.content_dir.as_deref()?, Some(l.code.clone()))));
        std::iter::once(default)
            .chain(others)
            .filter_map(|(dir, code)| {
                let rest = match dir {
                    "" => Some(relative),
                    dir => relative.strip_prefix(dir)?.strip_prefix('/'),
                };
                Some((dir.len(), code, rest?))
            })
            .max_by_key(|(len, _, _)| *len)
            .map(|(_, code, rest)| (code, rest))
    }

    /// The language `code`, if it is one of the others.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    fn pattern(&self, key: &str) -> Option<&str> {
        self.permalinks
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, p)| p.as_str())
    }

    fn hugo(&self, file: &File, fm: &Value, folder: &str) -> Page {
        let never = text(fm, "build.list").is_some_and(|v| v == "never");
        if flag(fm, "headless") || never {
            return skipped("headless or build.list: never");
        }
        // Hugo's page date is the first of these it finds, else its zero
        // time: an undated page (an about page) is in its feeds all the
        // same, last (docs/sources.md, "Pages").
        let date = [
            "date",
            "publishDate",
            "pubDate",
            "published",
            "lastmod",
            "modified",
        ]
        .iter()
        .find_map(|key| text(fm, key))
        .unwrap_or_else(|| HUGO_ZERO_DATE.into());
        let title = text(fm, "title").unwrap_or_default();
        let slug = text(fm, "slug");
        let section = file.dir.split('/').next().unwrap_or("");
        let path = match self.pattern(section) {
            _ if text(fm, "url").is_some() => None,
            Some(pattern) => Some(tokens(pattern, &date, |token| match token {
                "slug" => Some(slug.clone().unwrap_or_else(|| urlize(&title))),
                "title" => Some(urlize(&title)),
                "filename" | "slugorfilename" => Some(slug.clone().unwrap_or(file.bundle_name())),
                "section" => Some(section.to_string()),
                _ => None,
            })),
            // Hugo lowercases paths; a bundle's `index.md` is its folder.
            None => Some(
                join(&[&file.bundle_dir(), &slug.unwrap_or(file.bundle_name())]).to_lowercase()
                    + "/",
            ),
        };
        let mut lists = Vec::new();
        if self.lists.sections
            && let Some(section) = self.hugo_section(&file.bundle_dir())
        {
            lists.push(format!("{folder}{}/", section.to_lowercase()));
        }
        for key in &self.lists.taxonomies {
            for term in terms(fm, key).iter().map(|term| urlize(term)) {
                if !term.is_empty() && !lists.contains(&format!("{folder}{key}/{term}/")) {
                    lists.push(format!("{folder}{key}/{term}/"));
                }
            }
        }
        Page {
            date: Some(date),
            path: path.map(|path| match folder {
                "" => path,
                folder => format!("{folder}{}", path.trim_start_matches('/')),
            }),
            lists,
            ..Page::default()
        }
    }

    /// The section whose feed lists a Hugo page in `dir`: the deepest
    /// folder above it with an `_index.md`, else its top-level folder
    /// (a section's feed holds its own pages, not its subsections').
    fn hugo_section(&self, dir: &str) -> Option<String> {
        let mut at = dir;
        while !at.is_empty() {
            if self.sections.iter().any(|s| s.folder == at) {
                return Some(at.to_string());
            }
            at = at.rsplit_once('/').map_or("", |(d, _)| d);
        }
        dir.split('/')
            .next()
            .filter(|s| !s.is_empty())
            .map(String::from)
    }

    fn jekyll(&self, file: &File, fm: &Value) -> Page {
        if text(fm, "published").is_some_and(|v| v == "false") {
            return skipped("published: false");
        }
        let (file_date, file_slug) = jekyll_dated(&file.name);
        let in_drafts = file.dir.split('/').any(|part| part == "_drafts");
        if in_drafts && text(fm, "date").is_none() && file_date.is_none() {
            // Jekyll dates such a draft by its file's time, which is no
            // date to publish under.
            return skipped("a draft without a date");
        }
        let date = text(fm, "date").or(file_date.clone()).unwrap_or_default();
        let title = text(fm, "slug").unwrap_or(file_slug);
        let mut categories: Vec<String> = file
            .dir
            .split('/')
            .take_while(|part| *part != "_posts" && *part != "_drafts")
            .filter(|part| !part.is_empty())
            .map(String::from)
            .collect();
        for key in ["categories", "category"] {
            categories.extend(words(fm, key));
        }
        let listed = categories.clone();
        let categories = categories.join("/").to_lowercase();
        let pattern = match text(fm, "permalink").or_else(|| self.pattern("").map(String::from)) {
            Some(p) => match p.as_str() {
                "pretty" => "/:categories/:year/:month/:day/:title/".to_string(),
                "date" => "/:categories/:year/:month/:day/:title:output_ext".to_string(),
                "ordinal" => "/:categories/:year/:y_day/:title:output_ext".to_string(),
                "none" => "/:categories/:title:output_ext".to_string(),
                _ => p,
            },
            None => "/:categories/:year/:month/:day/:title:output_ext".to_string(),
        };
        let path = tokens(&pattern, &date, |token| match token {
            "categories" => Some(categories.clone()),
            "title" => Some(title.clone()),
            "slug" => Some(urlize(&title)),
            "output_ext" => Some(".html".into()),
            _ => None,
        });
        // jekyll-feed's id: the post id, the URL's folder and the slug.
        let folder = path
            .trim_end_matches('/')
            .rsplit_once('/')
            .map_or("", |(d, _)| d);
        let id = format!("{folder}/{title}");
        Page {
            date: file_date,
            path: Some(path),
            id: self.post_ids.then_some(id),
            tags: Some(words(fm, "tags")).filter(|t| !t.is_empty()),
            categories: Some(listed).filter(|c| !c.is_empty()),
            ..Page::default()
        }
    }

    fn zola(&self, file: &File, fm: &Value, folder: &str, language: Option<&str>) -> Page {
        // A bundle's date and slug come from its folder's name.
        let (file_date, file_slug) = dated(&file.bundle_name());
        if text(fm, "date").is_none() && file_date.is_none() {
            return skipped("no date: Zola's feeds hold dated pages only");
        }
        let path = match text(fm, "path") {
            // Zola takes `path` as written, with no language before it.
            Some(path) => format!("{}/", path.trim_matches('/')),
            None => {
                let slug = text(fm, "slug").unwrap_or(file_slug);
                format!("{folder}{}/", join(&[&file.bundle_dir(), &slugify(&slug)]))
            }
        };
        // Nothing under a draft section is loaded.
        let draft = self.sections.iter().any(|s| {
            s.draft
                && !s.folder.is_empty()
                && (file.dir == s.folder || file.dir.starts_with(&format!("{}/", s.folder)))
        });
        let mut lists = Vec::new();
        // A page with `render = false` is in the site's and its terms'
        // feeds, but in no section's.
        if text(fm, "render").is_none_or(|v| v != "false") {
            let mut dir = file.bundle_dir();
            while let Some(section) = self
                .sections
                .iter()
                .find(|s| s.folder == dir && s.language.as_deref() == language)
            {
                if section.feeds && !dir.is_empty() {
                    lists.push(format!("{folder}{dir}/"));
                }
                // A transparent section's pages are its parent's too.
                if !section.transparent || dir.is_empty() {
                    break;
                }
                dir = dir.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            }
        }
        let taxonomies = match language {
            None => &self.lists.taxonomies,
            Some(code) => self
                .language(code)
                .map_or(&self.lists.taxonomies, |l| &l.taxonomy_feeds),
        };
        for name in taxonomies {
            for term in terms(fm, &format!("taxonomies.{name}")) {
                lists.push(format!("{folder}{}/{}/", slugify(name), slugify(&term)));
            }
        }
        Page {
            date: file_date,
            path: Some(path),
            future: true,
            draft,
            tags: Some(words(fm, "taxonomies.tags")).filter(|t| !t.is_empty()),
            categories: Some(words(fm, "taxonomies.categories")).filter(|c| !c.is_empty()),
            lists,
            ..Page::default()
        }
    }

    fn eleventy(&self, file: &File, fm: &Value) -> Page {
        if flag(fm, "eleventyExcludeFromCollections") {
            return skipped("eleventyExcludeFromCollections");
        }
        if fm.get("permalink") == Some(&Value::Bool(false)) {
            return skipped("permalink: false");
        }
        let (date, mut slug) = dated(&file.name);
        let folder = file.dir.rsplit('/').next().unwrap_or("");
        if slug == "index" || slug == folder {
            // Eleventy names `index.md` and `x/x.md` after their folder.
            slug = folder.to_string();
        }
        let folder_pattern = self
            .permalinks
            .iter()
            .filter(|(dir, _)| file.dir == *dir || file.dir.starts_with(&format!("{dir}/")))
            .max_by_key(|(dir, _)| dir.len())
            .map(|(_, pattern)| pattern.clone());
        let path = match text(fm, "permalink").or(folder_pattern) {
            Some(pattern) => pattern
                .replace("{{ page.fileSlug }}", &slug)
                .replace("{{page.fileSlug}}", &slug),
            None => format!("/{}/", join(&[&file.dir, &slug])),
        };
        Page {
            date,
            path: Some(path),
            future: true,
            ..Page::default()
        }
    }
}

/// The date Hugo gives a page that has none: its zero time, which its
/// feeds print as `Mon, 01 Jan 0001 00:00:00 +0000`.
const HUGO_ZERO_DATE: &str = "0001-01-01T00:00:00Z";

fn skipped(reason: &'static str) -> Page {
    Page {
        skip: Some(reason),
        ..Page::default()
    }
}

/// A page's path split as the rules need it.
struct File {
    /// The folder under the content folder, `/`-separated, no slashes around.
    dir: String,
    /// The file name without extension and language (`post` of `post.fr.md`).
    name: String,
    language: Option<String>,
}

impl File {
    /// `relative` split; a last dotted part that is one of `codes` is its
    /// language (`post.fr.md`), any other is part of its name (`v1.2.md`).
    fn new(relative: &str, codes: &[&str]) -> Self {
        let (dir, file) = relative.rsplit_once('/').unwrap_or(("", relative));
        let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        let (name, language) = match stem.rsplit_once('.') {
            Some((name, code)) if codes.contains(&code) => (name, Some(code.to_string())),
            _ => (stem, None),
        };
        Self {
            dir: dir.to_string(),
            name: name.to_string(),
            language,
        }
    }

    /// The page's name: a bundle's (`x/index.md`) is its folder's.
    fn bundle_name(&self) -> String {
        match self.name.as_str() {
            "index" => self.dir.rsplit('/').next().unwrap_or("").to_string(),
            name => name.to_string(),
        }
    }

    /// The folder the page is listed in: a bundle's parent folder.
    fn bundle_dir(&self) -> String {
        match self.name.as_str() {
            "index" => self.dir.rsplit_once('/').map_or("", |(d, _)| d).to_string(),
            _ => self.dir.clone(),
        }
    }
}

/// A file name's leading `YYYY-MM-DD-` (or `_`) date and the rest.
pub fn dated(name: &str) -> (Option<String>, String) {
    let bytes = name.as_bytes();
    let shaped = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
        && matches!(bytes[10], b'-' | b'_');
    match shaped && chrono::NaiveDate::parse_from_str(&name[..10], "%Y-%m-%d").is_ok() {
        true => (Some(name[..10].to_string()), name[11..].to_string()),
        false => (None, name.to_string()),
    }
}

/// Jekyll's post name: `YYYY-M-D-title`, month and day of one or two
/// digits (`2022-12-8-ctf.md` is a post of 8 December), the date given
/// back as `YYYY-MM-DD`.
pub fn jekyll_dated(name: &str) -> (Option<String>, String) {
    let mut parts = name.splitn(4, '-');
    let (Some(y), Some(m), Some(d), Some(rest)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return (None, name.to_string());
    };
    let digits = |s: &str, widths: std::ops::RangeInclusive<usize>| {
        widths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2)) || rest.is_empty() {
        return (None, name.to_string());
    }
    let day = format!("{y}-{m:0>2}-{d:0>2}");
    match chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
        Ok(_) => (Some(day), rest.to_string()),
        Err(_) => (None, name.to_string()),
    }
}

/// Replaces `:year`, `:month`, `:day`, `:y_day` from `date` and other
/// `:tokens` by `value`, longest names first; collapses doubled slashes.
fn tokens(pattern: &str, date: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let day = chrono::NaiveDate::parse_from_str(date.get(..10).unwrap_or(""), "%Y-%m-%d").ok();
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let name: String = rest[at + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let date_part = day.map(|d| match name.as_str() {
            "year" => d.format("%Y").to_string(),
            "month" => d.format("%m").to_string(),
            "day" => d.format("%d").to_string(),
            "y_day" => d.format("%j").to_string(),
            _ => String::new(),
        });
        match value(&name).or(date_part.filter(|p| !p.is_empty())) {
            Some(text) => out.push_str(&text),
            None => out.push_str(&rest[at..at + 1 + name.len()]),
        }
        rest = &rest[at + 1 + name.len()..];
    }
    out.push_str(rest);
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    out
}

fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/")
}

/// Hugo's urlize of a title: lowercased; letters, digits and `./_~+#@-`
/// kept; a run of spaces before a kept character one `-`; everything else
/// dropped (so `a : b` is `a-b` and `a - b` is `a---b`, as Hugo writes them).
pub fn urlize(title: &str) -> String {
    let source: Vec<char> = title.chars().flat_map(char::to_lowercase).collect();
    let mut out = String::new();
    let mut hyphen = false;
    for (i, &c) in source.iter().enumerate() {
        let hex = |at: usize| source.get(at).is_some_and(char::is_ascii_hexdigit);
        let kept = matches!(c, '.' | '/' | '_' | '#' | '+' | '~' | '-' | '@')
            || c.is_alphanumeric()
            || (c == '%' && hex(i + 1) && hex(i + 2));
        if kept {
            if hyphen {
                out.push('-');
                hyphen = false;
            }
            out.push(c);
        } else if !out.is_empty() && c.is_whitespace() {
            hyphen = true;
        }
    }
    out
}

/// Zola's slugify: lowercased ASCII, accented Latin letters transliterated,
/// every other run of characters one `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let ascii = match c {
            'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' => "a",
            'ä' | 'æ' => "a",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ö' => "o",
            'ù' | 'ú' | 'û' | 'ü' => "u",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if ascii != "-" || !out.ends_with('-') {
            out.push_str(ascii);
        }
    }
    out.trim_matches('-').to_string()
}

fn text(fm: &Value, path: &str) -> Option<String> {
    let value = path.split('.').try_fold(fm, |v, key| v.get(key))?;
    match value {
        // An empty value is one not set (`slug: ""`), as the generators read it.
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn flag(fm: &Value, key: &str) -> bool {
    text(fm, key).is_some_and(|v| v == "true")
}

/// A list of terms, or one term (Hugo's and Zola's taxonomies).
fn terms(fm: &Value, key: &str) -> Vec<String> {
    match key.split('.').try_fold(fm, |v, k| v.get(k)) {
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_string()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// A list, or Jekyll's space-separated string of words.
fn words(fm: &Value, key: &str) -> Vec<String> {
    match key.split('.').try_fold(fm, |v, k| v.get(k)) {
        Some(Value::String(s)) => s.split_whitespace().map(String::from).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}
