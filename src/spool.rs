//! Rendered events, held on disk between rendering and publishing.
//!
//! Every slot is written into its note's calendar, the site's and each of
//! its tags'. Each VEVENT is rendered once, appended here, and copied into
//! every calendar that lists it; what stays in memory is where it is. On a
//! site of 100,000 notes that is a gigabyte of text not held in memory.
//! The file is anonymous (unlinked from the start), so a killed run leaves
//! nothing behind.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

/// Collects rendered events from many threads.
pub struct SpoolWriter {
    inner: Mutex<Writer>,
}

struct Writer {
    backing: Backing<BufWriter<File>>,
    len: u64,
}

enum Backing<F> {
    Memory(Vec<u8>),
    File(F),
}

/// Where one piece of spooled text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub offset: u64,
    pub len: u64,
}

impl SpoolWriter {
    /// A spool in an anonymous file in `dir`.
    pub fn in_dir(dir: &Path) -> io::Result<Self> {
        let file = tempfile::tempfile_in(dir)?;
        Ok(Self::with(Backing::File(BufWriter::with_capacity(
            1 << 20,
            file,
        ))))
    }

    /// A spool in memory, for small sites rendered whole (tests, fuzzing).
    pub fn in_memory() -> Self {
        Self::with(Backing::Memory(Vec::new()))
    }

    fn with(backing: Backing<BufWriter<File>>) -> Self {
        Self {
            inner: Mutex::new(Writer { backing, len: 0 }),
        }
    }

    /// Appends `text`; returns where it went.
    pub fn append(&self, text: &[u8]) -> io::Result<Span> {
        let mut writer = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match &mut writer.backing {
            Backing::Memory(bytes) => bytes.extend_from_slice(text),
            Backing::File(file) => file.write_all(text)?,
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
        let backing = match writer.backing {
            Backing::Memory(bytes) => Backing::Memory(bytes),
            Backing::File(file) => Backing::File(file.into_inner().map_err(|e| e.into_error())?),
        };
        Ok(Spool { backing })
    }
}

/// Spooled events, read back by position.
pub struct Spool {
    backing: Backing<File>,
}

impl Spool {
    /// Copies the text at `span` to `out`.
    pub fn copy(&self, span: Span, out: &mut dyn Write) -> io::Result<()> {
        match &self.backing {
            Backing::Memory(bytes) => {
                let start = usize::try_from(span.offset).map_err(io::Error::other)?;
                let end = start + usize::try_from(span.len).map_err(io::Error::other)?;
                let text = bytes
                    .get(start..end)
                    .ok_or_else(|| io::Error::other("span outside the spool"))?;
                out.write_all(text)
            }
            Backing::File(file) => {
                let mut buffer = vec![0; usize::try_from(span.len).map_err(io::Error::other)?];
                read_at(file, &mut buffer, span.offset)?;
                out.write_all(&buffer)
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(writer: SpoolWriter) {
        let a = writer.append(b"BEGIN:VEVENT\r\n").unwrap();
        let b = writer.append("SUMMARY:開場\r\n".as_bytes()).unwrap();
        let empty = writer.append(b"").unwrap();
        let spool = writer.seal().unwrap();
        let mut out = Vec::new();
        spool.copy(b, &mut out).unwrap();
        spool.copy(empty, &mut out).unwrap();
        spool.copy(a, &mut out).unwrap();
        assert_eq!(out, "SUMMARY:開場\r\nBEGIN:VEVENT\r\n".as_bytes());
        let outside = Span {
            offset: a.offset,
            len: 1 << 20,
        };
        assert!(spool.copy(outside, &mut Vec::new()).is_err());
    }

    #[test]
    fn text_comes_back_from_memory_and_from_disk() {
        round_trip(SpoolWriter::in_memory());
        let dir = tempfile::tempdir().unwrap();
        round_trip(SpoolWriter::in_dir(dir.path()).unwrap());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "the spool file has no name"
        );
    }
}
