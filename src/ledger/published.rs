//! A ledger rebuilt from what the output folder publishes: each note's
//! calendar in `events/` (every event, with its SEQUENCE and LAST-MODIFIED)
//! and the site's JSON Feed (the feed ids subscribers have).

use super::{Kept, Ledger, Record};
use crate::render::EVENTS_FOLDER;
use crate::render::ics::Significant;
use chrono::{NaiveDateTime, Utc};
use std::collections::HashMap;
use std::path::Path;

/// The ledger `out`'s published files tell; empty if there are none.
pub fn rebuild(out: &Path, host: &str) -> Ledger {
    let mut notes = HashMap::new();
    if let Ok(listing) = std::fs::read_dir(out.join(EVENTS_FOLDER)) {
        for entry in listing.flatten() {
            let path = entry.path();
            let Some(slug) = path
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(|name| name.strip_suffix(".ics"))
            else {
                continue;
            };
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let events = events(&text, slug, host);
            notes.insert(
                slug.to_string(),
                std::sync::Arc::new(Kept {
                    events,
                    ..Kept::default()
                }),
            );
        }
    }
    Ledger {
        notes,
        urls: feed_ids(out),
        rebuilt: true,
        ..Ledger::default()
    }
}

/// The events of one published calendar, as the ledger keeps them.
fn events(text: &str, slug: &str, host: &str) -> Vec<Record> {
    let mut records = Vec::new();
    let prefix = format!("{slug}-");
    let suffix = format!("@{host}");
    for block in text.split("BEGIN:VEVENT\r\n").skip(1) {
        let Some(block) = block.split("END:VEVENT\r\n").next() else {
            continue;
        };
        let properties = properties(block);
        let lines = |name: &str| {
            properties
                .iter()
                .find(|(key, _)| *key == name)
                .map_or("", |(_, lines)| *lines)
        };
        let value = |name: &str| {
            let line = lines(name);
            line.split_once(':')
                .map(|(_, value)| value.trim_end().to_string())
        };
        let Some(id) = value("UID").and_then(|uid| {
            Some(
                uid.strip_prefix(&prefix)?
                    .strip_suffix(&suffix)?
                    .to_string(),
            )
        }) else {
            continue;
        };
        let significant = Significant::of(
            lines("DTSTART"),
            lines("DTEND"),
            lines("SUMMARY"),
            lines("LOCATION"),
            lines("STATUS"),
        );
        let stamp = value("LAST-MODIFIED")
            .and_then(|text| NaiveDateTime::parse_from_str(&text, "%Y%m%dT%H%M%SZ").ok())
            .map_or(chrono::DateTime::UNIX_EPOCH, |at| at.and_utc());
        records.push(Record {
            id,
            start: significant.start,
            title: significant.title,
            fields: significant.fields,
            sequence: value("SEQUENCE").and_then(|s| s.parse().ok()).unwrap_or(0),
            stamp: stamp.with_timezone(&Utc),
        });
    }
    records
}

/// Each property of an event's text by name, with its folded lines as
/// written (RFC 5545 §3.1: a line beginning with a space continues the one
/// before). An alarm's properties are not the event's.
pub(super) fn properties(block: &str) -> Vec<(&str, &str)> {
    let mut properties: Vec<(&str, &str)> = Vec::new();
    let mut start = 0;
    let mut nested = false;
    let mut at = 0;
    let bytes = block.as_bytes();
    while at < block.len() {
        let end = block[at..].find("\r\n").map_or(block.len(), |i| at + i + 2);
        let continues = matches!(bytes.get(end), Some(b' ' | b'\t'));
        if !continues {
            let lines = &block[start..end];
            let name = lines.split([':', ';']).next().unwrap_or_default();
            match name {
                "BEGIN" => nested = true,
                "END" => nested = false,
                _ if !nested => properties.push((name, lines)),
                _ => {}
            }
            start = end;
        }
        at = end;
    }
    properties
}

/// Feed ids by entry URL from the published JSON Feed, if there is one.
fn feed_ids(out: &Path) -> HashMap<String, String> {
    #[derive(serde::Deserialize)]
    struct Feed {
        #[serde(default)]
        items: Vec<Item>,
    }
    #[derive(serde::Deserialize)]
    struct Item {
        id: String,
        #[serde(default)]
        url: Option<String>,
    }
    let feed = std::fs::read(out.join("feed.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Feed>(&bytes).ok());
    feed.map(|feed| {
        feed.items
            .into_iter()
            .filter_map(|item| Some((item.url?, item.id)))
            .collect()
    })
    .unwrap_or_default()
}
