//! The incremental cache: each note's parsed form, keyed by its path, size,
//! modification time and content hash, under a key made of the config, the
//! content folder and the almanac binary. A note whose size and mtime match
//! is not even read; one whose bytes hash the same is not parsed again. A
//! cache that is missing, corrupt, or written under another key is ignored
//! and rebuilt, never trusted.
//!
//! Two files: a small index (what each note's file looked like, what feeds
//! need to know of it, and where the rest is) and the notes file: each
//! note's parsed form (without its slots' descriptions) and its rendered
//! events, written as the build's spool (see [`crate::incremental::spool`]). A run with
//! nothing changed reads only the index; a run with one note changed reads
//! each other note's parsed form and copies its events, rendering none.

use super::spool::{Spool, SpoolWriter};
use crate::digest;
use crate::model::Note;
use crate::problem::LineProblem;
use crate::publish::{self, Naming};
use crate::render::{Span, ics::EventRef};
use crate::source::NoteFile;
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Bumped whenever the cached data's shape or meaning changes.
const FORMAT: u32 = 11;
const INDEX: &str = "index.json";
const NOTES: &str = "notes";

/// What parsing a note gave, as kept between runs (invalid notes are
/// parsed again every run, so their errors are always reported). A note
/// comes with the length of each of its events' text, side by side in the
/// note's block of events in the notes file; the rest of an event (start,
/// UID, zone) follows from its slot (see [`crate::render::ics::events_of`]).
#[derive(Debug, Clone, Deserialize)]
pub enum Cached {
    Note(Box<Note>, Vec<LineProblem>, Vec<u64>),
    Draft,
}

/// [`Cached`] as it is written, borrowing the note.
#[derive(Serialize)]
enum CachedRef<'a> {
    Note(&'a Note, &'a [LineProblem], Vec<u64>),
    Draft,
}

/// A note's cached outcome in its stored form, the JSON of a [`Cached`].
/// Kept as written: a parsed note is encoded once, on the thread that
/// parsed it, and an unchanged note's entry is copied to the next cache
/// without being encoded again.
pub struct Stored(Vec<u8>);

impl Stored {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl Cached {
    /// The stored form of a note and its events.
    pub fn store_note(note: &Note, warnings: &[LineProblem], events: &[EventRef]) -> Stored {
        let lengths = events.iter().map(|event| event.text.len).collect();
        Stored(
            serde_json::to_vec(&CachedRef::Note(note, warnings, lengths))
                .expect("a note encodes as JSON"),
        )
    }

    /// The stored form of a draft.
    pub fn store_draft() -> Stored {
        Stored(serde_json::to_vec(&CachedRef::Draft).expect("a unit variant encodes"))
    }

    /// Decodes a stored outcome; `None` if it does not decode (a cache
    /// damaged in a way its generation check missed is not trusted). The
    /// one pass over the bytes: what decodes is kept as it was read.
    pub fn load(stored: &Stored) -> Option<Self> {
        serde_json::from_slice(&stored.0).ok()
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
    /// Where its stored outcome is in the notes file, and its checksum.
    pub stored_at: Option<Span>,
    #[serde(default)]
    pub stored_sum: u64,
    /// Where its block of rendered events is in the notes file, if it is
    /// kept there (see [`crate::incremental::spool`]: not once they have
    /// all left the calendars' window).
    pub events_at: Option<Span>,
    /// The checksum of its events' text, kept or not: what an edit of the
    /// note compares its new events with.
    #[serde(default)]
    pub events_sum: u64,
    /// The length of its events' text, kept or not; 0 for a note without.
    #[serde(default)]
    pub events_len: u64,
}

impl Entry {
    /// Whether its note has events: it is in calendars.
    pub fn has_events(&self) -> bool {
        self.events_len > 0
    }
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
    /// The span of "now" over which the subscribed calendars hold the
    /// same events (see [`crate::render::window::steady`]); none in a
    /// cache without it.
    #[serde(default)]
    window: (i64, i64),
    entries: Vec<Entry>,
}

/// The previous run's cache.
#[derive(Debug, Default)]
pub struct Cache {
    entries: HashMap<String, Entry>,
    /// When the index was written (its mtime, ns since the epoch).
    written: i128,
    visible: Option<u64>,
    window: (i64, i64),
    generation: u64,
    notes_path: PathBuf,
    /// The notes file and its size, opened on first use if its generation
    /// is the index's.
    notes: OnceLock<Option<(fs::File, u64)>>,
}

/// What an unchanged site holds, for the run summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unchanged {
    pub notes: usize,
    pub drafts: usize,
}

impl Cache {
    /// Reads the index in `dir`, or an empty cache if it cannot be trusted:
    /// missing, damaged (its checksum), or written under another key.
    pub fn load(dir: &Path, key: u64) -> Self {
        let path = dir.join(INDEX);
        let index = fs::read(&path)
            .ok()
            .and_then(|bytes| unseal(&bytes).map(<[u8]>::to_vec))
            .and_then(|json| serde_json::from_slice::<IndexFile>(&json).ok())
            .filter(|index| index.format == FORMAT && index.key == key);
        let Some(index) = index else {
            return Self::default();
        };
        let written = fs::metadata(&path)
            .and_then(|meta| meta.modified())
            .map_or(i128::MAX, crate::source::nanos);
        Self {
            written,
            entries: index
                .entries
                .into_iter()
                .map(|entry| (entry.relative.clone(), entry))
                .collect(),
            visible: Some(index.visible),
            window: index.window,
            generation: index.generation,
            notes_path: dir.join(NOTES),
            notes: OnceLock::new(),
        }
    }

    pub fn entry(&self, relative: &str) -> Option<&Entry> {
        self.entries.get(relative)
    }

    /// Whether `entry`'s size and mtime still tell whether its file
    /// changed. Not for a file modified within [`RACY_NANOS`] of when the
    /// index was written: on a file system that keeps whole seconds (FAT,
    /// ext4 with small inodes, some NFS), an edit in the same second as
    /// that run leaves them as they were. Such a file is hashed instead
    /// (git's "racy clean" rule).
    pub fn trusts_stat(&self, entry: &Entry) -> bool {
        entry.modified < self.written.saturating_sub(RACY_NANOS)
    }

    /// The stored outcome kept for `relative`, read from the notes file at
    /// the place the index gives: an edit run reads each unchanged note's
    /// entry, never the whole file at once.
    pub fn outcome(&self, relative: &str) -> Option<Stored> {
        let entry = self.entries.get(relative)?;
        let bytes = self.read(entry.stored_at?)?;
        (digest::checksum(&bytes) == entry.stored_sum).then_some(Stored(bytes))
    }

    /// The block of rendered events kept for `relative` (empty for a note
    /// without any).
    pub fn events(&self, relative: &str) -> Option<Vec<u8>> {
        let entry = self.entries.get(relative)?;
        match entry.events_at {
            Some(span) => self
                .read(span)
                .filter(|bytes| digest::checksum(bytes) == entry.events_sum),
            None => Some(Vec::new()),
        }
    }

    /// Whether the events blocks of every entry that has one, read where
    /// they are in the notes file, still hold what was written there.
    /// Checked before they are copied into calendars without being read
    /// otherwise (a run that continues the file).
    pub fn events_intact(&self) -> bool {
        use rayon::prelude::*;
        let entries: Vec<&Entry> = self.entries.values().collect();
        entries
            .par_iter()
            .filter(|entry| entry.events_at.is_some())
            .all(|entry| self.events(&entry.relative).is_some())
    }

    /// The notes file and its size, if it is the one the index vouches for.
    fn notes_file(&self) -> Option<&(fs::File, u64)> {
        self.notes
            .get_or_init(|| {
                let mut file = fs::File::open(&self.notes_path).ok()?;
                let header = notes_header(self.generation);
                let mut found = vec![0; header.len()];
                std::io::Read::read_exact(&mut file, &mut found).ok()?;
                let size = file.metadata().ok()?.len();
                (found == header.as_bytes()).then_some((file, size))
            })
            .as_ref()
    }

    /// Whether the next notes file should continue this one: it is this
    /// index's, and at least half of it is still in use. An edit then
    /// appends the notes it read instead of rewriting every note's events;
    /// past half, the file is written anew without what no entry uses.
    fn worth_appending(&self) -> bool {
        let Some((_, size)) = self.notes_file() else {
            return false;
        };
        let used: u64 = self
            .entries
            .values()
            .flat_map(|entry| [entry.stored_at, entry.events_at])
            .flatten()
            .map(|span| span.len)
            .fold(
                notes_header(self.generation).len() as u64,
                u64::saturating_add,
            );
        !self.entries.is_empty() && *size <= used.saturating_mul(2)
    }

    fn read(&self, span: Span) -> Option<Vec<u8>> {
        let (file, size) = self.notes_file()?;
        // A damaged index must not make us allocate what the file cannot hold.
        if span.offset.checked_add(span.len)? > *size {
            return None;
        }
        let mut bytes = vec![0; usize::try_from(span.len).ok()?];
        publish::read_at(file, &mut bytes, span.offset).ok()?;
        Some(bytes)
    }

    /// The visibility hash the last run saw (see [`visibility`]).
    pub fn visible(&self) -> Option<u64> {
        self.visible
    }

    /// Whether the subscribed calendars hold at `now` what they held in
    /// the run that wrote this cache.
    pub fn steady(&self, now: DateTime<Utc>) -> bool {
        let (from, until) = self.window;
        (from..until).contains(&now.timestamp())
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
            if entry.size != file.size
                || entry.modified != file.modified
                || !self.trusts_stat(entry)
            {
                return None;
            }
            keys.extend(entry.feed.as_ref());
        }
        let notes = keys.len();
        let same = Some(visibility(keys.into_iter(), now)) == self.visible && self.steady(now);
        same.then_some(Unchanged {
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

/// A file of `contents` beginning with their checksum, `{:016x}\n`.
pub(super) fn seal(contents: &[u8]) -> Vec<u8> {
    let mut sealed = format!("{:016x}\n", digest::checksum(contents)).into_bytes();
    sealed.extend_from_slice(contents);
    sealed
}

/// The contents of a [`seal`]ed file, if its checksum holds.
pub(super) fn unseal(sealed: &[u8]) -> Option<&[u8]> {
    let (sum, contents) = (sealed.get(..16)?, sealed.get(17..)?);
    let sum = u64::from_str_radix(std::str::from_utf8(sum).ok()?, 16).ok()?;
    (sealed[16] == b'\n' && digest::checksum(contents) == sum).then_some(contents)
}

/// How close to the index's writing a file's mtime must be to be hashed
/// rather than trusted (see [`Cache::trusts_stat`]): FAT keeps two seconds.
const RACY_NANOS: i128 = 2_000_000_000;

/// The first line of a notes file, which ties it to its index: a run
/// killed between writing the two leaves a pair that does not match, and
/// the notes are not trusted.
fn notes_header(generation: u64) -> String {
    format!("almanac-notes {generation:016x}\n")
}

/// The next run's notes file, begun, and its generation: `previous`'s
/// file continued (see [`Cache::worth_appending`]; what it held stays where
/// the index says, so a note read from the cache is not copied), or a spool
/// in a temporary file beside the cache. Written as the notes are read;
/// [`save`] completes the pair.
///
/// Appending never changes a byte the old index points to, so a run killed
/// at any point leaves the old pair valid.
pub fn notes_writer(dir: &Path, previous: &Cache) -> std::io::Result<(SpoolWriter, u64)> {
    fs::create_dir_all(dir)?;
    // What a killed run left (the output folder's lock is held, and a
    // cache folder serves one site).
    publish::folder::remove_named(dir, NOTES_FILE.prefix, NOTES_FILE.suffix);
    if previous.notes_path == dir.join(NOTES)
        && previous.worth_appending()
        && let Ok(writer) = SpoolWriter::appending_to(&previous.notes_path)
    {
        return Ok((writer, previous.generation));
    }
    // Another than the index's, so that a run killed between writing the
    // notes file and the index leaves a pair that does not match; counted
    // on, not drawn from the clock, so identical runs leave identical files.
    let generation = previous.generation.wrapping_add(1);
    let header = notes_header(generation);
    let writer = SpoolWriter::in_file(dir, &NOTES_FILE, header.as_bytes())?;
    Ok((writer, generation))
}

/// Not named like the output's temporary files (`.almanac-*.tmp`):
/// publishing sweeps those from the state folder, which by default is the
/// cache folder, while the notes file is still being written.
/// Readable by its owner only: the cache holds notes the feeds do not
/// show yet, and sits in the output folder a web server may serve.
const NOTES_FILE: Naming = Naming {
    prefix: ".almanac-notes-",
    suffix: ".part",
    mode: 0o600,
};

/// Removes the index, before a run replaces published files: a run killed
/// between publishing and [`save`] would otherwise leave an index older
/// than the output, and the next run would take the files its changes do
/// not reach as current (a note edited, published, then reverted to the
/// indexed version would stay published as edited). With no index, that
/// run renders everything.
pub fn forget(dir: &Path) -> std::io::Result<()> {
    match fs::remove_file(dir.join(INDEX)) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        // Durably gone before any published file is replaced, even with
        // the cache on another file system than the output.
        Ok(()) => fs::File::open(dir)?.sync_all(),
        Err(error) => Err(error),
    }
}

/// Keeps the notes file (`notes`, sealed), then writes the index that
/// vouches for it, each atomically.
pub fn save(
    dir: &Path,
    key: u64,
    (visible, window): (u64, (i64, i64)),
    mut entries: Vec<Entry>,
    (notes, generation): (Spool, u64),
) -> anyhow::Result<()> {
    entries.sort_by(|a, b| a.relative.cmp(&b.relative));
    // A new file is not synced: after a crash a cache is at worst
    // unreadable, hence ignored. An appended one is (see `Spool::persist`).
    notes.persist(&dir.join(NOTES))?;
    let index = IndexFile {
        format: FORMAT,
        key,
        generation,
        visible,
        window,
        entries,
    };
    // Like the notes file, readable by its owner only.
    let mut temp = publish::temporary(dir, &NOTES_FILE)?;
    std::io::Write::write_all(&mut temp, &seal(&serde_json::to_vec(&index)?))?;
    temp.persist(dir.join(INDEX)).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_or_foreign_caches_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(INDEX), "{not json").unwrap();
        assert!(Cache::load(dir.path(), 1).is_empty());
        let (notes, generation) = notes_writer(dir.path(), &Cache::default()).unwrap();
        let notes = (notes.seal().unwrap(), generation);
        save(dir.path(), 1, (7, (0, 0)), Vec::new(), notes).unwrap();
        assert_eq!(Cache::load(dir.path(), 1).visible, Some(7));
        assert_eq!(
            Cache::load(dir.path(), 2).visible,
            None,
            "another key's cache"
        );
    }

    #[test]
    fn a_forgotten_cache_is_empty_and_forgetting_twice_is_no_error() {
        let dir = tempfile::tempdir().unwrap();
        let (notes, generation) = notes_writer(dir.path(), &Cache::default()).unwrap();
        save_sealed(dir.path(), (notes, generation), vec![entry(None, None)]);
        assert_eq!(Cache::load(dir.path(), 1).len(), 1);
        forget(dir.path()).unwrap();
        assert!(Cache::load(dir.path(), 1).is_empty());
        forget(dir.path()).unwrap();
    }

    /// Seals `notes` and saves it under key 1 with `entries`.
    fn save_sealed(dir: &Path, (notes, generation): (SpoolWriter, u64), entries: Vec<Entry>) {
        save(
            dir,
            1,
            (0, (0, 0)),
            entries,
            (notes.seal().unwrap(), generation),
        )
        .unwrap();
    }

    /// The index line of `a.md`, its parts where given (a stored draft).
    fn entry(stored_at: Option<Span>, events_at: Option<Span>) -> Entry {
        Entry {
            relative: "a.md".into(),
            size: 1,
            modified: 1,
            hash: 1,
            feed: None,
            tags: Vec::new(),
            stored_at,
            // Every test stores a draft there.
            stored_sum: digest::checksum(Cached::store_draft().as_bytes()),
            events_at,
            events_sum: 0,
            events_len: events_at.map_or(0, |span| span.len),
        }
    }

    #[test]
    fn a_notes_file_from_another_generation_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        // A new notes file after one of generation `last` (not continued).
        let save_one = |last: u64| {
            let previous = Cache {
                generation: last,
                ..Cache::default()
            };
            let (notes, generation) = notes_writer(dir.path(), &previous).unwrap();
            assert_eq!(generation, last + 1);
            let stored = Cached::store_draft();
            let entry = entry(Some(notes.append(stored.as_bytes()).unwrap()), None);
            save_sealed(dir.path(), (notes, generation), vec![entry]);
        };
        save_one(0);
        let old_notes = fs::read(dir.path().join(NOTES)).unwrap();
        save_one(1);
        let cache = Cache::load(dir.path(), 1);
        let stored = cache.outcome("a.md").unwrap();
        assert!(matches!(Cached::load(&stored), Some(Cached::Draft)));
        assert_eq!(cache.events("a.md"), Some(Vec::new()));
        fs::write(dir.path().join(NOTES), old_notes).unwrap();
        assert!(Cache::load(dir.path(), 1).outcome("a.md").is_none());
    }

    #[test]
    fn a_run_killed_while_appending_leaves_the_last_pair_valid() {
        let dir = tempfile::tempdir().unwrap();
        let (notes, generation) = notes_writer(dir.path(), &Cache::default()).unwrap();
        let stored = Cached::store_draft();
        let first = entry(Some(notes.append(stored.as_bytes()).unwrap()), None);
        save_sealed(dir.path(), (notes, generation), vec![first]);
        let cache = Cache::load(dir.path(), 1);
        let (next, next_generation) = notes_writer(dir.path(), &cache).unwrap();
        assert!(next.continues_file());
        assert_eq!(next_generation, generation);
        // Killed mid-append: half an entry after the file's end, no new index.
        next.append(&stored.as_bytes()[..3]).unwrap();
        drop(next.seal().unwrap());
        let cache = Cache::load(dir.path(), 1);
        let kept = cache.outcome("a.md").unwrap();
        assert!(matches!(Cached::load(&kept), Some(Cached::Draft)));
    }

    #[cfg(unix)]
    #[test]
    fn the_cache_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (notes, generation) = notes_writer(dir.path(), &Cache::default()).unwrap();
        save_sealed(dir.path(), (notes, generation), Vec::new());
        for name in [INDEX, NOTES] {
            let mode = fs::metadata(dir.path().join(name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "{name}: {mode:o}");
        }
    }

    #[test]
    fn an_index_pointing_past_the_notes_file_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let (notes, generation) = notes_writer(dir.path(), &Cache::default()).unwrap();
        let huge = Span {
            offset: 1,
            len: u64::MAX - 1,
        };
        let entry = entry(Some(huge), Some(huge));
        save_sealed(dir.path(), (notes, generation), vec![entry]);
        let cache = Cache::load(dir.path(), 1);
        assert!(cache.outcome("a.md").is_none());
        assert!(cache.events("a.md").is_none());
    }
}
