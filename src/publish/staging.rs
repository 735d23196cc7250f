//! Staging a file before it replaces a published one: rendered in memory,
//! or past [`SPILL_BYTES`] into a temporary file beside its target as it
//! is rendered (compared with the published copy as it is written), then
//! written back, synced and renamed. Every temporary file almanac makes is
//! made here.

use crate::render::Span;
use anyhow::{Context, Result};
use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

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

/// How a staged file is named and who may read it.
pub(crate) struct Naming {
    pub prefix: &'static str,
    pub suffix: &'static str,
    /// Unix permissions: published files are for web servers to read;
    /// the cache's are its owner's only.
    pub mode: u32,
}

/// Published files and their temporaries: swept by the next run if this
/// one is killed before renaming them.
pub(crate) const PUBLISHED: Naming = Naming {
    prefix: ".almanac-",
    suffix: ".tmp",
    mode: 0o644,
};

/// The output folder's ledger while it is written (see [`crate::ledger`]);
/// its owner's only, like the cache beside it.
pub(crate) const LEDGER_FILE: Naming = Naming {
    prefix: ".almanac-ledger-",
    suffix: ".part",
    mode: 0o600,
};

/// A temporary file in `dir`, named and permitted as `naming` says: the
/// one place every staged file (published, cached, spooled) is made.
pub(crate) fn temporary(dir: &Path, naming: &Naming) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(naming.prefix).suffix(naming.suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(naming.mode));
    }
    builder.tempfile_in(dir)
}

/// Replaces one file atomically (temporary file, rename); durably if
/// `fsync`. Data that may be lost in a crash (the cache, then ignored and
/// rebuilt) skips the fsync.
pub(crate) fn replace(path: &Path, dir: &Path, bytes: &[u8], fsync: bool) -> Result<()> {
    let temp = stage(path, dir, bytes, fsync)?;
    temp.persist(path)
        .map_err(|error| error.error)
        .with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

/// Files up to this size are rendered in memory and compared with the
/// published copy before anything is written; larger ones are written to
/// their temporary file as they are rendered.
pub const SPILL_BYTES: usize = 8 << 20;

/// A file being rendered: in memory, then past [`SPILL_BYTES`] in a
/// temporary file beside its target, `memory` then being its write buffer.
/// A spilled file is compared with the published one as it is written, so
/// neither is read again to find them the same.
struct Spill<'a> {
    dir: &'a Path,
    /// The published file this one replaces, if there is one.
    target: Option<&'a Path>,
    memory: Vec<u8>,
    file: Option<tempfile::NamedTempFile>,
    /// The published file, read as far as the temporary one is written,
    /// while the two are the same; `None` once they differ.
    published: Option<fs::File>,
}

/// How much a spilled file buffers between writes.
pub(crate) const SPILL_BUFFER: usize = 1 << 20;

impl Spill<'_> {
    /// Writes out what `memory` holds once it is past its limit: the spill
    /// size in memory, the buffer size once spilled.
    fn settle(&mut self) -> std::io::Result<()> {
        let limit = if self.file.is_some() {
            SPILL_BUFFER
        } else {
            SPILL_BYTES
        };
        if self.memory.len() > limit {
            self.write_out()?;
        }
        Ok(())
    }

    /// Moves what is in memory to the temporary file, creating it first,
    /// and compares it with the published file's bytes at the same place.
    fn write_out(&mut self) -> std::io::Result<()> {
        if self.file.is_none() {
            self.file = Some(temporary(self.dir, &PUBLISHED)?);
            self.published = self.target.and_then(|target| fs::File::open(target).ok());
        }
        let file = self.file.as_mut().expect("just created");
        file.write_all(&self.memory)?;
        if let Some(published) = &mut self.published
            && !reads_as(published, &self.memory)
        {
            self.published = None;
        }
        self.memory.clear(); // kept for the thread's next file
        Ok(())
    }
}

impl Sink for Spill<'_> {
    /// Read straight into memory (a calendar is mostly its events, copied
    /// from the spool): one copy instead of a read into a buffer and a
    /// write out of it.
    fn append_from(&mut self, from: &fs::File, offset: u64, len: u64) -> std::io::Result<()> {
        let mut done = 0;
        while done < len {
            let piece = (len - done).min(SPILL_BUFFER as u64);
            self.memory.append_from(from, offset + done, piece)?;
            self.settle()?;
            done += piece;
        }
        Ok(())
    }

    /// A large file's runs (the site-wide calendar's events) are copied by
    /// every core at once, each share at its place in the file, which the
    /// runs' lengths give before anything is read: a one-note edit rewrites
    /// that calendar whole, and it was the longest single job of the run.
    /// In order, through memory, when the file is small or is compared
    /// with its published copy as it is written.
    fn append_runs(&mut self, from: &fs::File, runs: &[Span]) -> std::io::Result<()> {
        let total = runs
            .iter()
            .try_fold(0u64, |sum, run| sum.checked_add(run.len))
            .ok_or_else(|| std::io::Error::other("runs too long"))?;
        if total < SPILL_BYTES as u64 {
            return append_each(self, from, runs);
        }
        if self.file.is_none() {
            self.write_out()?; // spilled now: the runs go straight to the file
        }
        if self.published.is_some() {
            return append_each(self, from, runs);
        }
        self.write_out()?;
        let file = self.file.as_mut().expect("spilled").as_file_mut();
        let start = file.stream_position()?;
        copy_runs_at(from, runs, file, start)?;
        file.seek(SeekFrom::Start(start + total))?;
        Ok(())
    }
}

/// How much of a large file's runs one core copies at a time.
pub(crate) const SHARE_BYTES: u64 = 4 << 20;

/// Copies the text of `runs` of `from` into `to`, side by side from
/// `start`, in shares copied in parallel, each through its own buffer.
fn copy_runs_at(from: &fs::File, runs: &[Span], to: &fs::File, start: u64) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut shares = Vec::new();
    let (mut first, mut at, mut size) = (0, start, 0);
    for (index, run) in runs.iter().enumerate() {
        size += run.len;
        if size >= SHARE_BYTES || index + 1 == runs.len() {
            shares.push((&runs[first..=index], at));
            (first, at, size) = (index + 1, at + size, 0);
        }
    }
    shares.into_par_iter().try_for_each(|(share, mut at)| {
        let mut buffer: Vec<u8> = Vec::with_capacity(SPILL_BUFFER);
        for run in share {
            if !buffer.is_empty() && buffer.len() as u64 + run.len > SPILL_BUFFER as u64 {
                write_at(to, &buffer, at)?;
                at += buffer.len() as u64;
                buffer.clear();
            }
            buffer.append_from(from, run.offset, run.len)?;
        }
        write_at(to, &buffer, at)
    })
}

impl Write for Spill<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.memory.extend_from_slice(bytes);
        self.settle()?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.file.is_some() {
            self.write_out()?;
        }
        Ok(())
    }
}

thread_local! {
    /// Each thread's buffer for the files it renders in memory, reused:
    /// fresh memory for each of a site's tag calendars (megabytes each) is
    /// time spent zeroing pages (docs/performance.md).
    static RENDERED: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Whether the file at `path` holds exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    file.metadata()
        .is_ok_and(|meta| meta.len() == bytes.len() as u64)
        && reads_as(&mut file, bytes)
}

/// Whether the next `bytes.len()` bytes of `file` are `bytes`, read a
/// piece at a time.
fn reads_as(file: &mut fs::File, bytes: &[u8]) -> bool {
    use std::io::Read;
    let mut piece = [0; 1 << 16];
    bytes.chunks(piece.len()).all(|expected| {
        let piece = &mut piece[..expected.len()];
        file.read_exact(piece).is_ok() && piece == expected
    })
}

/// A staged file: its temporary file, and the target it will replace.
pub(crate) type Staged = (tempfile::TempPath, PathBuf);

/// Renders and stages every file of `targets` in parallel (see
/// [`super::publish_rendered`]): `None` for one kept as it is.
pub(crate) fn stage_all(
    out_dir: &Path,
    paths: &[String],
    targets: &[PathBuf],
    compared: &HashSet<String>,
    render: impl Fn(usize, &mut dyn Sink) -> io::Result<bool> + Sync,
) -> Result<Vec<Option<Staged>>> {
    use rayon::prelude::*;
    targets
        .par_iter()
        .enumerate()
        .map(|(index, path)| {
            let dir = path.parent().unwrap_or(out_dir);
            let existing = compared.contains(&paths[index]);
            stage_one(path, dir, existing, |sink| render(index, sink))
        })
        .collect()
}

/// Renders one file and stages it unless it is as published (`existing`:
/// a published copy to compare with).
fn stage_one(
    path: &Path,
    dir: &Path,
    existing: bool,
    render: impl FnOnce(&mut dyn Sink) -> io::Result<bool>,
) -> Result<Option<Staged>> {
    let mut spill = Spill {
        dir,
        target: existing.then_some(path),
        memory: RENDERED.take(),
        file: None,
        published: None,
    };
    let rendered = render(&mut spill)
        .and_then(|rendered| spill.flush().map(|()| rendered))
        .with_context(|| format!("writing {}", path.display()))?;
    if !rendered {
        return Ok(None);
    }
    match spill.file {
        None => {
            let mut bytes = spill.memory;
            let staged = if existing && holds(path, &bytes) {
                None
            } else {
                Some((stage(path, dir, &bytes, false)?, path.to_path_buf()))
            };
            bytes.clear();
            RENDERED.set(bytes);
            Ok(staged)
        }
        Some(temp) => {
            RENDERED.set(spill.memory);
            let unchanged = spill.published.is_some_and(|mut published| {
                io::Read::read(&mut published, &mut [0]).is_ok_and(|read| read == 0)
            });
            if unchanged {
                return Ok(None);
            }
            start_writeback(temp.as_file());
            Ok(Some((temp.into_temp_path(), path.to_path_buf())))
        }
    }
}

/// Makes every staged file durable, then renames each over its target and
/// syncs the folders renamed in; returns the targets renamed over.
///
/// Every changed file is written beside its target first and they are all
/// synced at once: one filesystem sync instead of one fsync per file
/// (thousands of calendars on a large site), and still no rename before
/// its data is on disk.
pub(crate) fn rename_all(out_dir: &Path, staged: Vec<Staged>) -> Result<Vec<PathBuf>> {
    if staged.is_empty() {
        return Ok(Vec::new());
    }
    sync_filesystem(out_dir, &staged)?;
    let mut done: Vec<Replaced> = Vec::with_capacity(staged.len());
    let mut touched_dirs = BTreeSet::new();
    for (index, (temp, path)) in staged.into_iter().enumerate() {
        let dir = path.parent().unwrap_or(out_dir).to_path_buf();
        match replace_keeping(temp, &path, &dir, index) {
            Ok(replaced) => done.push(replaced),
            Err(error) => {
                // A failed run leaves the old output, all of it: each file
                // renamed so far goes back to its old bytes.
                for replaced in done.into_iter().rev() {
                    replaced.undo();
                }
                return Err(error).with_context(|| format!("replacing {}", path.display()));
            }
        }
        touched_dirs.insert(dir);
    }
    let renamed: Vec<PathBuf> = done.iter().map(|replaced| replaced.path.clone()).collect();
    for replaced in done {
        replaced.keep();
    }
    // The renames are durable only once their directories are synced.
    for dir in touched_dirs {
        if let Ok(handle) = fs::File::open(&dir) {
            let _ = handle.sync_all();
        }
    }
    Ok(renamed)
}

/// A published file replaced by a run, and its old bytes kept aside (a
/// hard link) until every file of the run is in place.
struct Replaced {
    path: PathBuf,
    old: Option<PathBuf>,
}

impl Replaced {
    /// Puts the old file back (or removes a new one).
    fn undo(self) {
        let _ = match &self.old {
            Some(old) => fs::rename(old, &self.path),
            None => fs::remove_file(&self.path),
        };
    }

    /// Lets the old bytes go.
    fn keep(self) {
        if let Some(old) = &self.old {
            let _ = fs::remove_file(old);
        }
    }
}

/// Renames `temp` over `path`, the `index`th file of the run, keeping the
/// old file's bytes under another name in `dir` (swept like any temporary
/// file if the run is killed).
fn replace_keeping(
    temp: tempfile::TempPath,
    path: &Path,
    dir: &Path,
    index: usize,
) -> io::Result<Replaced> {
    let old = fs::symlink_metadata(path)
        .is_ok_and(|meta| meta.is_file())
        .then(|| {
            dir.join(format!(
                "{}old-{index}{}",
                PUBLISHED.prefix, PUBLISHED.suffix
            ))
        });
    if let Some(old) = &old {
        let _ = fs::remove_file(old);
        fs::hard_link(path, old)?;
    }
    let renamed = match crate::fault::injected("rename", index + 1, "") {
        Some(error) => Err(error),
        None => temp.persist(path).map_err(|error| error.error),
    };
    if let Err(error) = renamed {
        if let Some(old) = &old {
            let _ = fs::remove_file(old);
        }
        return Err(error);
    }
    Ok(Replaced {
        path: path.to_path_buf(),
        old,
    })
}

/// Writes `bytes` to a closed temporary file in `dir`, fsynced if asked.
fn stage(path: &Path, dir: &Path, bytes: &[u8], fsync: bool) -> Result<tempfile::TempPath> {
    let mut temp = temporary(dir, &PUBLISHED)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    temp.write_all(bytes)
        .and_then(|()| {
            if fsync {
                temp.as_file().sync_all()
            } else {
                start_writeback(temp.as_file());
                Ok(())
            }
        })
        .with_context(|| format!("writing {}", path.display()))?;
    // Closed now: a large site would otherwise hold thousands of descriptors.
    Ok(temp.into_temp_path())
}

/// Starts writing `file` to disk without waiting for it, so that the one
/// sync before the renames finds most staged files written already instead
/// of writing them all while every core waits. On Linux, `POSIX_FADV_DONTNEED`
/// starts writeback of a file's dirty pages and keeps them cached until
/// they are written (mm/fadvise.c); elsewhere this does nothing.
fn start_writeback(file: &fs::File) {
    #[cfg(target_os = "linux")]
    let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::DontNeed);
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

/// Makes the staged files durable before any is renamed into place.
fn sync_filesystem(out_dir: &Path, staged: &[Staged]) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let _ = staged;
        let handle =
            fs::File::open(out_dir).with_context(|| format!("opening {}", out_dir.display()))?;
        rustix::fs::syncfs(&handle).with_context(|| format!("syncing {}", out_dir.display()))?;
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = out_dir;
        for (temp, path) in staged {
            fs::File::open(temp)
                .and_then(|file| file.sync_all())
                .with_context(|| format!("syncing {}", path.display()))?;
        }
    }
    Ok(())
}
