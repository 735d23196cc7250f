//! Append-only storage read back by position, from many threads.
//!
//! A build writes each note's rendered events and its cached form here as
//! the note is read: a slot is in its note's calendar, the site's and each
//! of its tags', and is rendered once and copied into each. What stays in
//! memory is where each piece is. The file is the next run's cache, so an
//! unchanged note's events are copied, never rendered again; a run that
//! changes a few notes appends to the last run's file instead of writing a
//! new one.

use crate::publish::{self, Naming, Sink};
use crate::render::Span;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

/// Collects pieces from many threads.
pub struct SpoolWriter {
    inner: Mutex<Writer>,
    continues: bool,
}

struct Writer {
    backing: Writing,
    len: u64,
}

enum Writing {
    File(BufWriter<tempfile::NamedTempFile>),
    Appending(BufWriter<File>),
}

impl SpoolWriter {
    /// A spool in a temporary file in `dir` named as `naming` says,
    /// beginning with `header`; [`Spool::persist`] keeps it under a name.
    pub fn in_file(dir: &Path, naming: &Naming, header: &[u8]) -> io::Result<Self> {
        let temp = publish::temporary(dir, naming)?;
        let mut file = BufWriter::with_capacity(1 << 20, temp);
        file.write_all(header)?;
        Ok(Self::with(Writing::File(file), header.len() as u64))
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
        }
    }

    /// Appends `text`; returns where it went.
    pub fn append(&self, text: &[u8]) -> io::Result<Span> {
        let mut writer = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match &mut writer.backing {
            Writing::File(file) => file.write_all(text)?,
            Writing::Appending(file) => file.write_all(text)?,
        }
        let span = Span {
            offset: writer.len,
            len: text.len() as u64,
        };
        writer.len += span.len;
        Ok(span)
    }

    /// Ends writing; what was appended can now be read from many threads.
    pub fn seal(self) -> io::Result<Spool> {
        let writer = self
            .inner
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(match writer.backing {
            Writing::File(file) => {
                let temp = file.into_inner().map_err(|error| error.into_error())?;
                let (file, path) = temp.into_parts();
                Spool::File(file, path)
            }
            Writing::Appending(file) => {
                Spool::Appended(file.into_inner().map_err(|error| error.into_error())?)
            }
        })
    }
}

/// A sealed spool.
pub enum Spool {
    File(File, tempfile::TempPath),
    /// An existing file, appended to.
    Appended(File),
}

impl Spool {
    /// Copies the text of each of `runs` to `out`, in order.
    pub fn copy_runs(&self, runs: &[Span], out: &mut dyn Sink) -> io::Result<()> {
        match self {
            Spool::File(file, _) | Spool::Appended(file) => out.append_runs(file, runs),
        }
    }

    /// Keeps the spool at `path` (an appended file is where it was, and is
    /// synced: the index about to vouch for the new text must not reach the
    /// disk before it).
    pub fn persist(self, path: &Path) -> io::Result<()> {
        match self {
            Spool::File(file, temp) => {
                drop(file);
                temp.persist(path).map_err(|error| error.error)
            }
            Spool::Appended(file) => file.sync_data(),
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
    fn an_unkept_file_spool_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let writer = SpoolWriter::in_file(dir.path(), &TEST, b"").unwrap();
        drop(round_trip(writer));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
