//! What the output folder has published, kept beside it (docs/outputs.md,
//! "Keeping subscribers in sync"): each note's events by UID with their
//! significant properties hashed, their SEQUENCE and LAST-MODIFIED, and
//! each note's first published feed id. A build reads it before a note's
//! events are rendered ([`reconcile`]) and writes it before it publishes.
//!
//! It is not the cache: deleting the cache loses no revision. Lost, it is
//! rebuilt from the published calendars and JSON Feed, so a SEQUENCE that
//! subscribers have seen is never lowered.
//!
//! The file is a series of segments, each closed by a line with its size
//! and checksum; a later segment's notes replace an earlier one's. A run
//! that changes a few notes appends their sections instead of writing
//! every note's again (an edit run rewrote and synced 7 MB at 10,000
//! notes to change one), and the file is written anew, one segment, once
//! the appended ones outgrow the first. A segment torn by a crash has no
//! closing line and is ignored: its run was stopped before it published.

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
use std::sync::Arc;

/// The file, in the output folder's state folder.
const FILE: &str = "ledger";
/// Its first line; another means another layout, rebuilt from the files.
const HEADER: &str = "almanac-ledger 2";
/// The first line of the layout before segments: one segment, unclosed.
const HEADER_1: &str = "almanac-ledger 1";

/// What the output folder published, by note slug.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Ledger {
    /// Shared with the next run's ledger where a note is unchanged: each
    /// note's records are not copied on every run.
    notes: HashMap<String, Arc<Kept>>,
    /// Feed ids by entry URL, read from a published JSON Feed when the
    /// ledger was rebuilt: the ids subscribers already have.
    urls: HashMap<String, String>,
    /// Rebuilt from the published files: a cache made beside another
    /// ledger is not to be trusted (its events may hold other revisions).
    pub rebuilt: bool,
    /// The file it was read from, if one: what an append continues.
    file: Option<FileSize>,
}

/// A ledger file's size, and that of its first segment (the one written
/// anew), both in bytes.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct FileSize {
    len: u64,
    first: u64,
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
        self.notes.get(slug).map(|kept| &**kept)
    }

    /// Every note's, by slug.
    pub fn notes(&self) -> impl Iterator<Item = (&String, &Kept)> {
        self.notes.iter().map(|(slug, kept)| (slug, &**kept))
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
    #[cfg(test)]
    pub fn with_notes(notes: impl IntoIterator<Item = (String, Kept)>) -> Self {
        Self::with_shared(notes.into_iter().map(|(slug, kept)| (slug, Arc::new(kept))))
    }

    /// The next run's ledger: `shared` (slug and what it is now, the
    /// records of an unchanged note shared with this run's) replace
    /// everything.
    pub fn with_shared(shared: impl IntoIterator<Item = (String, Arc<Kept>)>) -> Self {
        Self {
            notes: shared.into_iter().collect(),
            ..Self::default()
        }
    }

    /// The records of the note `slug`, to share with the next ledger.
    pub(crate) fn shared(&self, slug: &str) -> Option<&Arc<Kept>> {
        self.notes.get(slug)
    }

    /// Writes the ledger into `out`'s state folder, durably: it is written
    /// before the files it describes are published, so a run stopped
    /// between the two never leaves a revision unrecorded. `before` is the
    /// ledger the run loaded from `out`: only the notes that changed since
    /// are appended to its file, and nothing is written if none did.
    pub fn save(&self, out: &Path, before: &Ledger) -> std::io::Result<()> {
        let dir = out.join(STATE_DIR);
        match before.file.filter(|_| !before.rebuilt) {
            Some(file) => {
                let changed = self.changed_since(before);
                if changed.is_empty() {
                    return Ok(());
                }
                let segment = segment(&changed);
                let grown = file.len - file.first + segment.len() as u64;
                if grown <= file.first {
                    return append(&dir.join(FILE), file.len, segment.as_bytes());
                }
                self.write_anew(&dir)
            }
            None => self.write_anew(&dir),
        }
    }

    /// The notes whose sections differ from `before`'s (a removed one as
    /// `None`), by slug, in order.
    fn changed_since<'a>(&'a self, before: &'a Ledger) -> Vec<(&'a str, Option<&'a Kept>)> {
        let mut changed: Vec<(&str, Option<&Kept>)> = self
            .notes
            .iter()
            .filter(|(slug, kept)| before.notes.get(*slug) != Some(kept))
            .map(|(slug, kept)| (slug.as_str(), Some(&**kept)))
            .collect();
        changed.extend(
            before
                .notes
                .keys()
                .filter(|slug| !self.notes.contains_key(*slug))
                .map(|slug| (slug.as_str(), None)),
        );
        changed.sort_by(|a, b| a.0.cmp(b.0));
        changed
    }

    /// The whole ledger as one segment, in a new file, atomically.
    fn write_anew(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let mut notes: Vec<(&str, Option<&Kept>)> = self
            .notes
            .iter()
            .map(|(slug, kept)| (slug.as_str(), Some(&**kept)))
            .collect();
        notes.sort_by(|a, b| a.0.cmp(b.0));
        let mut text = format!("{HEADER}\n");
        text.push_str(&segment(&notes));
        let naming = &crate::publish::LEDGER_FILE;
        // A run killed while writing it left its temporary.
        crate::publish::folder::remove_named(dir, naming.prefix, naming.suffix);
        let mut temp = crate::publish::temporary(dir, naming)?;
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

/// The lines of `notes` (a removed one's as `R`), closed by the line that
/// gives their size and checksum.
fn segment(notes: &[(&str, Option<&Kept>)]) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(64 * notes.len());
    // A slug with a tab or line end (a file may be so named) cannot be one
    // field of a line: its events are new to every run.
    for (slug, kept) in notes.iter().filter(|(slug, _)| plain(slug)) {
        let Some(kept) = kept else {
            let _ = writeln!(text, "R\t{slug}");
            continue;
        };
        let entry = kept.entry.as_deref().filter(|id| plain(id)).unwrap_or("");
        let _ = writeln!(text, "N\t{slug}\t{entry}");
        for record in &kept.events {
            let _ = writeln!(
                text,
                "E\t{}\t{:x}\t{:x}\t{:x}\t{}\t{}",
                record.id,
                record.start,
                record.title,
                record.fields,
                record.sequence,
                record.stamp.timestamp()
            );
        }
        for ghost in &kept.cancelled {
            text.push_str(&ghost.line());
        }
    }
    let sum = crate::digest::checksum(text.as_bytes());
    let _ = writeln!(text, "S\t{}\t{sum:016x}", text.len());
    text
}

/// Appends `segment` to the ledger file at `path` after its `closed`
/// bytes (its closed segments: a torn one after them goes), durably. What
/// they hold stays as it was: a crash midway leaves a segment without its
/// closing line, which is not read.
fn append(path: &Path, closed: u64, segment: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
    if file.metadata()?.len() != closed {
        file.set_len(closed)?;
    }
    file.write_all(segment)?;
    file.sync_data()
}

/// A ledger file read back; `None` if any closed segment does not read or
/// check out. What follows the last closed segment (an append a crash
/// tore) is left out.
fn parse(text: &str) -> Option<Ledger> {
    let (header, body) = text.split_once('\n')?;
    let mut notes: HashMap<String, Arc<Kept>> = HashMap::new();
    let mut first = None;
    let mut len = text.len();
    match header {
        HEADER_1 => read_segment(body, &mut notes)?,
        HEADER => {
            let mut rest = body;
            while let Some(closed) = closed_segment(rest) {
                let (lines, after) = closed?;
                read_segment(lines, &mut notes)?;
                rest = after;
                first.get_or_insert(text.len() - rest.len());
            }
            len = text.len() - rest.len();
        }
        _ => return None,
    }
    Some(Ledger {
        notes,
        file: Some(FileSize {
            len: len as u64,
            first: first.unwrap_or(len) as u64,
        }),
        ..Ledger::default()
    })
}

/// The first segment of `text` and what follows it: `None` if `text`
/// holds no closed segment, `Some(None)` if the one it holds is damaged.
fn closed_segment(text: &str) -> Option<Option<(&str, &str)>> {
    let mut at = 0;
    loop {
        let end = at + text[at..].find('\n')?;
        let line = &text[at..end];
        if let Some(close) = line.strip_prefix("S\t") {
            let lines = &text[..at];
            let sound = close.split_once('\t').is_some_and(|(len, sum)| {
                len.parse() == Ok(lines.len())
                    && u64::from_str_radix(sum, 16) == Ok(crate::digest::checksum(lines.as_bytes()))
            });
            return Some(sound.then(|| (lines, &text[end + 1..])));
        }
        at = end + 1;
    }
}

/// Reads the lines of one segment into `notes`: each note's section
/// replaces what an earlier segment said of it. `None` if a line does not
/// read.
fn read_segment(text: &str, notes: &mut HashMap<String, Arc<Kept>>) -> Option<()> {
    // The note being read, put in `notes` when the next section begins.
    let mut current: Option<(&str, Kept)> = None;
    fn done(current: &mut Option<(&str, Kept)>, notes: &mut HashMap<String, Arc<Kept>>) {
        if let Some((slug, kept)) = current.take() {
            notes.insert(slug.to_string(), Arc::new(kept));
        }
    }
    // One buffer for every line's fields: ninety thousand lines at ten
    // thousand notes.
    let mut fields: Vec<&str> = Vec::with_capacity(16);
    for line in text.lines() {
        fields.clear();
        fields.extend(line.split('\t'));
        match fields.as_slice() {
            ["R", slug] => {
                done(&mut current, notes);
                notes.remove(*slug);
            }
            ["N", slug, entry] => {
                done(&mut current, notes);
                let kept = Kept {
                    entry: (!entry.is_empty()).then(|| entry.to_string()),
                    ..Kept::default()
                };
                current = Some((slug, kept));
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
                current.as_mut()?.1.events.push(record);
            }
            ["G", ..] => {
                let ghost = Ghost::read(&fields)?;
                current.as_mut()?.1.cancelled.push(ghost);
            }
            _ => return None,
        }
    }
    done(&mut current, notes);
    Some(())
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
        ledger.save(dir.path(), &Ledger::default()).unwrap();
        let read = Ledger::load(dir.path(), "x");
        assert!(!read.rebuilt);
        assert_eq!(read.notes, ledger.notes);
        // A slug that cannot be one field is left out, not a broken file.
        let odd = Ledger::with_notes([("a\tb".to_string(), Kept::default())]);
        odd.save(dir.path(), &Ledger::default()).unwrap();
        assert!(!Ledger::load(dir.path(), "x").rebuilt);
    }

    fn kept(entry: &str) -> Kept {
        Kept {
            entry: Some(entry.into()),
            ..Kept::default()
        }
    }

    #[test]
    fn changed_notes_are_appended_and_read_over_the_first_segment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(STATE_DIR).join(FILE);
        let many = |changed: &str| {
            Ledger::with_notes((0..20).map(|n| {
                let slug = format!("note-{n:02}");
                let entry = if slug == changed { "new" } else { "old" };
                (slug, kept(entry))
            }))
        };
        let first = many("");
        first.save(dir.path(), &Ledger::default()).unwrap();
        let written = std::fs::read_to_string(&file).unwrap();
        // Nothing changed: nothing written.
        first
            .save(dir.path(), &Ledger::load(dir.path(), "x"))
            .unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
        // One note changed and one removed: their lines only, appended.
        let mut second = many("note-03");
        second.notes.remove("note-07");
        second
            .save(dir.path(), &Ledger::load(dir.path(), "x"))
            .unwrap();
        let appended = std::fs::read_to_string(&file).unwrap();
        let tail = appended.strip_prefix(&written).unwrap();
        assert!(
            tail.starts_with("N\tnote-03\tnew\nR\tnote-07\nS\t"),
            "{tail}"
        );
        let read = Ledger::load(dir.path(), "x");
        assert!(!read.rebuilt);
        assert_eq!(read.notes, second.notes);
        // A torn append is not read, and the next append replaces it.
        std::fs::write(&file, format!("{appended}N\tnote-01\tto")).unwrap();
        let torn = Ledger::load(dir.path(), "x");
        assert_eq!(torn.notes, second.notes);
        let third = many("note-05");
        third.save(dir.path(), &torn).unwrap();
        assert_eq!(Ledger::load(dir.path(), "x").notes, third.notes);
        // Appends past the size of the first segment: written anew.
        let mut last = torn;
        for round in 0..40 {
            let next = many(&format!("note-{:02}", round % 20));
            next.save(dir.path(), &Ledger::load(dir.path(), "x"))
                .unwrap();
            last = next;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.len() <= 2 * written.len() + 64, "{}", text.len());
        assert_eq!(Ledger::load(dir.path(), "x").notes, last.notes);
        // A damaged closed segment is no ledger: rebuilt.
        std::fs::write(&file, text.replacen("old", "odd", 1)).unwrap();
        assert!(Ledger::load(dir.path(), "x").rebuilt);
    }

    #[test]
    fn a_damaged_ledger_is_rebuilt_from_what_is_published() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(STATE_DIR)).unwrap();
        std::fs::write(
            dir.path().join(STATE_DIR).join(FILE),
            "almanac-ledger 2\nE\tx\nS\t4\t0\n",
        )
        .unwrap();
        assert!(Ledger::load(dir.path(), "x").rebuilt);
    }
}
