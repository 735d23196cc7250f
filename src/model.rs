//! The site as plain data: what every renderer reads. No I/O, no clock.

use crate::config::{Author, SiteConfig};
use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use url::Url;

/// Every note that is not a draft, newest first, plus the site config.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// The build's "now": decides which notes feeds show.
    pub now: DateTime<Utc>,
    /// Sorted newest first (`date`), ties broken by permalink.
    pub notes: Vec<Note>,
    /// Drafts seen and left out, for the run summary.
    pub drafts: usize,
}

/// One published note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// Source path, for messages. Not cached: the content folder may be
    /// named otherwise in the next run.
    #[serde(skip)]
    pub path: PathBuf,
    /// Last segment of the permalink: the calendar's file name and UID prefix.
    pub slug: String,
    pub permalink: Url,
    /// The feed entry id: stable across title and layout changes, and
    /// across date fixes (the first one published is kept, see
    /// [`crate::ledger`]).
    pub id: String,
    /// Whether `id` is the note's own (its `id` key): it is then never
    /// replaced by the one first published.
    #[serde(default)]
    pub id_given: bool,
    pub title: String,
    pub date: DateTime<FixedOffset>,
    /// `lastmod`, else `date`.
    pub updated: DateTime<FixedOffset>,
    /// `publishDate`, else `date`: feeds show the note from then on.
    pub publish: DateTime<FixedOffset>,
    /// `expiryDate`: feeds stop showing the note then.
    pub expiry: Option<DateTime<FixedOffset>>,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    /// Plain-text summary.
    pub summary: String,
    pub image: Option<Url>,
    pub author: Author,
    pub event: EventInfo,
    #[serde(deserialize_with = "exact")]
    pub slots: Vec<Slot>,
    /// With `--source`, its language when not the site's default (a
    /// translation): it is in that language's feeds, not the site's.
    #[serde(default)]
    pub language: Option<String>,
    /// With `--source`, the folders of the generator's list feeds that
    /// hold it (`posts/`, `tags/meetup/`), under the output folder.
    #[serde(default)]
    pub lists: Vec<String>,
}

impl Note {
    /// Whether feeds show the note at `now`.
    pub fn in_feeds(&self, now: DateTime<Utc>) -> bool {
        self.publish <= now && self.expiry.is_none_or(|expiry| expiry > now)
    }

    /// The folder of each of its tags, in order (see [`tag_folder`]).
    pub fn tag_folders(&self) -> impl Iterator<Item = String> + '_ {
        self.tags.iter().map(|tag| tag_folder(tag))
    }

    /// Tags and categories together, each once, as feed categories.
    pub fn all_categories(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for term in self.tags.iter().chain(&self.categories) {
            if !seen.contains(&term.as_str()) {
                seen.push(term);
            }
        }
        seen
    }
}

/// Sanitized HTML of the notes' bodies with absolute links, by source
/// path: what feeds show as each entry's content. Rendered only for the
/// entries of the feeds a run writes (a few hundred of a large site's
/// thousands), and kept apart from the site: it is as large as the notes.
pub type FeedHtml = std::collections::HashMap<PathBuf, String>;

/// What the note's `event` map says of every slot in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventInfo {
    pub timezone: Tz,
    pub location: Option<String>,
    pub url: Option<Url>,
    pub status: Status,
    pub sequence: u32,
    /// Minutes before each event its reminder goes off: `event.alarm_minutes`,
    /// else the site's `alarm_minutes`.
    #[serde(default)]
    pub alarm_minutes: Option<u32>,
}

/// RFC 5545 §3.8.1.11 STATUS values for VEVENT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Confirmed,
    Tentative,
    Cancelled,
}

impl Status {
    pub fn ical(self) -> &'static str {
        match self {
            Status::Confirmed => "CONFIRMED",
            Status::Tentative => "TENTATIVE",
            Status::Cancelled => "CANCELLED",
        }
    }
}

/// One timed agenda slot: one calendar event.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// Heading attribute id, else `HHMM` of the start (`-2`, `-3` … on repeats).
    pub id: String,
    /// File line of the slot, for messages.
    pub line: usize,
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
    /// A whole-day span (`event.start` given as a date): `start` is the
    /// first day's midnight and `end` the midnight after the last day.
    pub all_day: bool,
    /// What it says: `None` for a slot taken from the cache, which keeps
    /// slots without their texts (their rendered events carry them).
    /// Boxed: every slot of a site is held at once, and a slot without its
    /// texts is then a third of the size it would be with room for them.
    pub text: Option<Box<SlotText>>,
    /// Its event's SEQUENCE and LAST-MODIFIED as the published state gives
    /// them (see [`crate::ledger`]); `None`: the note's `event.sequence`
    /// and `lastmod`. Only a slot about to be rendered has one.
    pub revision: Option<Revision>,
}

/// An event's revision: RFC 5545 §3.8.7.4 asks for a higher SEQUENCE each
/// time its start, end or the like change, and Google Calendar applies no
/// change to a known UID without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revision {
    pub sequence: u32,
    /// DTSTAMP and LAST-MODIFIED.
    pub stamp: DateTime<Utc>,
}

/// A slot's words: its title, who speaks, and its body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SlotText {
    pub title: String,
    pub speaker: Option<Speaker>,
    /// Plain text: the slot's bullets, links and prose.
    pub description: String,
}

impl SlotText {
    /// The event title: `Title — Speaker` for a talk, on one line. Calendar
    /// titles are single lines, and calcurse drops a whole event whose
    /// SUMMARY holds a line break ("line break in summary").
    pub fn summary(&self) -> String {
        let title = match &self.speaker {
            Some(speaker) if !speaker.name.is_empty() => {
                format!("{} — {}", self.title, speaker.name)
            }
            _ => self.title.clone(),
        };
        if title.contains(['\n', '\r']) {
            title
                .split(['\n', '\r'])
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            title
        }
    }
}

impl Slot {
    pub fn start_utc(&self) -> DateTime<Utc> {
        self.start.with_timezone(&Utc)
    }

    pub fn end_utc(&self) -> DateTime<Utc> {
        self.end.with_timezone(&Utc)
    }
}

#[cfg(test)]
impl Slot {
    /// The text of a slot the reader just made (tests read no cached slot).
    pub fn words(&self) -> &SlotText {
        self.text.as_ref().expect("a parsed slot keeps its text")
    }
}

/// A slot as the cache stores it: the texts beside the times, each left
/// out when empty (a cached slot has none). Kept field for field, so the
/// cache's notes file reads as it always has.
#[derive(Serialize)]
struct StoredSlot<'a> {
    id: &'a str,
    line: usize,
    #[serde(with = "zoned")]
    start: &'a DateTime<Tz>,
    #[serde(with = "zoned")]
    end: &'a DateTime<Tz>,
    #[serde(skip_serializing_if = "is_false")]
    all_day: bool,
    #[serde(skip_serializing_if = "str::is_empty")]
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker: Option<&'a Speaker>,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
}

fn is_false(flag: &bool) -> bool {
    !flag
}

/// [`StoredSlot`] read back.
#[derive(Deserialize)]
struct ReadSlot {
    id: String,
    line: usize,
    #[serde(with = "zoned")]
    start: DateTime<Tz>,
    #[serde(with = "zoned")]
    end: DateTime<Tz>,
    #[serde(default)]
    all_day: bool,
    #[serde(default)]
    title: String,
    #[serde(default)]
    speaker: Option<Speaker>,
    #[serde(default)]
    description: String,
}

impl Serialize for Slot {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.text.as_ref();
        StoredSlot {
            id: &self.id,
            line: self.line,
            start: &self.start,
            end: &self.end,
            all_day: self.all_day,
            title: text.map_or("", |text| text.title.as_str()),
            speaker: text.and_then(|text| text.speaker.as_ref()),
            description: text.map_or("", |text| text.description.as_str()),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Slot {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let read = ReadSlot::deserialize(deserializer)?;
        let text = SlotText {
            title: read.title,
            speaker: read.speaker,
            description: read.description,
        };
        Ok(Slot {
            id: read.id,
            line: read.line,
            start: read.start,
            end: read.end,
            all_day: read.all_day,
            text: (text != SlotText::default()).then(|| Box::new(text)),
            revision: None,
        })
    }
}

/// A list read back at its length: read from JSON, which gives no
/// length ahead, it grew by doubling, and an edit run holds every cached
/// note's slots at once (160 bytes a slot).
fn exact<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    let mut read = Vec::<T>::deserialize(deserializer)?;
    read.shrink_to_fit();
    Ok(read)
}

/// Who gives a talk: `Name(@handle) ◆ Affiliation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    pub name: String,
    pub handle: Option<String>,
    pub affiliation: Option<String>,
}

impl Speaker {
    /// `Name (@handle), Affiliation`, for descriptions.
    pub fn display(&self) -> String {
        let mut text = self.name.clone();
        if let Some(handle) = &self.handle {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&format!("(@{handle})"));
        }
        if let Some(affiliation) = &self.affiliation {
            text.push_str(", ");
            text.push_str(affiliation);
        }
        text
    }
}

/// A zoned instant as `[unix seconds, "Zone/Name"]`: chrono deserializes
/// `DateTime<Tz>` for no `Tz` but its own three.
mod zoned {
    use chrono::{DateTime, TimeZone};
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    pub fn serialize<S: Serializer, At: std::borrow::Borrow<DateTime<Tz>>>(
        at: &At,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let at = at.borrow();
        (at.timestamp(), at.timezone().name()).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Tz>, D::Error> {
        let (seconds, Zone(zone)): (i64, Zone) = Deserialize::deserialize(deserializer)?;
        zone.timestamp_opt(seconds, 0)
            .single()
            .ok_or_else(|| D::Error::custom("instant out of range"))
    }

    /// A zone read from its name without copying the name: an edit run
    /// reads two for every slot of every cached note.
    struct Zone(Tz);

    impl<'de> Deserialize<'de> for Zone {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Name;
            impl serde::de::Visitor<'_> for Name {
                type Value = Zone;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an IANA time zone name")
                }
                fn visit_str<E: Error>(self, name: &str) -> Result<Zone, E> {
                    name.parse()
                        .map(Zone)
                        .map_err(|_| E::custom("unknown zone"))
                }
            }
            deserializer.deserialize_str(Name)
        }
    }
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

#[cfg(test)]
mod folder_tests {
    use super::*;

    #[test]
    fn a_slot_without_its_texts_is_small() {
        // Every slot of a site is held at once (docs/performance.md): its
        // texts, absent from a cached slot, take no room in it.
        assert!(std::mem::size_of::<Slot>() <= 160);
    }

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
