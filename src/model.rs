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
    /// The feed entry id: stable across title and layout changes.
    pub id: String,
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
    /// Sanitized HTML of the body with absolute links. Rendered only for
    /// the notes a feed shows, once the site is assembled (see
    /// [`crate::site::fill_content`]): a few hundred of a large site's
    /// thousands. Never cached: it is as large as the note itself.
    #[serde(skip)]
    pub content_html: String,
    pub image: Option<Url>,
    pub author: Author,
    pub event: EventInfo,
    pub slots: Vec<Slot>,
}

impl Note {
    /// Whether feeds show the note at `now`.
    pub fn in_feeds(&self, now: DateTime<Utc>) -> bool {
        self.publish <= now && self.expiry.is_none_or(|expiry| expiry > now)
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

/// What the note's `event` map says of every slot in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventInfo {
    pub timezone: Tz,
    pub location: Option<String>,
    pub url: Option<Url>,
    pub status: Status,
    pub sequence: u32,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    /// Heading attribute id, else `HHMM` of the start (`-2`, `-3` … on repeats).
    pub id: String,
    /// File line of the slot, for messages.
    pub line: usize,
    #[serde(with = "zoned")]
    pub start: DateTime<Tz>,
    #[serde(with = "zoned")]
    pub end: DateTime<Tz>,
    // The cache keeps slots without their texts (their events carry them):
    // absent there, not written as empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Speaker>,
    /// Plain text: the slot's bullets, links and prose.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl Slot {
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

    pub fn start_utc(&self) -> DateTime<Utc> {
        self.start.with_timezone(&Utc)
    }

    pub fn end_utc(&self) -> DateTime<Utc> {
        self.end.with_timezone(&Utc)
    }
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

    pub fn serialize<S: Serializer>(at: &DateTime<Tz>, serializer: S) -> Result<S::Ok, S::Error> {
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
