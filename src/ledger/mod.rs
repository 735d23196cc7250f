//! What the output folder has published, kept beside it (docs/outputs.md,
//! "Keeping subscribers in sync"): each note's events by UID with their
//! significant properties hashed, their SEQUENCE and LAST-MODIFIED, and
//! each note's first published feed id. A build reads it before a note's
//! events are rendered ([`reconcile`]) and writes it before it publishes.
//!
//! It is not the cache: deleting the cache loses no revision. Lost, it is
//! rebuilt from the published calendars and JSON Feed, so a SEQUENCE that
//! subscribers have seen is never lowered.

mod cancelled;
mod published;
mod reconcile;

pub use cancelled::{Ghost, next};
pub use reconcile::reconcile;

use crate::publish::STATE_DIR;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// The file, in the output folder's state folder.
const FILE: &str = "ledger";
/// Its first line; another means another layout, rebuilt from the files.
const HEADER: &str = "almanac-ledger 1";

/// What the output folder published, by note slug.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Ledger {
    notes: HashMap<String, Kept>,
    /// Feed ids by entry URL, read from a published JSON Feed when the
    /// ledger was rebuilt: the ids subscribers already have.
    urls: HashMap<String, String>,
    /// Rebuilt from the published files: a cache made beside another
    /// ledger is not to be trusted (its events may hold other revisions).
    pub rebuilt: bool,
}

/// One note's published events and feed id.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The feed id first published, if it is not the note's own.
    pub entry: Option<String>,
    pub events: Vec<Record>,
    /// Its removed slots, published as cancelled for a while.
    pub cancelled: Vec<Ghost>,
}

/// One published event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The slot id: the UID is `{slug}-{id}@{host}`.
    pub id: String,
    /// The hashes of its DTSTART line, its SUMMARY line and all its
    /// significant lines (see [`crate::render::ics::significant`]).
    pub start: u64,
    pub title: u64,
    pub fields: u64,
    pub sequence: u32,
    pub stamp: DateTime<Utc>,
}

impl Ledger {
    /// The ledger of the output folder `out`, rebuilt from its published
    /// files if it has none (or one that does not read).
    pub fn load(out: &Path, host: &str) -> Self {
        let text = std::fs::read_to_string(out.join(STATE_DIR).join(FILE)).ok();
        text.as_deref().and_then(parse).unwrap_or_else(|| Self {
            rebuilt: true,
            ..published::rebuild(out, host)
        })
    }

    /// Whether `out` has a ledger file.
    pub fn exists(out: &Path) -> bool {
        out.join(STATE_DIR).join(FILE).is_file()
    }

    /// What the last run published of the note `slug`.
    pub fn note(&self, slug: &str) -> Option<&Kept> {
        self.notes.get(slug)
    }

    /// Every note's, by slug.
    pub fn notes(&self) -> impl Iterator<Item = (&String, &Kept)> {
        self.notes.iter()
    }

    /// Every cancelled event it keeps, in a fixed order.
    pub fn ghosts(&self) -> Vec<&Ghost> {
        let mut ghosts: Vec<&Ghost> = self
            .notes
            .values()
            .flat_map(|kept| &kept.cancelled)
            .collect();
        ghosts.sort_by(|a, b| (a.start, &a.uid).cmp(&(b.start, &b.uid)));
        ghosts
    }

    /// The feed id a published feed gave the entry at `url`.
    pub fn url_id(&self, url: &str) -> Option<&str> {
        self.urls.get(url).map(String::as_str)
    }

    /// The next run's ledger: `notes` (slug and what it is now) replace
    /// everything.
    pub fn with_notes(notes: impl IntoIterator<Item = (String, Kept)>) -> Self {
        Self {
            notes: notes.into_iter().collect(),
            ..Self::default()
        }
    }

    /// Writes the ledger into `out`'s state folder, atomically and durably:
    /// it is written before the files it describes are published, so a
    /// run stopped between the two never leaves a revision unrecorded.
    pub fn save(&self, out: &Path) -> std::io::Result<()> {
        let dir = out.join(STATE_DIR);
        std::fs::create_dir_all(&dir)?;
        // A slug with a tab or line end (a file may be so named) cannot be
        // one field of a line: its events are new to every run.
        let mut slugs: Vec<&String> = self.notes.keys().filter(|slug| plain(slug)).collect();
        slugs.sort();
        let mut text = String::with_capacity(64 * slugs.len());
        text.push_str(HEADER);
        text.push('\n');
        for slug in slugs {
            let kept = &self.notes[slug];
            let entry = kept.entry.as_deref().filter(|id| plain(id)).unwrap_or("");
            text.push_str(&format!("N\t{slug}\t{entry}\n"));
            for record in &kept.events {
                text.push_str(&format!(
                    "E\t{}\t{:x}\t{:x}\t{:x}\t{}\t{}\n",
                    record.id,
                    record.start,
                    record.title,
                    record.fields,
                    record.sequence,
                    record.stamp.timestamp()
                ));
            }
            for ghost in &kept.cancelled {
                text.push_str(&ghost.line());
            }
        }
        let naming = &crate::publish::LEDGER_FILE;
        // A run killed while writing it left its temporary.
        crate::publish::folder::remove_named(&dir, naming.prefix, naming.suffix);
        let mut temp = crate::publish::temporary(&dir, naming)?;
        temp.write_all(text.as_bytes())?;
        temp.as_file().sync_all()?;
        temp.persist(dir.join(FILE)).map_err(|error| error.error)?;
        Ok(())
    }
}

/// Whether `text` fits in one field of the ledger's lines.
fn plain(text: &str) -> bool {
    !text.is_empty() && !text.contains(['\t', '\n', '\r'])
}

/// A ledger file read back; `None` if any line does not read.
fn parse(text: &str) -> Option<Ledger> {
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let mut notes: HashMap<String, Kept> = HashMap::new();
    let mut current: Option<String> = None;
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["N", slug, entry] => {
                let kept = Kept {
                    entry: (!entry.is_empty()).then(|| entry.to_string()),
                    ..Kept::default()
                };
                notes.insert(slug.to_string(), kept);
                current = Some(slug.to_string());
            }
            ["E", id, start, title, all, sequence, stamp] => {
                let record = Record {
                    id: id.to_string(),
                    start: u64::from_str_radix(start, 16).ok()?,
                    title: u64::from_str_radix(title, 16).ok()?,
                    fields: u64::from_str_radix(all, 16).ok()?,
                    sequence: sequence.parse().ok()?,
                    stamp: DateTime::from_timestamp(stamp.parse().ok()?, 0)?,
                };
                notes.get_mut(current.as_ref()?)?.events.push(record);
            }
            ["G", ..] => {
                let ghost = Ghost::read(&fields)?;
                notes.get_mut(current.as_ref()?)?.cancelled.push(ghost);
            }
            _ => return None,
        }
    }
    Some(Ledger {
        notes,
        ..Ledger::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ledger_reads_back_as_it_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let record = Record {
            id: "1900".into(),
            start: 1,
            title: 0xfeed,
            fields: u64::MAX,
            sequence: 3,
            stamp: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        };
        let ledger = Ledger::with_notes([
            (
                "night".to_string(),
                Kept {
                    entry: Some("tag:x,2024-01-01:/night/".into()),
                    events: vec![record],
                    cancelled: vec![Ghost {
                        id: "2000".into(),
                        uid: "night-2000@x".into(),
                        sequence: 2,
                        start: 1_700_000_000,
                        until: 1_800_000_000,
                        zone: chrono_tz::Europe::Berlin,
                        years: (2023, 2023),
                        tags: vec!["rust".into(), "go".into()],
                        text: "BEGIN:VEVENT\r\nUID:night-2000@x\r\nSUMMARY:a\\tb\r\nEND:VEVENT\r\n"
                            .into(),
                        record: Some(Record {
                            id: "2000".into(),
                            start: 5,
                            title: 6,
                            fields: 0,
                            sequence: 2,
                            stamp: DateTime::UNIX_EPOCH,
                        }),
                    }],
                },
            ),
            ("plain".to_string(), Kept::default()),
        ]);
        ledger.save(dir.path()).unwrap();
        let read = Ledger::load(dir.path(), "x");
        assert!(!read.rebuilt);
        assert_eq!(read, ledger);
        // A slug that cannot be one field is left out, not a broken file.
        let odd = Ledger::with_notes([("a\tb".to_string(), Kept::default())]);
        odd.save(dir.path()).unwrap();
        assert!(!Ledger::load(dir.path(), "x").rebuilt);
    }

    #[test]
    fn a_damaged_ledger_is_rebuilt_from_what_is_published() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(STATE_DIR)).unwrap();
        std::fs::write(
            dir.path().join(STATE_DIR).join(FILE),
            "almanac-ledger 1\nE\tx\n",
        )
        .unwrap();
        assert!(Ledger::load(dir.path(), "x").rebuilt);
    }
}
