//! Writing output files: only those whose bytes changed, each atomically.
//!
//! An unchanged file is left alone, so its mtime stays and static servers
//! keep answering 304 (jekyll-feed#90, hugo#9283). A changed file is written
//! to a temporary file in the same directory, fsynced, and renamed over the
//! old one: a reader sees the old bytes or the new, never half a file.
//! Files an earlier run published and this one does not (a removed tag's
//! feeds, a deleted note's calendar) are removed; the list of what almanac
//! published lives in `.almanac/files`, so nothing else in the folder, and
//! nothing outside it, is ever touched.

pub mod lock;

use crate::incremental::spool::{Sink, Span, append_each, write_at};
use crate::render::Output;
use anyhow::{Context, Result, bail};
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};

/// What a publish did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// The folder of almanac's own bookkeeping inside the output folder.
pub const STATE_DIR: &str = ".almanac";
/// The list of files the last run published, one relative path a line.
const FILES: &str = "files";

/// Publishes `outputs` under `out_dir` and removes what an earlier run
/// published that is no longer produced.
#[cfg(test)]
pub fn publish(out_dir: &Path, outputs: &[Output]) -> Result<Report> {
    let paths: Vec<String> = outputs.iter().map(|output| output.path.clone()).collect();
    publish_rendered(out_dir, &paths, &present(out_dir), |index, out| {
        out.write_all(&outputs[index].bytes).map(|()| true)
    })
}

/// Publishes the files named by `paths`, asking `render` to write each (by
/// index) only when it is written: files are rendered, compared and staged
/// in parallel, and never all held in memory at once. A file past
/// [`SPILL_BYTES`] goes to its temporary file as it is rendered, so a large
/// site's calendars stream to disk. `render` returns `false`, writing
/// nothing, for a file it knows is current; that file is kept as it is.
/// A file is compared with its published copy only if it is in
/// `compared` (of what [`present`] gave for `out_dir`): one not there is
/// new, or known to differ, and is written without looking.
pub fn publish_rendered(
    out_dir: &Path,
    paths: &[String],
    compared: &HashSet<String>,
    render: impl Fn(usize, &mut dyn Sink) -> std::io::Result<bool> + Sync,
) -> Result<Report> {
    use rayon::prelude::*;
    // Refuse any path that could leave the output folder before writing anything.
    let targets: Vec<PathBuf> = paths
        .iter()
        .map(|path| safe_relative(path).map(|relative| out_dir.join(relative)))
        .collect::<Result<_>>()?;
    fs::create_dir_all(out_dir)
        .with_context(|| format!("creating output folder {}", out_dir.display()))?;
    let state = out_dir.join(STATE_DIR);
    fs::create_dir_all(&state).with_context(|| format!("creating {}", state.display()))?;
    let previous = published_before(&state);
    sweep_temporaries(out_dir, paths);
    // Each folder once, before the files: a `create_dir_all` per file was a
    // `mkdir` and a `stat` of its folder, under the folder's lock, for each
    // of ten thousand calendars.
    let folders: BTreeSet<&Path> = targets.iter().filter_map(|path| path.parent()).collect();
    for folder in folders {
        fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    }
    // Write every changed file beside its target first, sync them all at
    // once, then rename: one filesystem sync instead of one fsync per file
    // (thousands of calendars on a large site), and still no rename before
    // its data is on disk.
    let staged: Vec<Option<(tempfile::TempPath, PathBuf)>> = targets
        .par_iter()
        .enumerate()
        .map(|(index, path)| {
            let dir = path.parent().unwrap_or(out_dir);
            let existing = compared.contains(&paths[index]);
            let mut spill = Spill {
                dir,
                target: existing.then_some(path.as_path()),
                memory: RENDERED.take(),
                file: None,
                published: None,
            };
            let rendered = render(index, &mut spill)
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
                        Some((stage(path, dir, &bytes, false)?, path.clone()))
                    };
                    bytes.clear();
                    RENDERED.set(bytes);
                    Ok(staged)
                }
                Some(temp) => {
                    RENDERED.set(spill.memory);
                    let unchanged = spill.published.is_some_and(|mut published| {
                        std::io::Read::read(&mut published, &mut [0]).is_ok_and(|read| read == 0)
                    });
                    if unchanged {
                        return Ok(None);
                    }
                    start_writeback(temp.as_file());
                    Ok(Some((temp.into_temp_path(), path.clone())))
                }
            }
        })
        .collect::<Result<_>>()?;
    let mut report = Report {
        unchanged: staged.iter().filter(|s| s.is_none()).count(),
        ..Report::default()
    };
    let staged: Vec<_> = staged.into_iter().flatten().collect();
    if !staged.is_empty() {
        sync_filesystem(out_dir, &staged)?;
    }
    let mut touched_dirs = BTreeSet::new();
    for (temp, path) in staged {
        temp.persist(&path)
            .map_err(|error| error.error)
            .with_context(|| format!("replacing {}", path.display()))?;
        touched_dirs.insert(path.parent().unwrap_or(out_dir).to_path_buf());
        report.written += 1;
    }
    // The renames are durable only once their directories are synced.
    for dir in touched_dirs {
        if let Ok(handle) = fs::File::open(&dir) {
            let _ = handle.sync_all();
        }
    }
    let current: BTreeSet<&str> = paths.iter().map(String::as_str).collect();
    let list: String = current.iter().map(|path| format!("{path}\n")).collect();
    let list_path = state.join(FILES);
    if fs::read(&list_path).ok().as_deref() != Some(list.as_bytes()) {
        replace(&list_path, &state, list.as_bytes(), true)?;
    }
    // Only after the new list is safe: remove what no longer belongs.
    for stale in previous
        .iter()
        .filter(|path| !current.contains(path.as_str()))
    {
        let Ok(relative) = safe_relative(stale) else {
            continue; // a hand-edited list cannot point outside the folder
        };
        let path = out_dir.join(&relative);
        let is_file = fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_file());
        if is_file && fs::remove_file(&path).is_ok() {
            report.removed += 1;
            remove_empty_parents(out_dir, &relative);
        }
    }
    Ok(report)
}

/// How many files the last run published, if every one of them is still
/// there (a user may have deleted one by hand: then it must be rebuilt).
pub fn intact(out_dir: &Path) -> Option<usize> {
    let listed = published_before(&out_dir.join(STATE_DIR));
    let present = present(out_dir);
    let all_there = !listed.is_empty() && listed.iter().all(|path| present.contains(path));
    all_there.then_some(listed.len())
}

/// The regular files under `out_dir` (outside the state folder), as
/// `/`-separated relative paths. Read from the directories' listings
/// rather than with a `stat` of each of a large site's ten thousand
/// calendars, on every run (a link is not taken for a published file).
pub fn present(out_dir: &Path) -> HashSet<String> {
    fn walk(dir: &Path, prefix: &str, found: &mut HashSet<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let (Ok(kind), Some(name)) = (
                entry.file_type(),
                entry.file_name().to_str().map(str::to_owned),
            ) else {
                continue;
            };
            if prefix.is_empty() && name == STATE_DIR {
                continue;
            }
            if kind.is_dir() {
                walk(&entry.path(), &format!("{prefix}{name}/"), found);
            } else if kind.is_file() {
                found.insert(format!("{prefix}{name}"));
            }
        }
    }
    let mut found = HashSet::new();
    walk(out_dir, "", &mut found);
    found
}

/// Removes temporary files a killed run left in the folders we write to
/// (the run lock guarantees no other run is writing them now).
fn sweep_temporaries(out_dir: &Path, paths: &[String]) {
    let mut dirs: BTreeSet<PathBuf> = paths
        .iter()
        .filter_map(|path| safe_relative(path).ok())
        .filter_map(|relative| relative.parent().map(|parent| out_dir.join(parent)))
        .collect();
    dirs.insert(out_dir.join(STATE_DIR));
    for dir in dirs {
        remove_named(&dir, ".almanac-", ".tmp");
    }
}

/// Removes the files in `dir` named `{prefix}…{suffix}`: what a killed run
/// left of its temporary files. A folder that cannot be read has none.
pub(crate) fn remove_named(dir: &Path, prefix: &str, suffix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && name.ends_with(suffix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The files the last successful run published.
fn published_before(state: &Path) -> Vec<String> {
    fs::read_to_string(state.join(FILES))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Removes the now-empty folders above a removed file, never `out_dir` itself.
fn remove_empty_parents(out_dir: &Path, relative: &Path) {
    let mut parent = relative.parent();
    while let Some(dir) = parent.filter(|dir| !dir.as_os_str().is_empty()) {
        if fs::remove_dir(out_dir.join(dir)).is_err() {
            break; // not empty, or not ours to remove
        }
        parent = dir.parent();
    }
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

/// A temporary file in `dir`, named so that a later run sweeps it away if
/// this one is killed before renaming it.
fn temporary(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".almanac-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Published files are for web servers to read; tempfile's default is 0600.
        builder.permissions(fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(dir)
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
const SPILL_BUFFER: usize = 1 << 20;

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
            self.file = Some(temporary(self.dir)?);
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
const SHARE_BYTES: u64 = 4 << 20;

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
    /// fresh memory for each of a site's tag calendars (megabytes each) was
    /// a tenth of an edit run, spent zeroing pages.
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

/// Writes `bytes` to a closed temporary file in `dir`, fsynced if asked.
fn stage(path: &Path, dir: &Path, bytes: &[u8], fsync: bool) -> Result<tempfile::TempPath> {
    let mut temp = temporary(dir)
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
fn sync_filesystem(out_dir: &Path, staged: &[(tempfile::TempPath, PathBuf)]) -> Result<()> {
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

/// A `/`-separated output path as a relative path with no `..`, root or prefix.
fn safe_relative(path: &str) -> Result<PathBuf> {
    let candidate = Path::new(path);
    let normal = !path.is_empty()
        && !path.contains('\\')
        && !path.contains('\0')
        && candidate
            .components()
            .all(|component| matches!(component, Component::Normal(_)));
    if !normal {
        bail!("refusing to write `{path}`: not a plain path inside the output folder");
    }
    Ok(candidate.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(path: &str, bytes: &str) -> Output {
        Output {
            path: path.into(),
            bytes: bytes.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_then_leaves_unchanged_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = [output("atom.xml", "a"), output("events/x.ics", "b")];
        assert_eq!(
            publish(dir.path(), &outputs).unwrap(),
            Report {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        let before = fs::metadata(dir.path().join("atom.xml"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(
            publish(dir.path(), &outputs).unwrap(),
            Report {
                written: 0,
                unchanged: 2,
                removed: 0
            }
        );
        let after = fs::metadata(dir.path().join("atom.xml"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        let changed = [output("atom.xml", "c"), output("events/x.ics", "b")];
        assert_eq!(
            publish(dir.path(), &changed).unwrap(),
            Report {
                written: 1,
                unchanged: 1,
                removed: 0
            }
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("atom.xml")).unwrap(),
            "c"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn pieces_of_a_file_are_copied_whole_in_memory_and_past_the_spill_size() {
        let dir = tempfile::tempdir().unwrap();
        // A spool-like source: every byte tells its position.
        let source_path = dir.path().join("source");
        let source: Vec<u8> = (0..SPILL_BYTES * 2 + 12_345)
            .map(|i| (i % 251) as u8)
            .collect();
        fs::write(&source_path, &source).unwrap();
        let source_file = fs::File::open(&source_path).unwrap();
        let out = dir.path().join("out");
        // Small pieces, one piece larger than the write buffer, text between.
        let pieces = [
            (5, 100),
            (1_000, 3 * SPILL_BUFFER + 7),
            (SPILL_BYTES, SPILL_BYTES),
        ];
        let paths = ["small.ics".to_string(), "big.ics".to_string()];
        publish_rendered(&out, &paths, &present(&out), |index, sink| {
            let wanted = if index == 0 {
                &pieces[..1]
            } else {
                &pieces[..]
            };
            for &(offset, len) in wanted {
                sink.write_all(b"<")?;
                sink.append_from(&source_file, offset as u64, len as u64)?;
            }
            Ok(true)
        })
        .unwrap();
        let expected = |wanted: &[(usize, usize)]| {
            let mut bytes = Vec::new();
            for &(offset, len) in wanted {
                bytes.push(b'<');
                bytes.extend_from_slice(&source[offset..offset + len]);
            }
            bytes
        };
        assert_eq!(
            fs::read(out.join("small.ics")).unwrap(),
            expected(&pieces[..1])
        );
        assert_eq!(fs::read(out.join("big.ics")).unwrap(), expected(&pieces));
        // A piece past the source's end fails the file, not the process.
        let failed = publish_rendered(&out, &paths[..1], &present(&out), |_, sink| {
            sink.append_from(&source_file, source.len() as u64 - 1, 2)
                .map(|()| true)
        });
        assert!(failed.is_err());
        assert_eq!(
            fs::read(out.join("small.ics")).unwrap(),
            expected(&pieces[..1])
        );
    }

    #[test]
    fn files_past_the_spill_size_stream_and_are_compared_like_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let big = |last: u8| {
            let mut bytes = vec![b'x'; SPILL_BYTES + 100];
            *bytes.last_mut().unwrap() = last;
            output("calendar.ics", std::str::from_utf8(&bytes).unwrap())
        };
        let path = dir.path().join("calendar.ics");
        let report = |outputs: &[Output]| publish(dir.path(), outputs).unwrap();
        assert_eq!(report(&[big(b'a')]).written, 1);
        assert_eq!(fs::read(&path).unwrap(), big(b'a').bytes);
        let inode = |path: &Path| {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(path).unwrap().ino()
        };
        let before = inode(&path);
        assert_eq!(report(&[big(b'a')]).unchanged, 1, "same bytes: kept");
        assert_eq!(inode(&path), before);
        assert_eq!(report(&[big(b'b')]).written, 1, "last byte differs");
        assert_eq!(fs::read(&path).unwrap(), big(b'b').bytes);
        let shorter = output("calendar.ics", &"x".repeat(SPILL_BYTES + 99));
        assert_eq!(report(std::slice::from_ref(&shorter)).written, 1);
        assert_eq!(fs::read(&path).unwrap(), shorter.bytes);
        let temporaries = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_string_lossy().ends_with(".tmp")
            })
            .count();
        assert_eq!(
            temporaries, 0,
            "a spilled file that was not needed is removed"
        );
    }

    #[test]
    fn large_runs_are_copied_in_parallel_to_their_places_or_compared_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let source_path = dir.path().join("source");
        let source: Vec<u8> = (0..3 * SPILL_BYTES).map(|i| (i % 253) as u8).collect();
        fs::write(&source_path, &source).unwrap();
        let source_file = fs::File::open(&source_path).unwrap();
        // Runs of every size, out of order in the source, one past a share.
        let mut runs = Vec::new();
        let mut offset = 2 * SPILL_BYTES as u64;
        for len in (1..2_000u64).chain([SHARE_BYTES + 3, SPILL_BYTES as u64 / 2, 7]) {
            offset = (offset + len * 7_919) % (source.len() as u64 - len);
            runs.push(Span { offset, len });
        }
        let expected: Vec<u8> = b"head"
            .iter()
            .copied()
            .chain(runs.iter().flat_map(|run| {
                source[run.offset as usize..(run.offset + run.len) as usize].to_vec()
            }))
            .chain(*b"tail")
            .collect();
        assert!(expected.len() > SPILL_BYTES);
        let out = dir.path().join("out");
        let paths = ["calendar.ics".to_string()];
        let publish_runs = |runs: &[Span]| {
            let present = present(&out);
            publish_rendered(&out, &paths, &present, |_, sink| {
                sink.write_all(b"head")?;
                sink.append_runs(&source_file, runs)?;
                sink.write_all(b"tail").map(|()| true)
            })
            .unwrap()
        };
        // New: copied in parallel.
        assert_eq!(publish_runs(&runs).written, 1);
        assert_eq!(fs::read(out.join("calendar.ics")).unwrap(), expected);
        // Published: compared as written, in order, and kept.
        assert_eq!(publish_runs(&runs).unchanged, 1);
        // One run fewer: differs, and written.
        assert_eq!(publish_runs(&runs[1..]).written, 1);
        let shorter = [&expected[..4], &expected[4 + runs[0].len as usize..]].concat();
        assert_eq!(fs::read(out.join("calendar.ics")).unwrap(), shorter);
    }

    #[test]
    fn files_no_longer_produced_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("index.html"), "not ours").unwrap();
        let first = [
            output("atom.xml", "a"),
            output("tags/old/atom.xml", "b"),
            output("events/gone.ics", "c"),
        ];
        publish(dir.path(), &first).unwrap();
        let report = publish(dir.path(), &[output("atom.xml", "a")]).unwrap();
        assert_eq!(
            report,
            Report {
                written: 0,
                unchanged: 1,
                removed: 2
            }
        );
        assert!(!dir.path().join("tags").exists(), "empty folders go too");
        assert!(!dir.path().join("events").exists());
        assert!(
            dir.path().join("index.html").exists(),
            "files almanac never wrote stay"
        );
    }

    #[test]
    fn temporary_files_of_a_killed_run_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("events")).unwrap();
        fs::write(dir.path().join("events/.almanac-x1.tmp"), "half").unwrap();
        fs::write(dir.path().join(".almanac-y2.tmp"), "half").unwrap();
        publish(
            dir.path(),
            &[output("atom.xml", "a"), output("events/a.ics", "b")],
        )
        .unwrap();
        assert!(!dir.path().join("events/.almanac-x1.tmp").exists());
        assert!(!dir.path().join(".almanac-y2.tmp").exists());
    }

    #[test]
    fn a_tampered_file_list_cannot_reach_outside() {
        let outer = tempfile::tempdir().unwrap();
        let out = outer.path().join("feeds");
        fs::create_dir_all(out.join(STATE_DIR)).unwrap();
        fs::write(outer.path().join("precious"), "keep").unwrap();
        fs::write(
            out.join(STATE_DIR).join(FILES),
            "../precious\n/etc/passwd\n",
        )
        .unwrap();
        publish(&out, &[output("atom.xml", "a")]).unwrap();
        assert!(outer.path().join("precious").exists());
    }

    #[cfg(unix)]
    #[test]
    fn published_files_are_world_readable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        publish(dir.path(), &[output("rss.xml", "x")]).unwrap();
        let mode = fs::metadata(dir.path().join("rss.xml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn paths_leaving_the_folder_are_refused_before_any_write() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "a\\b", ""] {
            let result = publish(dir.path(), &[output("ok.xml", "x"), output(bad, "y")]);
            assert!(result.is_err(), "{bad}");
        }
        assert!(!dir.path().join("ok.xml").exists());
    }
}
