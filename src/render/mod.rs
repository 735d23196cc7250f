//! Site → output files: pure functions of `&Site` and a selection of its
//! notes, with no file system and no clock. Feeds come back as strings;
//! a calendar as its header and the places of its events' bytes, which a
//! note's events were rendered into once (see [`ics::render_events`]) and
//! the caller keeps: a build splices them from its spool, so a large
//! site's calendar is never held whole; [`outputs`] from memory.

pub mod atom;
pub mod ical;
pub mod ics;
pub mod json_feed;
pub mod page;
pub mod rss;
pub mod stylesheet;
pub mod vtimezone;
pub mod window;

use crate::model::{FeedHtml, Note, Site};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use url::Url;

/// One file to publish, by its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where a piece of rendered bytes lies in the store it was written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub offset: u64,
    pub len: u64,
}

impl Span {
    /// This span, within a block that starts at `base`.
    pub fn within(self, base: u64) -> Self {
        Self {
            offset: base + self.offset,
            len: self.len,
        }
    }
}

/// Which notes a file covers: what decides whether a change reaches it.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope<'a> {
    /// Every note of the site.
    Site,
    /// One note's own calendar.
    Note(&'a Note),
    /// The notes with one tag, by the tag's folder name.
    Tag(String),
    /// With `--source`, a list the generator publishes beside the site: a
    /// language's pages (`fr/`), a section's (`posts/`), a taxonomy term's
    /// (`tags/meetup/`), by its folder under the output folder, with the
    /// language its feeds declare when not the site's.
    List {
        folder: String,
        language: Option<String>,
    },
}

impl Scope<'_> {
    /// The folder its files go in under the output folder.
    pub fn folder(&self) -> String {
        match self {
            Scope::Site => String::new(),
            Scope::Note(_) => EVENTS_FOLDER.into(),
            Scope::Tag(folder) => format!("{TAGS_FOLDER}{folder}/"),
            Scope::List { folder, .. } => folder.clone(),
        }
    }
}

/// A set of notes published together: the whole site, one tag, one note.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub title: String,
    pub scope: Scope<'a>,
    /// Every note in the selection, newest first (calendars take all).
    pub notes: Vec<&'a Note>,
}

impl<'a> Selection<'a> {
    /// Entries for feeds: notes visible at the build's "now", newest first,
    /// cut at `feed_limit` (0 keeps all).
    pub fn entries(&self, site: &Site) -> Vec<&'a Note> {
        let visible = self
            .notes
            .iter()
            .copied()
            .filter(|note| note.in_feeds(site.now));
        match site.config.feed_limit {
            0 => visible.collect(),
            limit => visible.take(limit).collect(),
        }
    }

    /// The language its feeds declare.
    pub fn language<'s>(&'s self, site: &'s Site) -> &'s str {
        match &self.scope {
            Scope::List {
                language: Some(language),
                ..
            } => language,
            _ => &site.config.language,
        }
    }

    /// The page its feeds name as theirs: a generator's list's own page
    /// (`/fr/`, `/posts/`), else the site's.
    pub fn home(&self, site: &Site) -> Url {
        match &self.scope {
            Scope::List { folder, .. } => site
                .config
                .base_url
                .join(folder)
                .unwrap_or_else(|_| site.config.base_url.clone()),
            _ => site.config.base_url.clone(),
        }
    }

    /// The URL of the file at `path` under the output folder.
    pub fn file_url(site: &Site, path: &str) -> Url {
        site.config
            .feeds_url
            .join(path)
            .expect("feed paths are relative and valid")
    }

    /// The URL a file of this selection is served at.
    pub fn url(&self, site: &Site, file: &str) -> Url {
        site.config
            .feeds_url
            .join(&format!("{}{file}", self.scope.folder()))
            .expect("feed paths are relative and valid")
    }
}

/// The feed's `updated`: the newest `lastmod` of its entries. Never the clock,
/// so a rebuild without changes gives the same bytes (jekyll-feed#90).
/// A feed with no entry yet takes the newest of its selection's notes, so
/// the value depends on nothing outside the selection.
pub fn updated(entries: &[&Note], selection: &Selection) -> DateTime<FixedOffset> {
    entries
        .iter()
        .map(|note| note.updated)
        .max()
        .or_else(|| selection.notes.iter().map(|note| note.updated).max())
        .unwrap_or_else(|| DateTime::UNIX_EPOCH.fixed_offset())
}

/// The format of one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Atom,
    Rss,
    JsonFeed,
    Calendar,
    /// A file for browsers rather than subscribers' software: the
    /// subscribe page, `index.html`, or the feeds' stylesheet, `feed.xsl`
    /// ([`browser_file`]). It depends on the config and "now" alone, so
    /// every run renders it and writes it when its bytes change.
    Page,
}

/// The subscribe page, at the output's root.
pub const PAGE: &str = "index.html";

/// The folder of the per-note calendars.
pub const EVENTS_FOLDER: &str = "events/";

/// The path of the own calendar of the note `slug`.
pub fn note_calendar(slug: &str) -> String {
    format!("{EVENTS_FOLDER}{slug}.ics")
}
/// The folder of the tags' folders.
pub const TAGS_FOLDER: &str = "tags/";

/// One file to render: where it goes, its format, and the notes it covers.
#[derive(Debug, Clone)]
pub struct Planned<'a> {
    pub path: String,
    pub format: Format,
    pub selection: Selection<'a>,
}

impl Planned<'_> {
    /// Whether it is a subscribed calendar, the site's or a tag's, which
    /// holds what its window does; a note's own and the archive hold all.
    pub fn windowed(&self) -> bool {
        self.format == Format::Calendar
            && !matches!(self.selection.scope, Scope::Note(_))
            && self.path != ARCHIVE
    }
}

/// The complete calendar, every event of the site, when `calendar_archive`.
pub const ARCHIVE: &str = "archive.ics";

/// Every file of the site: the site-wide feeds and calendar, one calendar per
/// note with events, and feeds and calendar per tag.
pub fn plan(site: &Site) -> Vec<Planned<'_>> {
    let mut planned = Vec::new();
    // A translation is in its language's feeds, not the site's
    // (docs/sources.md, "Languages").
    let whole = Selection {
        title: site.config.title.clone(),
        scope: Scope::Site,
        notes: site.notes.iter().filter(|n| n.language.is_none()).collect(),
    };
    feeds_into(&whole, &mut planned);
    let generator = whole.clone();
    if site.config.window.archive {
        planned.push(Planned {
            path: ARCHIVE.into(),
            format: Format::Calendar,
            selection: whole.clone(),
        });
    }
    planned.push(Planned {
        path: "calendar.ics".into(),
        format: Format::Calendar,
        selection: whole,
    });
    if site.config.subscribe_page {
        planned.push(Planned {
            path: PAGE.into(),
            format: Format::Page,
            selection: Selection {
                title: site.config.title.clone(),
                scope: Scope::Site,
                notes: Vec::new(),
            },
        });
    }
    if site.config.feed_stylesheet {
        planned.push(Planned {
            path: stylesheet::STYLESHEET.into(),
            format: Format::Page,
            selection: Selection {
                title: site.config.title.clone(),
                scope: Scope::Site,
                notes: Vec::new(),
            },
        });
    }
    for note in site.notes.iter().filter(|note| !note.slots.is_empty()) {
        planned.push(Planned {
            path: note_calendar(&note.slug),
            format: Format::Calendar,
            selection: Selection {
                title: note.title.clone(),
                scope: Scope::Note(note),
                notes: vec![note],
            },
        });
    }
    for (folder, (name, notes)) in tags(site) {
        let selection = Selection {
            title: format!("{} — {}", site.config.title, name),
            scope: Scope::Tag(folder),
            notes,
        };
        feeds_into(&selection, &mut planned);
        if selection.notes.iter().any(|note| !note.slots.is_empty()) {
            planned.push(Planned {
                path: format!("{}calendar.ics", selection.scope.folder()),
                format: Format::Calendar,
                selection,
            });
        }
    }
    languages(site, &mut planned);
    // Last, so that a generator's file at a path almanac writes anyway is
    // that file.
    generator_feeds(site, &generator, &mut planned);
    lists(site, &mut planned);
    planned
}

/// With `--source`, each other language's own feeds and calendar under
/// its code (`fr/atom.xml`), and the generator's site feeds there
/// (`fr/index.xml`).
fn languages<'a>(site: &'a Site, planned: &mut Vec<Planned<'a>>) {
    let Some(rules) = &site.config.rules else {
        return;
    };
    for language in &rules.languages {
        let notes: Vec<&Note> = site
            .notes
            .iter()
            .filter(|n| n.language.as_deref() == Some(language.code.as_str()))
            .collect();
        if notes.is_empty() {
            continue;
        }
        let selection = Selection {
            title: language
                .title
                .clone()
                .unwrap_or_else(|| site.config.title.clone()),
            scope: Scope::List {
                folder: format!("{}/", language.code),
                language: Some(language.feed_language.clone()),
            },
            notes,
        };
        feeds_into(&selection, planned);
        if selection.notes.iter().any(|note| !note.slots.is_empty()) {
            planned.push(Planned {
                path: format!("{}calendar.ics", selection.scope.folder()),
                format: Format::Calendar,
                selection: selection.clone(),
            });
        }
        for (name, format) in &language.feeds {
            let path = format!("{}{name}", selection.scope.folder());
            generator_file(planned, path, *format, selection.clone());
        }
    }
}

/// With `--source`, the generator's section and term feeds at its paths
/// (`posts/index.xml`, `tags/meetup/index.xml`), in the formats it writes
/// for the list's language.
fn lists<'a>(site: &'a Site, planned: &mut Vec<Planned<'a>>) {
    let Some(rules) = &site.config.rules else {
        return;
    };
    let mut lists: BTreeMap<&str, Vec<&Note>> = BTreeMap::new();
    for note in &site.notes {
        for folder in &note.lists {
            lists.entry(folder).or_default().push(note);
        }
    }
    for (folder, notes) in lists {
        let code = notes.first().and_then(|n| n.language.as_deref());
        let language = code.and_then(|code| rules.language(code));
        let files = match (code, language) {
            (None, _) => &rules.lists.feeds,
            (Some(_), Some(language)) => &language.list_feeds,
            (Some(_), None) => continue,
        };
        let name = folder.trim_end_matches('/');
        let selection = Selection {
            title: format!("{} — {name}", site.config.title),
            scope: Scope::List {
                folder: folder.to_string(),
                language: language.map(|l| l.feed_language.clone()),
            },
            notes,
        };
        for (file, format) in files {
            generator_file(
                planned,
                format!("{folder}{file}"),
                *format,
                selection.clone(),
            );
        }
    }
}

/// Plans a feed at a generator's path, unless almanac writes that path
/// anyway or it is no plain path under the output folder.
fn generator_file<'a>(
    planned: &mut Vec<Planned<'a>>,
    path: String,
    format: crate::generator::FeedFormat,
    selection: Selection<'a>,
) {
    use crate::generator::FeedFormat;
    let format = match format {
        FeedFormat::Atom => Format::Atom,
        FeedFormat::Rss => Format::Rss,
        FeedFormat::Json => Format::JsonFeed,
    };
    let safe = !path.is_empty()
        && !path.starts_with(['/', '.'])
        && !path.split('/').any(|part| part.is_empty() || part == "..")
        && !path.starts_with(EVENTS_FOLDER);
    if safe && !planned.iter().any(|p| p.path == path) {
        planned.push(Planned {
            path,
            format,
            selection,
        });
    }
}

/// With `--source`, the site feeds (and Jekyll's category feeds) at the
/// paths the generator wrote them, with the same entries (docs/sources.md,
/// "Switching"). One that would be a file almanac writes anyway is that
/// file.
fn generator_feeds<'a>(site: &Site, whole: &Selection<'a>, planned: &mut Vec<Planned<'a>>) {
    use crate::generator::FeedFormat;
    let Some(rules) = &site.config.rules else {
        return;
    };
    for (path, format) in &rules.feeds {
        let path = format!("{}{path}", rules.default_folder);
        generator_file(planned, path, *format, whole.clone());
    }
    for (path, category) in &rules.category_feeds {
        let notes = whole
            .notes
            .iter()
            .copied()
            .filter(|note| {
                note.categories
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(category))
            })
            .collect();
        let selection = Selection {
            title: format!("{} — {category}", site.config.title),
            scope: Scope::Site,
            notes,
        };
        generator_file(planned, path.clone(), FeedFormat::Atom, selection);
    }
}

/// What a file could not be rendered without: a feed entry's content HTML
/// (else an empty `<content>` would ship), or a slot's text (else an
/// untitled event would).
#[derive(Debug, thiserror::Error)]
pub enum Unrendered {
    #[error("{}: no content HTML for its feed entry", .0.display())]
    Html(PathBuf),
    #[error("{}: a slot without its text", .0.display())]
    SlotText(PathBuf),
}

/// The content HTML of each of `entries`, in order.
fn contents<'h>(entries: &[&Note], html: &'h FeedHtml) -> Result<Vec<&'h str>, Unrendered> {
    entries
        .iter()
        .map(|note| {
            html.get(&note.path)
                .map(String::as_str)
                .ok_or_else(|| Unrendered::Html(note.path.clone()))
        })
        .collect()
}

/// Renders a planned feed, its entries' content taken from `html`.
pub fn feed(site: &Site, planned: &Planned, html: &FeedHtml) -> Result<Vec<u8>, Unrendered> {
    let selection = &planned.selection;
    let entries = selection.entries(site);
    let contents = contents(&entries, html)?;
    Ok(match planned.format {
        Format::Atom => stylesheet::styled(
            site,
            &planned.path,
            atom::feed(site, selection, &planned.path, &entries, &contents),
        ),
        Format::Rss => stylesheet::styled(
            site,
            &planned.path,
            rss::feed(site, selection, &planned.path, &entries, &contents),
        ),
        Format::JsonFeed => {
            json_feed::feed(site, selection, &planned.path, &entries, &contents).into_bytes()
        }
        Format::Calendar | Format::Page => unreachable!("only feeds are rendered by `feed`"),
    })
}

/// Renders a planned file for browsers ([`Format::Page`]): the feeds'
/// stylesheet, or the subscribe page, which lists the files of `plan`.
pub fn browser_file(site: &Site, plan: &[Planned], planned: &Planned) -> String {
    match planned.path.as_str() {
        stylesheet::STYLESHEET => stylesheet::stylesheet(site),
        _ => page::page(site, plan),
    }
}

/// Each note's events, by note path, their bytes where their spans say.
pub type Events = HashMap<PathBuf, Vec<ics::EventRef>>;

/// A calendar as its parts: `head`, then the bytes of `runs` in order,
/// then [`ics::END`]. Each run is a stretch of neighbouring events in the
/// store they were rendered into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub head: String,
    pub runs: Vec<Span>,
    /// How the window's caps cut it, if they did.
    pub cut: Option<window::Cut>,
}

/// A removed slot's cancelled event (see [`crate::ledger::Ghost`]), its
/// text where `event` says, with the tag folders of its note.
#[derive(Debug, Clone)]
pub struct Cancelled {
    pub event: ics::EventRef,
    pub tags: Vec<String>,
}

/// Renders a planned calendar, its events those `events` gives its notes;
/// a subscribed one also holds the `cancelled` events of its scope.
pub fn calendar(
    site: &Site,
    planned: &Planned,
    events: &Events,
    cancelled: &[Cancelled],
    zones: &vtimezone::Zones,
) -> Calendar {
    let selection = &planned.selection;
    let mut events: Vec<&ics::EventRef> = selection
        .notes
        .iter()
        .filter_map(|note| events.get(&note.path))
        .flatten()
        .collect();
    if planned.windowed() {
        let held = cancelled.iter().filter(|c| match &selection.scope {
            Scope::Site => true,
            Scope::Tag(folder) => c.tags.contains(folder),
            _ => false,
        });
        events.extend(held.map(|c| &c.event));
    }
    let window = planned.windowed().then_some(&site.config.window);
    ics::calendar(site, &selection.title, events, zones, window)
}

/// Renders every planned file, in parallel, each note's events rendered
/// once into memory; the order of the result is the plan's.
pub fn outputs(site: &Site, html: &FeedHtml) -> Result<Vec<Output>, Unrendered> {
    use rayon::prelude::*;
    let mut store = Vec::new();
    let mut events = Events::new();
    for note in &site.notes {
        let (text, note_events) = ics::render_events(&site.config, note)
            .ok_or_else(|| Unrendered::SlotText(note.path.clone()))?;
        events.insert(
            note.path.clone(),
            ics::EventRef::all_within(&note_events, store.len() as u64),
        );
        store.extend_from_slice(text.as_bytes());
    }
    let zones = vtimezone::Zones::for_site(site);
    let plan = plan(site);
    plan.par_iter()
        .map(|planned| {
            let bytes = match planned.format {
                Format::Page => browser_file(site, &plan, planned).into_bytes(),
                Format::Calendar => {
                    let calendar = calendar(site, planned, &events, &[], &zones);
                    let mut bytes = calendar.head.into_bytes();
                    for run in &calendar.runs {
                        let (at, len) = (run.offset as usize, run.len as usize);
                        bytes.extend_from_slice(&store[at..at + len]);
                    }
                    bytes.extend_from_slice(ics::END);
                    bytes
                }
                _ => feed(site, planned, html)?,
            };
            Ok(Output {
                path: planned.path.clone(),
                bytes,
            })
        })
        .collect()
}

fn feeds_into<'a>(selection: &Selection<'a>, planned: &mut Vec<Planned<'a>>) {
    let mut formats = vec![(Format::Atom, "atom.xml"), (Format::Rss, "rss.xml")];
    if matches!(selection.scope, Scope::Site | Scope::List { .. }) {
        formats.push((Format::JsonFeed, "feed.json"));
    }
    let folder = selection.scope.folder();
    for (format, file) in formats {
        planned.push(Planned {
            path: format!("{folder}{file}"),
            format,
            selection: selection.clone(),
        });
    }
}

/// Tags by folder name, each with its first-seen spelling and its notes
/// (newest first). Tags differing only in case share a folder, as in Hugo.
fn tags(site: &Site) -> BTreeMap<String, (String, Vec<&Note>)> {
    let mut tags: BTreeMap<String, (String, Vec<&Note>)> = BTreeMap::new();
    // The site's languages are one each; a translation's tags are its
    // language's (docs/sources.md, "Languages").
    for note in site.notes.iter().filter(|n| n.language.is_none()) {
        for (tag, folder) in note.tags.iter().zip(note.tag_folders()) {
            let entry = tags
                .entry(folder)
                .or_insert_with(|| (tag.clone(), Vec::new()));
            if !entry.1.iter().any(|n| std::ptr::eq(*n, note)) {
                entry.1.push(note);
            }
        }
    }
    tags
}

/// A media type for an image URL, from its extension.
pub fn image_type(url: &Url) -> &'static str {
    let path = url.path().to_ascii_lowercase();
    let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    match extension {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "avif" => "image/avif",
        _ => "image/*",
    }
}

/// The `generator` string of every output.
pub const GENERATOR: &str = concat!("almanac ", env!("CARGO_PKG_VERSION"));

#[cfg(test)]
mod tests;
