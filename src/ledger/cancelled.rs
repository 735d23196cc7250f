//! Removed slots, published as cancelled for a while (docs/outputs.md,
//! "Keeping subscribers in sync"): a calendar app that imported an event
//! keeps it when it merely disappears from the file; one with
//! `STATUS:CANCELLED` and a higher SEQUENCE (RFC 5545 §3.8.1.11,
//! §3.8.7.4) it removes. They stay in the subscribed calendars for
//! `cancelled_days`, then leave them.

use super::published::properties;
use super::{Kept, Ledger, Record};
use crate::config::SiteConfig;
use crate::model::Site;
use crate::render::EVENTS_FOLDER;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// One removed slot's cancelled event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ghost {
    /// Its slot id, never given to another slot while it is kept.
    pub id: String,
    pub uid: String,
    /// The SEQUENCE it is published with: one more than the last live one.
    pub sequence: u32,
    /// Its start (seconds since the epoch), for its place in calendars.
    pub start: i64,
    /// When it leaves the calendars (seconds since the epoch).
    pub until: i64,
    pub zone: Tz,
    pub years: (i32, i32),
    /// The tag folders of its note when it was removed.
    pub tags: Vec<String>,
    /// Its VEVENT, CRLF lines.
    pub text: String,
    /// What it was when live, to know it again if it comes back.
    pub record: Option<Record>,
}

impl Ghost {
    /// Its line in the ledger file.
    pub(super) fn line(&self) -> String {
        let record = self.record.as_ref();
        format!(
            "G\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:x}\t{:x}\t{}\n",
            self.id,
            self.uid,
            self.sequence,
            self.start,
            self.until,
            self.zone.name(),
            self.years.0,
            self.years.1,
            self.tags.join(","),
            escape(&self.text),
            record.map_or(0, |r| r.start),
            record.map_or(0, |r| r.title),
            record.map_or(0, |r| r.sequence),
        )
    }

    /// A ledger line read back (its fields split at tabs).
    pub(super) fn read(fields: &[&str]) -> Option<Self> {
        let [
            _,
            id,
            uid,
            sequence,
            start,
            until,
            zone,
            first,
            last,
            tags,
            text,
            record_start,
            record_title,
            record_sequence,
        ] = fields
        else {
            return None;
        };
        let sequence = sequence.parse().ok()?;
        Some(Self {
            id: id.to_string(),
            uid: uid.to_string(),
            sequence,
            start: start.parse().ok()?,
            until: until.parse().ok()?,
            zone: zone.parse().ok()?,
            years: (first.parse().ok()?, last.parse().ok()?),
            tags: tags
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            text: unescape(text)?,
            record: Some(Record {
                id: id.to_string(),
                start: u64::from_str_radix(record_start, 16).ok()?,
                title: u64::from_str_radix(record_title, 16).ok()?,
                // Never the same as a live event: one that comes back is
                // a new revision of the cancelled one.
                fields: 0,
                sequence: record_sequence.parse().unwrap_or(sequence),
                stamp: DateTime::UNIX_EPOCH,
            }),
        })
    }

    /// Its start as an instant.
    pub fn start_utc(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.start, 0).unwrap_or(DateTime::UNIX_EPOCH)
    }
}

/// The ledger after this run: each note read anew as `kept` says, each
/// taken from the cache as `ledger` had it; a slot that is gone since
/// `ledger` becomes a cancelled event, from its text in the published
/// `events/` calendar of `out`, for `cancelled_days` from `now`.
pub fn next(
    site: &Site,
    ledger: &Ledger,
    kept: Vec<(String, Kept)>,
    out: &Path,
    now: DateTime<Utc>,
) -> Ledger {
    let mut fresh: HashMap<String, Kept> = kept.into_iter().collect();
    let mut notes: Vec<(String, Arc<Kept>)> = Vec::with_capacity(site.notes.len());
    let mut live: HashSet<&str> = HashSet::with_capacity(site.notes.len());
    for note in &site.notes {
        live.insert(&note.slug);
        let shared = ledger.shared(&note.slug);
        let old = shared.map(|kept| &**kept);
        let read_anew = fresh.remove(&note.slug);
        // A note taken from the cache has the events the ledger says; with
        // no cancelled event to age, its records are the ledger's.
        if let Some(shared) = shared.filter(|old| read_anew.is_none() && old.cancelled.is_empty()) {
            notes.push((note.slug.clone(), Arc::clone(shared)));
            continue;
        }
        let mut now_kept = read_anew.or_else(|| old.cloned()).unwrap_or_else(|| Kept {
            entry: (!note.id_given).then(|| note.id.clone()),
            ..Kept::default()
        });
        let tags: Vec<String> = note.tag_folders().collect();
        now_kept.cancelled = cancelled(&site.config, old, &now_kept, (&note.slug, &tags), out, now);
        notes.push((note.slug.clone(), Arc::new(now_kept)));
    }
    // A removed note's events: cancelled in the site's calendar (its tags
    // are not known any more), its feed id kept should it come back.
    for (slug, old) in ledger
        .notes()
        .filter(|(slug, _)| !live.contains(slug.as_str()))
    {
        let ghosts = cancelled(
            &site.config,
            Some(old),
            &Kept::default(),
            (slug, &[]),
            out,
            now,
        );
        if !ghosts.is_empty() {
            let kept = Kept {
                entry: old.entry.clone(),
                events: Vec::new(),
                cancelled: ghosts,
            };
            notes.push((slug.clone(), Arc::new(kept)));
        }
    }
    Ledger::with_shared(notes)
}

/// The cancelled events of the note `slug` (tagged `tags`) now that it
/// has the events of `now_kept`: those of `old` still within their days
/// and not back, and each slot of `old` that is gone.
fn cancelled(
    config: &SiteConfig,
    old: Option<&Kept>,
    now_kept: &Kept,
    (slug, tags): (&str, &[String]),
    out: &Path,
    now: DateTime<Utc>,
) -> Vec<Ghost> {
    let Some(old) = old else {
        return Vec::new();
    };
    let live: HashSet<&str> = now_kept.events.iter().map(|r| r.id.as_str()).collect();
    let mut ghosts: Vec<Ghost> = old
        .cancelled
        .iter()
        .filter(|ghost| ghost.until > now.timestamp() && !live.contains(ghost.id.as_str()))
        .cloned()
        .collect();
    let removed: Vec<&Record> = old
        .events
        .iter()
        .filter(|record| !live.contains(record.id.as_str()))
        .collect();
    if removed.is_empty() || config.window.cancelled_days == 0 {
        return ghosts;
    }
    let path = out.join(EVENTS_FOLDER).join(format!("{slug}.ics"));
    let Ok(published) = std::fs::read_to_string(path) else {
        return ghosts;
    };
    let until = now
        .checked_add_signed(
            Duration::try_days(i64::from(config.window.cancelled_days)).unwrap_or(Duration::MAX),
        )
        .map_or(i64::MAX, |at| at.timestamp());
    for record in removed {
        let uid = format!("{slug}-{}@{}", record.id, config.host());
        if let Some(ghost) = ghost(config, &published, record, &uid, tags, now, until) {
            ghosts.push(ghost);
        }
    }
    ghosts
}

/// The cancelled form of the published event `uid` in `published`.
fn ghost(
    config: &SiteConfig,
    published: &str,
    record: &Record,
    uid: &str,
    tags: &[String],
    now: DateTime<Utc>,
    until: i64,
) -> Option<Ghost> {
    let marker = format!("UID:{uid}\r\n");
    let block = published
        .split("BEGIN:VEVENT\r\n")
        .skip(1)
        .filter_map(|block| block.split("END:VEVENT\r\n").next())
        .find(|block| block.contains(&marker))?;
    let sequence = record.sequence.saturating_add(1);
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut text = String::from("BEGIN:VEVENT\r\n");
    let mut start = None;
    for (name, lines) in properties(block) {
        match name {
            "DTSTAMP" | "LAST-MODIFIED" => text.push_str(&format!("{name}:{stamp}\r\n")),
            "SEQUENCE" => text.push_str(&format!("SEQUENCE:{sequence}\r\n")),
            "STATUS" => text.push_str("STATUS:CANCELLED\r\n"),
            "DTSTART" => {
                start = instant(lines, config.timezone);
                text.push_str(lines);
            }
            _ => text.push_str(lines),
        }
    }
    text.push_str("END:VEVENT\r\n");
    let (start, zone) = start?;
    let year = start.with_timezone(&zone).year();
    Some(Ghost {
        id: record.id.clone(),
        uid: uid.to_string(),
        sequence,
        start: start.timestamp(),
        until,
        zone,
        years: (year, year),
        tags: tags.to_vec(),
        text,
        record: Some(Record {
            fields: 0,
            sequence,
            ..record.clone()
        }),
    })
}

/// The instant and zone of a DTSTART line as almanac writes them: a local
/// time with its TZID, a UTC time, or a date (midnight in `site_zone`).
fn instant(line: &str, site_zone: Tz) -> Option<(DateTime<Utc>, Tz)> {
    let (name, value) = line.trim_end().split_once(':')?;
    if let Some(zone) = name.strip_prefix("DTSTART;TZID=") {
        let zone: Tz = zone.trim_matches('"').parse().ok()?;
        let local = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").ok()?;
        return Some((zone.from_local_datetime(&local).earliest()?.to_utc(), zone));
    }
    if name == "DTSTART;VALUE=DATE" {
        let day = NaiveDate::parse_from_str(value, "%Y%m%d").ok()?;
        let midnight = site_zone
            .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
            .earliest()?;
        return Some((midnight.to_utc(), site_zone));
    }
    let at = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ").ok()?;
    Some((at.and_utc(), site_zone))
}

/// Text in one field of a ledger line: no tab, no line end.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\r', "\\r")
        .replace('\n', "\\n")
}

fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            't' => '\t',
            'r' => '\r',
            'n' => '\n',
            '\\' => '\\',
            _ => return None,
        });
    }
    Some(out)
}
