//! Site → output files. Each format is a function of `&Site` and a
//! selection of its notes, and never reads the clock. Feeds are built as
//! strings; calendars are written to a `Write`, their events copied from the
//! build's [`Spool`] (each rendered once; a build's spool is a file, so the
//! site-wide calendar of a large site is never held whole). Nothing here
//! writes a file.

pub mod atom;
pub mod ical;
pub mod ics;
pub mod json_feed;
pub mod rss;
pub mod vtimezone;

use crate::incremental::spool::{Sink, Spool, SpoolWriter};
use crate::model::{Note, Site};
use chrono::{DateTime, FixedOffset};
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::PathBuf;
use url::Url;

/// One file to publish, by its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A set of notes published together: the whole site, or one tag.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub title: String,
    /// Folder under the output folder, `""` or `tags/<tag>/`.
    pub folder: String,
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

    /// The URL a file of this selection is served at.
    pub fn url(&self, site: &Site, file: &str) -> Url {
        site.config
            .feeds_url
            .join(&format!("{}{file}", self.folder))
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
}

/// The folder of the per-note calendars.
pub const EVENTS_FOLDER: &str = "events/";

/// One file to render: where it goes, its format, and the notes it covers.
#[derive(Debug, Clone)]
pub struct Planned<'a> {
    pub path: String,
    pub format: Format,
    pub selection: Selection<'a>,
}

/// Every file of the site: the site-wide feeds and calendar, one calendar per
/// note with events, and feeds and calendar per tag.
pub fn plan(site: &Site) -> Vec<Planned<'_>> {
    let mut planned = Vec::new();
    let whole = Selection {
        title: site.config.title.clone(),
        folder: String::new(),
        notes: site.notes.iter().collect(),
    };
    feeds_into(&whole, &mut planned);
    planned.push(Planned {
        path: "calendar.ics".into(),
        format: Format::Calendar,
        selection: whole,
    });
    for note in site.notes.iter().filter(|note| !note.slots.is_empty()) {
        planned.push(Planned {
            path: format!("{EVENTS_FOLDER}{}.ics", note.slug),
            format: Format::Calendar,
            selection: Selection {
                title: note.title.clone(),
                folder: EVENTS_FOLDER.into(),
                notes: vec![note],
            },
        });
    }
    for (folder, (name, notes)) in tags(site) {
        let selection = Selection {
            title: format!("{} — {}", site.config.title, name),
            folder: format!("tags/{folder}/"),
            notes,
        };
        feeds_into(&selection, &mut planned);
        if selection.notes.iter().any(|note| !note.slots.is_empty()) {
            planned.push(Planned {
                path: format!("{}calendar.ics", selection.folder),
                format: Format::Calendar,
                selection,
            });
        }
    }
    planned
}

/// What the files of one build share, computed once: the transitions of the
/// zones used, and every note's events, rendered once into a spool (a slot
/// is written into its note's calendar, the site's and each of its tags').
pub struct Shared {
    pub zones: vtimezone::Zones,
    events: HashMap<PathBuf, Vec<ics::EventRef>>,
    spool: Spool,
}

impl Shared {
    /// For events already spooled (by note path) as the notes were read.
    pub fn new(site: &Site, events: HashMap<PathBuf, Vec<ics::EventRef>>, spool: Spool) -> Self {
        Self {
            zones: vtimezone::Zones::for_site(site),
            events,
            spool,
        }
    }

    /// Renders every note's events, in parallel, into a spool in memory.
    pub fn for_site(site: &Site) -> Self {
        use rayon::prelude::*;
        let writer = SpoolWriter::in_memory();
        let events = site
            .notes
            .par_iter()
            .filter(|note| !note.slots.is_empty())
            .map(|note| {
                let events = ics::spool_events(&site.config, note, &writer);
                (note.path.clone(), events.expect("a spool in memory"))
            })
            .collect();
        let spool = writer.seal().expect("a spool in memory");
        Self::new(site, events, spool)
    }

    /// The spool, for the caller to keep (a build's is the next cache).
    pub fn into_spool(self) -> Spool {
        self.spool
    }

    fn events(&self, note: &Note) -> &[ics::EventRef] {
        self.events.get(&note.path).map_or(&[], Vec::as_slice)
    }
}

/// Renders every planned file, in parallel; the order of the result is the
/// plan's.
pub fn outputs(site: &Site) -> Vec<Output> {
    use rayon::prelude::*;
    let shared = Shared::for_site(site);
    plan(site)
        .par_iter()
        .map(|planned| {
            let mut bytes = Vec::new();
            render(site, planned, &shared, &mut bytes).expect("writing to memory");
            Output {
                path: planned.path.clone(),
                bytes,
            }
        })
        .collect()
}

/// Renders one planned file into `out`.
pub fn render(
    site: &Site,
    planned: &Planned,
    shared: &Shared,
    out: &mut dyn Sink,
) -> io::Result<()> {
    let selection = &planned.selection;
    let text = match planned.format {
        Format::Atom => atom::feed(site, selection),
        Format::Rss => rss::feed(site, selection),
        Format::JsonFeed => json_feed::feed(site, selection),
        Format::Calendar => {
            let events = selection
                .notes
                .iter()
                .flat_map(|note| shared.events(note))
                .collect();
            let (zones, spool) = (&shared.zones, &shared.spool);
            return ics::write_calendar(site, &selection.title, events, zones, spool, out);
        }
    };
    out.write_all(text.as_bytes())
}

fn feeds_into<'a>(selection: &Selection<'a>, planned: &mut Vec<Planned<'a>>) {
    let mut formats = vec![(Format::Atom, "atom.xml"), (Format::Rss, "rss.xml")];
    if selection.folder.is_empty() {
        formats.push((Format::JsonFeed, "feed.json"));
    }
    for (format, file) in formats {
        planned.push(Planned {
            path: format!("{}{file}", selection.folder),
            format,
            selection: selection.clone(),
        });
    }
}

/// Tags by folder name, each with its first-seen spelling and its notes
/// (newest first). Tags differing only in case share a folder, as in Hugo.
fn tags(site: &Site) -> BTreeMap<String, (String, Vec<&Note>)> {
    let mut tags: BTreeMap<String, (String, Vec<&Note>)> = BTreeMap::new();
    for note in &site.notes {
        for tag in &note.tags {
            let entry = tags
                .entry(tag_folder(tag))
                .or_insert_with(|| (tag.clone(), Vec::new()));
            if !entry.1.iter().any(|n| std::ptr::eq(*n, note)) {
                entry.1.push(note);
            }
        }
    }
    tags
}

/// A tag's folder name, as Hugo's `urlize` makes it: lowercase, letters and
/// digits of any script kept (`勉強会` stays readable), every other run of
/// characters one `-`. Nothing is percent-encoded: a server decodes `%2C` in
/// a request to `,` and would then miss a folder named `a%2Cb`. No tag can
/// name a path outside `tags/` (`..`, `/`, `\`, NUL, `C:`); a tag with no
/// letter or digit gets a stable hash name.
pub fn tag_folder(tag: &str) -> String {
    let mut folder = String::with_capacity(tag.len());
    for c in tag.trim().to_lowercase().chars() {
        if c.is_alphanumeric() || c == '_' {
            folder.push(c);
        } else if !folder.ends_with('-') {
            folder.push('-');
        }
    }
    let trimmed = folder.trim_matches('-');
    let mut folder = if trimmed.is_empty() {
        format!("tag-{:016x}", crate::digest::fnv1a(tag.trim().as_bytes()))
    } else {
        trimmed.to_string()
    };
    // Keep names well under file systems' 255-byte limit.
    if folder.len() > 120 {
        let mut cut = 120;
        while !folder.is_char_boundary(cut) {
            cut -= 1;
        }
        folder.truncate(cut);
    }
    folder
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
mod folder_tests {
    use super::*;

    #[test]
    fn tag_folders_are_safe_and_readable() {
        assert_eq!(tag_folder("Event"), "event");
        assert_eq!(tag_folder("Go Lang"), "go-lang");
        assert_eq!(tag_folder("勉強会"), "勉強会");
        assert_eq!(tag_folder("../etc"), "etc");
        assert_eq!(tag_folder("a\\b"), "a-b");
        assert_eq!(tag_folder("a, b;c"), "a-b-c");
        assert_eq!(tag_folder("C:"), "c");
        assert_eq!(tag_folder("c++"), "c");
        assert_eq!(tag_folder(".."), tag_folder(".."));
        assert!(tag_folder("..").starts_with("tag-"));
        assert_ne!(tag_folder("++"), tag_folder("--"));
        assert!(tag_folder(&"x".repeat(500)).len() <= 120);
    }
}

#[cfg(test)]
mod tests;
