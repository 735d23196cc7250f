//! Site → output files. Each format is a pure function of `&Site` and a
//! selection of its notes; nothing here touches the file system or the clock.

pub mod atom;
pub mod ical;
pub mod ics;
pub mod json_feed;
pub mod rss;
pub mod vtimezone;

use crate::model::{Note, Site};
use chrono::{DateTime, FixedOffset};
use std::collections::BTreeMap;
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
        let visible = self.notes.iter().copied().filter(|note| note.in_feeds);
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
pub fn updated(entries: &[&Note], site: &Site) -> DateTime<FixedOffset> {
    entries
        .iter()
        .map(|note| note.updated)
        .max()
        .or_else(|| site.notes.iter().map(|note| note.updated).max())
        .unwrap_or_else(|| DateTime::UNIX_EPOCH.fixed_offset())
}

/// Every file of the site: the site-wide feeds and calendar, one calendar per
/// note with events, and feeds and calendar per tag.
pub fn outputs(site: &Site) -> Vec<Output> {
    let mut out = Vec::new();
    let whole = Selection {
        title: site.config.title.clone(),
        folder: String::new(),
        notes: site.notes.iter().collect(),
    };
    feeds_into(site, &whole, &mut out);
    out.push(Output {
        path: "calendar.ics".into(),
        bytes: ics::calendar(site, &whole.title, &whole.notes).into_bytes(),
    });
    for note in site.notes.iter().filter(|note| !note.slots.is_empty()) {
        out.push(Output {
            path: format!("events/{}.ics", note.slug),
            bytes: ics::calendar(site, &note.title, &[note]).into_bytes(),
        });
    }
    for (folder, (name, notes)) in tags(site) {
        let selection = Selection {
            title: format!("{} — {}", site.config.title, name),
            folder: format!("tags/{folder}/"),
            notes,
        };
        feeds_into(site, &selection, &mut out);
        if selection.notes.iter().any(|note| !note.slots.is_empty()) {
            out.push(Output {
                path: format!("{}calendar.ics", selection.folder),
                bytes: ics::calendar(site, &selection.title, &selection.notes).into_bytes(),
            });
        }
    }
    out
}

fn feeds_into(site: &Site, selection: &Selection, out: &mut Vec<Output>) {
    out.push(Output {
        path: format!("{}atom.xml", selection.folder),
        bytes: atom::feed(site, selection).into_bytes(),
    });
    out.push(Output {
        path: format!("{}rss.xml", selection.folder),
        bytes: rss::feed(site, selection).into_bytes(),
    });
    if selection.folder.is_empty() {
        out.push(Output {
            path: "feed.json".into(),
            bytes: json_feed::feed(site, selection).into_bytes(),
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

/// A tag's folder name: lowercase, spaces as `-`, readable Unicode kept, and
/// anything a file system or URL treats specially percent-encoded, so no tag
/// can name a path outside `tags/` (`..`, `/`, `\`, NUL, `C:`).
pub fn tag_folder(tag: &str) -> String {
    let lower = tag.trim().to_lowercase();
    let mut folder = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            ' ' | '\t' | '\u{3000}' => folder.push('-'),
            c if c.is_alphanumeric() || matches!(c, '-' | '_') => folder.push(c),
            c => {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    folder.push_str(&format!("%{byte:02X}"));
                }
            }
        }
    }
    // Keep names well under file systems' 255-byte limit.
    if folder.len() > 120 {
        let mut cut = 120;
        while !folder.is_char_boundary(cut) {
            cut -= 1;
        }
        folder.truncate(cut);
    }
    if folder.is_empty() {
        "%20".into()
    } else {
        folder
    }
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
mod tests {
    use super::*;

    #[test]
    fn tag_folders_are_safe_and_readable() {
        assert_eq!(tag_folder("Event"), "event");
        assert_eq!(tag_folder("Go Lang"), "go-lang");
        assert_eq!(tag_folder("勉強会"), "勉強会");
        assert_eq!(tag_folder("../etc"), "%2E%2E%2Fetc");
        assert_eq!(tag_folder("a\\b"), "a%5Cb");
        assert_eq!(tag_folder("C:"), "c%3A");
        assert_eq!(tag_folder("c++"), "c%2B%2B");
        assert!(tag_folder(&"x".repeat(500)).len() <= 120);
    }
}
