//! What the model says each output file holds (`almanac check --json`): the
//! feed entries and calendar events, with UTC instants. Subscribers' clients
//! are compared against it, and users can see what a build will publish.

use crate::model::Site;
use crate::render::{self, Format, Planned, ics};
use chrono::SecondsFormat;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub files: Vec<File>,
}

#[derive(Debug, Serialize)]
pub struct File {
    pub path: String,
    pub format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<Vec<Entry>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<Event>>,
}

#[derive(Debug, Serialize)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub url: String,
    pub published: String,
    pub updated: String,
}

#[derive(Debug, Serialize)]
pub struct Event {
    pub uid: String,
    pub start: String,
    pub end: String,
    pub summary: String,
    pub status: &'static str,
}

pub fn manifest(site: &Site) -> Manifest {
    let files = render::plan(site)
        .into_iter()
        .map(|planned| {
            let format = match planned.format {
                Format::Atom => "atom",
                Format::Rss => "rss",
                Format::JsonFeed => "json",
                Format::Calendar => "ics",
                Format::Page if planned.path == render::stylesheet::STYLESHEET => "xsl",
                Format::Page => "html",
            };
            let (entries, events) = match planned.format {
                Format::Page => (None, None),
                Format::Calendar => (None, Some(events(site, &planned))),
                _ => (Some(entries(site, &planned)), None),
            };
            File {
                path: planned.path,
                format,
                entries,
                events,
            }
        })
        .collect();
    Manifest { files }
}

/// A calendar's events, in the calendar's order.
fn events(site: &Site, planned: &Planned) -> Vec<Event> {
    let utc = |at: chrono::DateTime<chrono::Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut events: Vec<Event> = planned
        .selection
        .notes
        .iter()
        .flat_map(|note| {
            note.slots.iter().map(move |slot| Event {
                uid: ics::uid(&site.config, note, slot),
                // An all-day event is its days, as written: the first, and
                // the day after the last.
                start: match slot.all_day {
                    true => slot.start.format("%Y-%m-%d").to_string(),
                    false => utc(slot.start_utc()),
                },
                end: match slot.all_day {
                    true => slot.end.format("%Y-%m-%d").to_string(),
                    false => utc(slot.end_utc()),
                },
                summary: slot
                    .text
                    .as_ref()
                    .map(|text| ics::summary(&site.config, note, text))
                    .unwrap_or_default(),
                status: note.event.status.ical(),
            })
        })
        .collect();
    events.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.uid.cmp(&b.uid)));
    events
}

/// A feed's entries, newest first.
fn entries(site: &Site, planned: &Planned) -> Vec<Entry> {
    planned
        .selection
        .entries(site)
        .into_iter()
        .map(|note| Entry {
            id: note.id.clone(),
            title: note.title.clone(),
            url: note.permalink.to_string(),
            published: note.date.to_rfc3339(),
            updated: note.updated.to_rfc3339(),
        })
        .collect()
}
