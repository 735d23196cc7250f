//! Append-only storage read back by position, from many threads.
//!
//! A build writes each note's rendered events and its cached form here as
//! the note is read: a slot is in its note's calendar, the site's and each
//! of its tags', and is rendered once and copied into each. What stays in
//! memory is where each piece is. The file is the next run's cache, so an
//! unchanged note's events are copied, never rendered again; a run that
//! changes a few notes appends to the last run's file instead of writing a
//! new one. Tests and fuzzing keep a spool in memory.

use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

/// Where one piece of spooled text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub offset: u64,
    pub len: u64,
}

impl Span {
    /// This span, within a block that starts at `base`.
    pub fn within(self, base: u64) -> Self {
        Self {
            offset: base + self.offset,
            len: self.len,
        }
    }
}

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
    Memory(Vec<u8>),
    File(BufWriter<tempfile::NamedTempFile>),
    Appending(BufWriter<File>),
}

impl SpoolWriter {
    /// A spool in memory.
    pub fn in_memory() -> Self {
        Self::with(Writing::Memory(Vec::new()), 0)
    }

    /// A spool in a temporary file in `dir` named `{prefix}…{suffix}`,
    /// beginning with `header`; [`Spool::persist`] keeps it under a name.
    pub fn in_file(dir: &Path, prefix: &str, suffix: &str, header: &[u8]) -> io::Result<Self> {
        let temp = tempfile::Builder::new()
            .prefix(prefix)
            .suffix(suffix)
            .tempfile_in(dir)?;
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
            Writing::Memory(bytes) => bytes.extend_from_slice(text),
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
            Writing::Memory(bytes) => Spool::Memory(bytes),
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
    Memory(Vec<u8>),
    File(File, tempfile::TempPath),
    /// An existing file, appended to.
    Appended(File),
}

impl Spool {
    /// Copies the text of each of `runs` to `out`, in order.
    pub fn copy_runs(&self, runs: &[Span], out: &mut dyn Sink) -> io::Result<()> {
        match self {
            Spool::Memory(bytes) => runs
                .iter()
                .try_for_each(|&run| out.write_all(within(bytes, run)?)),
            Spool::File(file, _) | Spool::Appended(file) => out.append_runs(file, runs),
        }
    }

    /// Keeps a file spool at `path` (a spool in memory has nothing to keep;
    /// an appended file is where it was, and is synced: the index about to
    /// vouch for the new text must not reach the disk before it).
    pub fn persist(self, path: &Path) -> io::Result<()> {
        match self {
            Spool::Memory(_) => Ok(()),
            Spool::File(file, temp) => {
                drop(file);
                temp.persist(path).map_err(|error| error.error)
            }
            Spool::Appended(file) => file.sync_data(),
        }
    }
}

/// The bytes of an in-memory spool at `span`.
fn within(bytes: &[u8], span: Span) -> io::Result<&[u8]> {
    let start = usize::try_from(span.offset).map_err(io::Error::other)?;
    let len = usize::try_from(span.len).map_err(io::Error::other)?;
    start
        .checked_add(len)
        .and_then(|end| bytes.get(start..end))
        .ok_or_else(|| io::Error::other("span outside the spool"))
}

/// Where a rendered file goes: a writer that can also take a piece of a
/// spool file directly. Calendars are mostly such pieces (a site-wide
/// calendar is the whole spool's events), so each copy is one read
/// straight into the file's buffer rather than a read into another buffer
/// and a copy out of it.
pub trait Sink: Write {
    /// Appends `len` bytes of `file` from `offset`.
    fn append_from(&mut self, file: &File, offset: u64, len: u64) -> io::Result<()>;

    /// Appends the text of each of `runs` of `file`, in order.
    fn append_runs(&mut self, file: &File, runs: &[Span]) -> io::Result<()> {
        append_each(self, file, runs)
    }
}

/// [`Sink::append_runs`] one run after the other.
pub fn append_each<S: Sink + ?Sized>(sink: &mut S, file: &File, runs: &[Span]) -> io::Result<()> {
    runs.iter()
        .try_for_each(|run| sink.append_from(file, run.offset, run.len))
}

impl Sink for Vec<u8> {
    fn append_from(&mut self, file: &File, offset: u64, len: u64) -> io::Result<()> {
        let start = self.len();
        let end = usize::try_from(len)
            .ok()
            .and_then(|len| start.checked_add(len))
            .ok_or_else(|| io::Error::other("span too long"))?;
        self.resize(end, 0);
        let read = read_at(file, &mut self[start..], offset);
        if read.is_err() {
            self.truncate(start);
        }
        read
    }
}

/// Reads `buffer.len()` bytes at `offset`, without moving the file's
/// position, so threads can share one handle.
#[cfg(unix)]
pub(crate) fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buffer, offset)
}

#[cfg(windows)]
pub(crate) fn read_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buffer.is_empty() {
        match file.seek_read(buffer, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            read => {
                buffer = &mut buffer[read..];
                offset += read as u64;
            }
        }
    }
    Ok(())
}

/// Writes all of `bytes` at `offset`, without moving the file's position,
/// so threads can write their parts of one file at once.
#[cfg(unix)]
pub(crate) fn write_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.write_all_at(bytes, offset)
}

#[cfg(windows)]
pub(crate) fn write_at(file: &File, mut bytes: &[u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        match file.seek_write(bytes, offset)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            written => {
                bytes = &bytes[written..];
                offset += written as u64;
            }
        }
    }
    Ok(())
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

    #[test]
    fn text_comes_back_from_memory_and_from_disk() {
        round_trip(SpoolWriter::in_memory());
        let dir = tempfile::tempdir().unwrap();
        let writer = SpoolWriter::in_file(dir.path(), ".s-", ".part", b"head\n").unwrap();
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
        let writer = SpoolWriter::in_file(dir.path(), ".s-", ".part", b"head\n").unwrap();
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
        let writer = SpoolWriter::in_file(dir.path(), ".s-", ".part", b"").unwrap();
        drop(round_trip(writer));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
