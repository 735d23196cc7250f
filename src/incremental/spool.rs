//! Append-only storage read back by position, from many threads.
//!
//! A build writes each note's rendered events and its cached form here as
//! the note is read: a slot is in its note's calendar, the site's and each
//! of its tags', and is rendered once and copied into each. What stays in
//! memory is where each piece is. The file is the next run's cache, so an
//! unchanged note's events are copied, never rendered again; a run that
//! changes a few notes appends to the last run's file instead of writing a
//! new one.
//!
//! Only the events a later run can copy stay in that file: those of notes
//! with an event in the subscribed calendars' window (or every note's,
//! with `calendar_archive`). A note whose events have all left the window
//! is in no calendar but its own, which a later run renders only after
//! reading the note anew; its events go to a transient file beside the
//! spool, for this run's calendars only, and [`Spool::release`] drops that
//! file's pages before the run syncs the file system, so they are never
//! written to disk. At 10,000 notes that is 85 of the notes file's 102 MB.

use crate::publish::{self, Naming, Sink};
use crate::render::{Span, ics::EventRef};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

/// Spans at this offset and past it are in the transient file, less it.
const TRANSIENT: u64 = 1 << 56;
/// The offset of events whose text no file holds (see [`unkept`]): past
/// any file, so that copying one fails instead of publishing other bytes.
const UNKEPT: u64 = 1 << 62;

/// `events` as placed when their text is in no file: a note taken from
/// the cache whose events left the window (see the module's header).
/// They take part in choosing what calendars hold, never in their bytes.
pub fn unkept(events: &[EventRef]) -> Vec<EventRef> {
    EventRef::all_within(events, UNKEPT)
}

/// Collects pieces from many threads.
pub struct SpoolWriter {
    inner: Mutex<Writer>,
    continues: bool,
    /// For the events the next run will not copy; none when continuing a
    /// file (an edit run's few notes are appended there).
    transient: Option<Mutex<Writer>>,
}

struct Writer {
    backing: Writing,
    len: u64,
}

enum Writing {
    File(BufWriter<tempfile::NamedTempFile>),
    Appending(BufWriter<File>),
    /// An unnamed file, gone when closed.
    Transient(BufWriter<File>),
}

impl Writer {
    fn append(&mut self, text: &[u8]) -> io::Result<Span> {
        match &mut self.backing {
            Writing::File(file) => file.write_all(text)?,
            Writing::Appending(file) | Writing::Transient(file) => file.write_all(text)?,
        }
        let span = Span {
            offset: self.len,
            len: text.len() as u64,
        };
        self.len += span.len;
        Ok(span)
    }
}

impl SpoolWriter {
    /// A spool in a temporary file in `dir` named as `naming` says,
    /// beginning with `header`; [`Spool::persist`] keeps it under a name.
    pub fn in_file(dir: &Path, naming: &Naming, header: &[u8]) -> io::Result<Self> {
        let temp = publish::temporary(dir, naming)?;
        let mut file = BufWriter::with_capacity(1 << 20, temp);
        file.write_all(header)?;
        let transient = Writer {
            backing: Writing::Transient(BufWriter::with_capacity(
                1 << 20,
                tempfile::tempfile_in(dir)?,
            )),
            len: 0,
        };
        Ok(Self {
            transient: Some(Mutex::new(transient)),
            ..Self::with(Writing::File(file), header.len() as u64)
        })
    }

    /// A spool continuing the file at `path`: what it held stays where it
    /// was, and appended text goes after it.
    pub fn appending_to(path: &Path) -> io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)?;
        let len = file.metadata()?.len();
        Ok(Self::with(
            Writing::Appending(BufWriter::with_capacity(1 << 20, file)),
            len,
        ))
    }

    /// Whether this spool continues an existing file, so that spans into
    /// that file are spans into this spool.
    pub fn continues_file(&self) -> bool {
        self.continues
    }

    fn with(backing: Writing, len: u64) -> Self {
        Self {
            continues: matches!(backing, Writing::Appending(_)),
            inner: Mutex::new(Writer { backing, len }),
            transient: None,
        }
    }

    /// Appends `text`; returns where it went.
    pub fn append(&self, text: &[u8]) -> io::Result<Span> {
        lock(&self.inner).append(text)
    }

    /// Appends `text` that this run's calendars may copy and the next
    /// run's will not: to the transient file, if this spool has one.
    pub fn append_for_this_run(&self, text: &[u8]) -> io::Result<Span> {
        match &self.transient {
            Some(transient) => lock(transient)
                .append(text)
                .map(|span| span.within(TRANSIENT)),
            None => self.append(text),
        }
    }

    /// Ends writing; what was appended can now be read from many threads.
    pub fn seal(self) -> io::Result<Spool> {
        let unwrap = |writer: Mutex<Writer>| writer.into_inner().unwrap_or_else(|p| p.into_inner());
        let notes = match unwrap(self.inner).backing {
            Writing::File(file) => {
                let (file, path) = done(file)?.into_parts();
                Notes::File(file, path)
            }
            Writing::Appending(file) | Writing::Transient(file) => Notes::Appended(done(file)?),
        };
        let transient = match self.transient.map(unwrap) {
            Some(Writer {
                backing: Writing::Transient(file),
                ..
            }) => Some(done(file)?),
            _ => None,
        };
        Ok(Spool { notes, transient })
    }
}

/// A file written through, its buffer flushed.
fn done<W: Write>(file: BufWriter<W>) -> io::Result<W> {
    file.into_inner().map_err(|error| error.into_error())
}

fn lock(writer: &Mutex<Writer>) -> std::sync::MutexGuard<'_, Writer> {
    writer
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A sealed spool: the next run's notes file, and this run's transient
/// events.
pub struct Spool {
    notes: Notes,
    transient: Option<File>,
}

enum Notes {
    File(File, tempfile::TempPath),
    /// An existing file, appended to.
    Appended(File),
}

impl Spool {
    /// Copies the text of each of `runs` to `out`, in order: each stretch
    /// of runs from one file at once.
    pub fn copy_runs(&self, runs: &[Span], out: &mut dyn Sink) -> io::Result<()> {
        let (Notes::File(notes, _) | Notes::Appended(notes)) = &self.notes;
        let mut rest = runs;
        while let Some(first) = rest.first() {
            let place = |run: &Span| (run.offset >= TRANSIENT, run.offset >= UNKEPT);
            let (transient, unkept) = place(first);
            let stretch = rest
                .iter()
                .take_while(|run| place(run) == (transient, unkept))
                .count();
            let (these, after) = rest.split_at(stretch);
            match (transient, unkept, &self.transient) {
                (false, _, _) => out.append_runs(notes, these)?,
                (true, false, Some(file)) => {
                    let rebased: Vec<Span> = these
                        .iter()
                        .map(|run| Span {
                            offset: run.offset - TRANSIENT,
                            len: run.len,
                        })
                        .collect();
                    out.append_runs(file, &rebased)?;
                }
                _ => {
                    return Err(io::Error::other(
                        "an event's text is not in the cache (a bug: please report it)",
                    ));
                }
            }
            rest = after;
        }
        Ok(())
    }

    /// Drops the transient events, unwritten: once every calendar that
    /// copies them is rendered, before the file system is synced.
    pub fn release(&self) {
        if let Some(file) = &self.transient {
            let _ = file.set_len(0);
        }
    }

    /// Keeps the spool at `path` (an appended file is where it was, and is
    /// synced: the index about to vouch for the new text must not reach the
    /// disk before it).
    pub fn persist(self, path: &Path) -> io::Result<()> {
        match self.notes {
            Notes::File(file, temp) => {
                drop(file);
                temp.persist(path).map_err(|error| error.error)
            }
            Notes::Appended(file) => file.sync_data(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Spool {
        fn read(&self, span: Span) -> io::Result<Vec<u8>> {
            let mut out = Vec::new();
            self.copy_runs(&[span], &mut out).map(|()| out)
        }
    }

    fn round_trip(writer: SpoolWriter) -> Spool {
        let a = writer.append(b"BEGIN:VEVENT\r\n").unwrap();
        let b = writer.append("SUMMARY:開場\r\n".as_bytes()).unwrap();
        let empty = writer.append(b"").unwrap();
        let spool = writer.seal().unwrap();
        let mut out = Vec::new();
        spool.copy_runs(&[b, empty, a], &mut out).unwrap();
        assert_eq!(out, "SUMMARY:開場\r\nBEGIN:VEVENT\r\n".as_bytes());
        let outside = Span {
            offset: a.offset,
            len: 1 << 20,
        };
        assert!(spool.read(outside).is_err());
        spool
    }

    const TEST: Naming = Naming {
        prefix: ".s-",
        suffix: ".part",
        mode: 0o600,
    };

    #[test]
    fn text_comes_back_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let writer = SpoolWriter::in_file(dir.path(), &TEST, b"head\n").unwrap();
        let spool = round_trip(writer);
        let kept = dir.path().join("kept");
        spool.persist(&kept).unwrap();
        let bytes = std::fs::read(&kept).unwrap();
        assert!(bytes.starts_with(b"head\nBEGIN:VEVENT"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_appended_file_keeps_what_it_held_where_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept");
        let writer = SpoolWriter::in_file(dir.path(), &TEST, b"head\n").unwrap();
        assert!(!writer.continues_file());
        let first = writer.append(b"one\n").unwrap();
        writer.seal().unwrap().persist(&path).unwrap();
        let writer = SpoolWriter::appending_to(&path).unwrap();
        assert!(writer.continues_file());
        let second = writer.append(b"two\n").unwrap();
        assert_eq!(second.offset, first.offset + first.len);
        let spool = writer.seal().unwrap();
        assert_eq!(spool.read(first).unwrap(), b"one\n");
        assert_eq!(spool.read(second).unwrap(), b"two\n");
        spool.persist(&path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"head\none\ntwo\n");
    }

    #[test]
    fn events_for_this_run_only_copy_back_and_are_never_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept");
        let writer = SpoolWriter::in_file(dir.path(), &TEST, b"head\n").unwrap();
        let kept = writer.append(b"kept\n").unwrap();
        let passing = writer.append_for_this_run(b"passing\n").unwrap();
        let after = writer.append(b"after\n").unwrap();
        let spool = writer.seal().unwrap();
        let mut out = Vec::new();
        spool.copy_runs(&[passing, kept, after], &mut out).unwrap();
        assert_eq!(out, b"passing\nkept\nafter\n");
        // Text no file holds is never copied: the run fails instead.
        let event = crate::render::ics::EventRef {
            start: chrono::DateTime::UNIX_EPOCH,
            uid: "u".into(),
            zone: chrono_tz::UTC,
            years: (1970, 1970),
            text: Span { offset: 0, len: 5 },
        };
        let unkept = unkept(&[event])[0].text;
        assert!(spool.copy_runs(&[kept, unkept], &mut Vec::new()).is_err());
        spool.release();
        assert!(spool.copy_runs(&[passing], &mut Vec::new()).is_err());
        spool.persist(&path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"head\nkept\nafter\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A continued file has no transient one: all of it is kept.
        let writer = SpoolWriter::appending_to(&path).unwrap();
        writer.append_for_this_run(b"edited\n").unwrap();
        writer.seal().unwrap().persist(&path).unwrap();
        assert!(std::fs::read(&path).unwrap().ends_with(b"after\nedited\n"));
    }

    #[test]
    fn an_unkept_file_spool_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let writer = SpoolWriter::in_file(dir.path(), &TEST, b"").unwrap();
        drop(round_trip(writer));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
