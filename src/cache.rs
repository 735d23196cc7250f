//! The incremental cache: each note's parsed form, keyed by its path, size,
//! modification time and content hash, under a key made of the config, the
//! content folder and the almanac binary. A note whose size and mtime match
//! is not even read; one whose bytes hash the same is not parsed again. A
//! cache that is missing, corrupt, or written under another key is ignored
//! and rebuilt, never trusted.
//!
//! Two files: a small index (what each note's file looked like, and what
//! feeds need to know of it) and the parsed notes. A run with nothing
//! changed reads only the index.

use crate::model::Note;
use crate::note::Outcome;
use crate::problem::LineProblem;
use crate::source::NoteFile;
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Bumped whenever the cached data's shape or meaning changes.
const FORMAT: u32 = 6;
const INDEX: &str = "index.json";
const NOTES: &str = "notes.json";

/// What parsing a note gave, as kept between runs (invalid notes are
/// parsed again every run, so their errors are always reported).
#[derive(Debug, Clone, Deserialize)]
pub enum Cached {
    Note(Box<Note>, Vec<LineProblem>),
    Draft,
}

/// [`Cached`] as it is written, borrowing the note.
#[derive(Serialize)]
enum CachedRef<'a> {
    Note(&'a Note, &'a [LineProblem]),
    Draft,
}

/// A note's cached outcome in its stored form, the JSON of a [`Cached`].
/// Kept as written: a parsed note is encoded once, on the thread that
/// parsed it, and an unchanged note's entry is copied to the next cache
/// without being decoded and encoded again.
pub type Stored = Box<RawValue>;

impl Cached {
    /// The stored form of a note or draft (an invalid note is not kept).
    pub fn store(outcome: &Outcome) -> Option<Stored> {
        let cached = match outcome {
            Outcome::Note(note, warnings) => CachedRef::Note(note, warnings),
            Outcome::Draft => CachedRef::Draft,
            Outcome::Invalid(_) => return None,
        };
        serde_json::value::to_raw_value(&cached).ok()
    }

    /// Decodes a stored outcome; `None` if it does not decode (a cache
    /// damaged in a way its generation check missed is not trusted).
    pub fn load(stored: &RawValue) -> Option<Self> {
        serde_json::from_str(stored.get()).ok()
    }
}

/// One note's line in the index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub relative: String,
    pub size: u64,
    pub modified: i128,
    pub hash: u64,
    /// For a note (not a draft): what decides whether feeds show it.
    pub feed: Option<FeedKey>,
    /// The note's tag folders: an edit touches these tags' files.
    pub tags: Vec<String>,
    /// Where its stored outcome is in the notes file: offset and length.
    pub notes_at: Option<(u64, u64)>,
}

/// A note's feed id and the dates that decide its visibility.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeedKey {
    pub id: String,
    pub publish: DateTime<FixedOffset>,
    pub expiry: Option<DateTime<FixedOffset>>,
}

impl FeedKey {
    pub fn of(note: &Note) -> Self {
        Self {
            id: note.id.clone(),
            publish: note.publish,
            expiry: note.expiry,
        }
    }

    fn visible(&self, now: DateTime<Utc>) -> bool {
        self.publish <= now && self.expiry.is_none_or(|expiry| expiry > now)
    }
}

#[derive(Serialize, Deserialize)]
struct IndexFile {
    format: u32,
    key: u64,
    /// Ties the notes file to this index: a run killed between the two
    /// writes leaves a pair that does not match, and neither is trusted.
    generation: u64,
    /// Which notes the feeds showed, as a hash: "now" alone can change it.
    visible: u64,
    entries: Vec<Entry>,
}

/// The previous run's cache.
#[derive(Debug, Default)]
pub struct Cache {
    entries: HashMap<String, Entry>,
    visible: Option<u64>,
    generation: u64,
    notes_path: PathBuf,
    /// The notes file, opened on first use if its generation is the index's.
    notes: OnceLock<Option<fs::File>>,
}

/// The first line of a notes file; its generation follows, in hex.
const NOTES_HEADER: &str = "almanac-notes ";

/// What an unchanged site holds, for the run summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unchanged {
    pub notes: usize,
    pub drafts: usize,
}

impl Cache {
    /// Reads the index in `dir`, or an empty cache if it cannot be trusted.
    pub fn load(dir: &Path, key: u64) -> Self {
        let index = fs::read(dir.join(INDEX))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<IndexFile>(&bytes).ok())
            .filter(|index| index.format == FORMAT && index.key == key);
        let Some(index) = index else {
            return Self::default();
        };
        Self {
            entries: index
                .entries
                .into_iter()
                .map(|entry| (entry.relative.clone(), entry))
                .collect(),
            visible: Some(index.visible),
            generation: index.generation,
            notes_path: dir.join(NOTES),
            notes: OnceLock::new(),
        }
    }

    pub fn entry(&self, relative: &str) -> Option<&Entry> {
        self.entries.get(relative)
    }

    /// The stored outcome kept for `relative`, read from the notes file at
    /// the place the index gives: an edit run reads each unchanged note's
    /// entry, never the whole file at once.
    pub fn outcome(&self, relative: &str) -> Option<Stored> {
        let (offset, len) = self.entries.get(relative)?.notes_at?;
        let file = self
            .notes
            .get_or_init(|| {
                let mut file = fs::File::open(&self.notes_path).ok()?;
                let header = format!("{NOTES_HEADER}{:016x}\n", self.generation);
                let mut found = vec![0; header.len()];
                std::io::Read::read_exact(&mut file, &mut found).ok()?;
                (found == header.as_bytes()).then_some(file)
            })
            .as_ref()?;
        let mut bytes = vec![0; usize::try_from(len).ok()?];
        crate::spool::read_at(file, &mut bytes, offset).ok()?;
        RawValue::from_string(String::from_utf8(bytes).ok()?).ok()
    }

    /// The visibility hash the last run saw (see [`visibility`]).
    pub fn visible(&self) -> Option<u64> {
        self.visible
    }

    /// Every indexed note, by relative path.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the site is exactly as the last run left it: the same files
    /// with the same sizes and mtimes, and the same notes visible in feeds
    /// at `now`. Reads no note.
    pub fn unchanged(&self, files: &[NoteFile], now: DateTime<Utc>) -> Option<Unchanged> {
        if self.entries.is_empty() || files.len() != self.entries.len() {
            return None;
        }
        let mut keys = Vec::with_capacity(files.len());
        for file in files {
            let entry = self.entries.get(&file.relative)?;
            if entry.size != file.size || entry.modified != file.modified {
                return None;
            }
            keys.extend(entry.feed.as_ref());
        }
        let notes = keys.len();
        (Some(visibility(keys.into_iter(), now)) == self.visible).then_some(Unchanged {
            notes: files.len(),
            drafts: files.len() - notes,
        })
    }
}

/// A hash of the ids of the notes feeds show at `now`: with no note changed,
/// only this can change the output.
pub fn visibility<'a>(keys: impl Iterator<Item = &'a FeedKey>, now: DateTime<Utc>) -> u64 {
    let mut visible: Vec<&str> = keys
        .filter(|key| key.visible(now))
        .map(|key| key.id.as_str())
        .collect();
    visible.sort_unstable();
    crate::digest::fnv1a(visible.join("\n").as_bytes())
}

/// The running binary's size and modification time, hashed: a cache written
/// by another build of almanac, even of the same version, is not trusted.
pub fn binary_identity() -> u64 {
    let metadata = std::env::current_exe().and_then(fs::metadata);
    let Ok(metadata) = metadata else {
        return 0;
    };
    let modified = metadata
        .modified()
        .ok()
        .and_then(|at| at.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos());
    crate::digest::fnv1a(format!("{FORMAT}:{}:{modified}", metadata.len()).as_bytes())
}

/// The next run's notes file, written as the notes are read (from many
/// threads) into a temporary file beside the cache, so no run holds every
/// note's stored form at once. Each entry of the index says where its
/// note's stored form is; [`save`] completes the pair.
pub struct NotesWriter {
    inner: Mutex<NotesInner>,
    /// Ties the notes file to its index: a run killed between writing the
    /// two leaves a pair that does not match, and the notes are not trusted.
    generation: u64,
}

struct NotesInner {
    file: BufWriter<tempfile::NamedTempFile>,
    written: u64,
    error: Option<std::io::Error>,
}

impl NotesWriter {
    pub fn create(dir: &Path) -> std::io::Result<Self> {
        fs::create_dir_all(dir)?;
        // What a killed run left (the output folder's lock is held, and a
        // cache folder serves one site).
        for entry in fs::read_dir(dir)?.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(".almanac-notes-") && name.ends_with(".part") {
                let _ = fs::remove_file(entry.path());
            }
        }
        // Not named like the output's temporary files (`.almanac-*.tmp`):
        // publishing sweeps those from the state folder, which by default
        // is this folder, while this one is still being written.
        let temp = tempfile::Builder::new()
            .prefix(".almanac-notes-")
            .suffix(".part")
            .tempfile_in(dir)?;
        // Unique to this run: the time and the process.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        let generation = crate::digest::fnv1a(format!("{now}:{}", std::process::id()).as_bytes());
        let header = format!("{NOTES_HEADER}{generation:016x}\n");
        let mut file = BufWriter::with_capacity(1 << 20, temp);
        file.write_all(header.as_bytes())?;
        Ok(Self {
            inner: Mutex::new(NotesInner {
                file,
                written: header.len() as u64,
                error: None,
            }),
            generation,
        })
    }

    /// Adds one note's stored outcome; returns where it is. A failed write
    /// is kept and reported by [`save`].
    pub fn add(&self, stored: &RawValue) -> Option<(u64, u64)> {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if inner.error.is_some() {
            return None;
        }
        let bytes = stored.get().as_bytes();
        match inner.file.write_all(bytes) {
            Ok(()) => {
                let at = (inner.written, bytes.len() as u64);
                inner.written += at.1;
                Some(at)
            }
            Err(error) => {
                inner.error = Some(error);
                None
            }
        }
    }
}

/// Writes the notes (completing `notes`), then the index that vouches for
/// them, each atomically.
pub fn save(
    dir: &Path,
    key: u64,
    visible: u64,
    mut entries: Vec<Entry>,
    notes: NotesWriter,
) -> anyhow::Result<()> {
    entries.sort_by(|a, b| a.relative.cmp(&b.relative));
    let generation = notes.generation;
    let inner = notes
        .inner
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(error) = inner.error {
        return Err(error.into());
    }
    let temp = inner
        .file
        .into_inner()
        .map_err(|error| error.into_error())?;
    // No fsync: after a crash a cache is at worst unreadable, hence ignored.
    temp.persist(dir.join(NOTES)).map_err(|error| error.error)?;
    let index = IndexFile {
        format: FORMAT,
        key,
        generation,
        visible,
        entries,
    };
    crate::publish::replace(&dir.join(INDEX), dir, &serde_json::to_vec(&index)?, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_or_foreign_caches_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(INDEX), "{not json").unwrap();
        assert!(Cache::load(dir.path(), 1).is_empty());
        let notes = || NotesWriter::create(dir.path()).unwrap();
        save(dir.path(), 1, 7, Vec::new(), notes()).unwrap();
        assert_eq!(Cache::load(dir.path(), 1).visible, Some(7));
        assert_eq!(
            Cache::load(dir.path(), 2).visible,
            None,
            "another key's cache"
        );
    }

    #[test]
    fn a_notes_file_from_another_generation_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let save_one = || {
            let notes = NotesWriter::create(dir.path()).unwrap();
            let entry = Entry {
                relative: "a.md".into(),
                size: 1,
                modified: 1,
                hash: 1,
                feed: None,
                tags: Vec::new(),
                notes_at: notes.add(&Cached::store(&Outcome::Draft).unwrap()),
            };
            save(dir.path(), 1, 0, vec![entry], notes).unwrap();
        };
        save_one();
        let old_notes = fs::read(dir.path().join(NOTES)).unwrap();
        save_one();
        let stored = Cache::load(dir.path(), 1).outcome("a.md").unwrap();
        assert!(matches!(Cached::load(&stored), Some(Cached::Draft)));
        fs::write(dir.path().join(NOTES), old_notes).unwrap();
        assert!(Cache::load(dir.path(), 1).outcome("a.md").is_none());
    }
}
