//! Notes → `Site`: every note read (in parallel), problems gathered from all
//! of them, collisions refused, and the deterministic order fixed.

use crate::cache::{self, Cache, Cached, Entry, FeedKey, NotesWriter, Stored};
use crate::config::SiteConfig;
use crate::digest;
use crate::model::{Note, Site};
use crate::note::{self, Outcome};
use crate::problem::{LineProblem, Problem};
use crate::render::{self, ics, ics::EventRef};
use crate::source::{self, NoteFile};
use crate::spool::SpoolWriter;
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

/// The site, or every error found; warnings ride along either way.
pub struct Assembled {
    pub site: Option<Site>,
    pub problems: Vec<Problem>,
    /// Cache entries for the next run (their notes went to the notes writer).
    pub entries: Vec<Entry>,
    /// Notes read and parsed this run (the rest came from the cache).
    pub parsed: usize,
    /// Whether anything differs from the cache: a note added, removed,
    /// changed, or invalid.
    pub changed: bool,
    /// What the changes touch, to render only the files that depend on them.
    pub touched: Touched,
    /// With a spool: each note's events, by note path (see [`assemble`]).
    pub events: HashMap<PathBuf, Vec<EventRef>>,
    /// With a spool: why writing to it failed, if it did.
    pub spool_error: Option<std::io::Error>,
}

/// The notes and tags a run's changes touch. Files that depend on neither
/// (another note's calendar, another tag's feeds) are as the last run wrote
/// them, since the cache is only trusted for the same config and binary.
#[derive(Debug, Default)]
pub struct Touched {
    /// Everything: no cache, or every file must be rendered anew.
    pub all: bool,
    /// Source paths of the notes read and parsed this run.
    pub notes: HashSet<PathBuf>,
    /// Tag folders of those notes, before and after, and of removed notes.
    pub tags: HashSet<String>,
}

/// Reads every note (or takes it from `cache` when its file is unchanged)
/// and assembles the site. Problems are sorted by file and line so the
/// report reads like a compiler's.
///
/// With a `spool`, each note's events are rendered into it as the note is
/// read, and the slots' descriptions, which only the events carry, are not
/// kept: a large site is never held in memory with all its text.
pub fn assemble(
    config: &SiteConfig,
    files: Vec<NoteFile>,
    now: DateTime<Utc>,
    cache: &Cache,
    progress: &(dyn Fn() + Sync),
    spool: Option<&SpoolWriter>,
    notes: Option<&NotesWriter>,
) -> Assembled {
    let file_count = files.len();
    let mut touched = Touched {
        all: cache.is_empty(),
        ..Touched::default()
    };
    let present: HashSet<&str> = files.iter().map(|f| f.relative.as_str()).collect();
    for removed in cache
        .entries()
        .filter(|e| !present.contains(e.relative.as_str()))
    {
        touched.tags.extend(removed.tags.iter().cloned());
    }
    let relatives: Vec<String> = files.iter().map(|f| f.relative.clone()).collect();
    let outcomes: Vec<(PathBuf, Read, Option<Entry>, Spooled)> = files
        .into_par_iter()
        .map(|file| {
            let mut read = outcome(config, &file, cache);
            // The stored form goes to the next run's cache now, and is not
            // held until the end.
            let entry = read.keep.take().map(|(mut entry, stored)| {
                entry.notes_at = notes.and_then(|notes| notes.add(&stored));
                entry
            });
            let spooled = match (&mut read.outcome, spool) {
                (Outcome::Note(note, _), Some(spool)) => spool_note(config, note, spool),
                _ => Ok(Vec::new()),
            };
            progress();
            (file.path, read, entry, spooled)
        })
        .collect();

    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut entries = Vec::with_capacity(file_count);
    let mut drafts = 0;
    let mut parsed = 0;
    let mut invalid = false;
    let mut events = HashMap::new();
    let mut spool_error = None;
    for ((path, read, entry, spooled), relative) in outcomes.into_iter().zip(&relatives) {
        match spooled {
            Ok(found) if found.is_empty() => {}
            Ok(found) => {
                events.insert(path.clone(), found);
            }
            Err(error) => spool_error = Some(error),
        }
        parsed += usize::from(read.parsed);
        if read.parsed {
            touched.notes.insert(path.clone());
            if let Some(old) = cache.entry(relative) {
                touched.tags.extend(old.tags.iter().cloned());
            }
            if let Outcome::Note(note, _) = &read.outcome {
                touched
                    .tags
                    .extend(note.tags.iter().map(|tag| render::tag_folder(tag)));
            }
        }
        entries.extend(entry);
        match read.outcome {
            Outcome::Draft => drafts += 1,
            Outcome::Invalid(found) => {
                invalid = true;
                problems.extend(found.into_iter().map(|p| p.in_file(&path)));
            }
            Outcome::Note(note, warnings) => {
                problems.extend(warnings.into_iter().map(|p| p.in_file(&path)));
                notes.push(*note);
            }
        }
    }
    let changed = parsed > 0 || invalid || file_count != cache.len();
    problems.extend(collisions(&notes));
    problems.sort();
    if problems.iter().any(Problem::is_error) {
        return Assembled {
            site: None,
            problems,
            entries,
            parsed,
            changed,
            touched,
            events,
            spool_error,
        };
    }
    sort_notes(&mut notes);
    Assembled {
        site: Some(Site {
            config: config.clone(),
            now,
            notes,
            drafts,
        }),
        problems,
        entries,
        parsed,
        changed,
        touched,
        events,
        spool_error,
    }
}

type Spooled = std::io::Result<Vec<EventRef>>;

/// Renders a note's events into `spool`, then lets go of the slots'
/// descriptions: they are in the events now, and nothing else shows them.
fn spool_note(config: &SiteConfig, note: &mut Note, spool: &SpoolWriter) -> Spooled {
    let events = ics::spool_events(config, note, spool)?;
    for slot in &mut note.slots {
        slot.description = String::new();
    }
    Ok(events)
}

/// One note as this run got it.
struct Read {
    /// What to cache for the next run (nothing for an invalid note).
    keep: Option<(Entry, Stored)>,
    outcome: Outcome,
    /// Read and parsed, rather than taken from the cache.
    parsed: bool,
}

/// One note's outcome: from the cache when its size and mtime (or, failing
/// that, its bytes) are unchanged, else read and parsed.
fn outcome(config: &SiteConfig, file: &NoteFile, cache: &Cache) -> Read {
    let indexed = cache.entry(&file.relative);
    let cached = |entry: Entry| {
        let stored = cache.outcome(&file.relative)?;
        let outcome = from_cache(&stored, file)?;
        Some(Read {
            keep: Some((entry, stored)),
            outcome,
            parsed: false,
        })
    };
    if let Some(entry) = indexed.filter(|e| e.size == file.size && e.modified == file.modified)
        && let Some(read) = cached(entry.clone())
    {
        return read;
    }
    let bytes = match read(&file.path, config.max_note_bytes) {
        Ok(bytes) => bytes,
        Err(message) => {
            return Read {
                keep: None,
                outcome: Outcome::Invalid(vec![LineProblem::error(1, message)]),
                parsed: true,
            };
        }
    };
    let hash = digest::fnv1a(&bytes);
    if let Some(entry) = indexed.filter(|e| e.hash == hash)
        && let Some(read) = cached(Entry {
            size: file.size,
            modified: file.modified,
            ..entry.clone()
        })
    {
        return read;
    }
    let outcome = match source::decode(&bytes) {
        Err(problem) => Outcome::Invalid(vec![problem]),
        Ok(text) => note::parse(&file.path, &file.relative, &text, config),
    };
    let (tags, feed) = match &outcome {
        Outcome::Note(note, _) => (
            note.tags
                .iter()
                .map(|tag| render::tag_folder(tag))
                .collect(),
            Some(FeedKey::of(note)),
        ),
        _ => (Vec::new(), None),
    };
    let keep = Cached::store(&outcome).map(|stored| {
        let entry = Entry {
            relative: file.relative.clone(),
            size: file.size,
            modified: file.modified,
            hash,
            feed,
            tags,
            notes_at: None, // where the next run's notes file puts it
        };
        (entry, stored)
    });
    Read {
        keep,
        outcome,
        parsed: true,
    }
}

fn from_cache(stored: &Stored, file: &NoteFile) -> Option<Outcome> {
    Some(match Cached::load(stored)? {
        Cached::Draft => Outcome::Draft,
        Cached::Note(mut note, warnings) => {
            note.path = file.path.clone(); // the content folder may be named differently
            Outcome::Note(note, warnings)
        }
    })
}

/// A hash of which notes the feeds show at `site.now`: with no note changed,
/// only this can change the output.
pub fn visibility(site: &Site) -> u64 {
    let keys: Vec<FeedKey> = site.notes.iter().map(FeedKey::of).collect();
    cache::visibility(keys.iter(), site.now)
}

/// Reads a note, refusing one over `limit` bytes before reading it.
fn read(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read the note: {e}"))?;
    if metadata.is_dir() {
        return Err("a folder named like a note; rename it or move its notes".into());
    }
    if metadata.len() > limit {
        return Err(format!(
            "the note is {} bytes, over max_note_bytes ({limit}); split it or raise the limit",
            metadata.len()
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read the note: {e}"))
}

/// Renders the content HTML of the notes in `needed` (source paths): the
/// entries of the feeds this run writes. Each is read again; one that
/// cannot be (removed or broken since it was parsed) is an error, and the
/// run publishes nothing. One edited meanwhile gives its new body, and the
/// next run, seeing its new mtime, parses it all again.
pub fn fill_content(
    site: &mut Site,
    needed: &HashSet<PathBuf>,
    config: &SiteConfig,
) -> Vec<Problem> {
    site.notes
        .par_iter_mut()
        .filter(|note| needed.contains(&note.path))
        .filter_map(|note| {
            let text = read(&note.path, config.max_note_bytes)
                .and_then(|bytes| source::decode(&bytes).map_err(|problem| problem.message));
            let html = text.and_then(|text| {
                note::content_html(&text, &note.permalink).map_err(|problem| problem.message)
            });
            match html {
                Ok(html) => {
                    note.content_html = html;
                    None
                }
                Err(message) => Some(
                    LineProblem::error(1, format!("changed while building: {message}"))
                        .in_file(&note.path),
                ),
            }
        })
        .collect()
}

/// Newest first; equal dates by permalink, so the order never depends on
/// the file system (STANDARDS.md, "Every output").
pub fn sort_notes(notes: &mut [Note]) {
    notes.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.permalink.as_str().cmp(b.permalink.as_str()))
    });
}

/// Two notes with one slug would share calendar UIDs and a calendar file;
/// two with one permalink or id would be one entry to feed readers.
fn collisions(notes: &[Note]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (what, key) in [
        (
            "slug",
            (|n: &Note| n.slug.to_lowercase()) as fn(&Note) -> String,
        ),
        ("permalink", |n: &Note| n.permalink.to_string()),
        ("entry id", |n: &Note| n.id.clone()),
    ] {
        let mut seen: BTreeMap<String, &Note> = BTreeMap::new();
        let mut sorted: Vec<&Note> = notes.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        for note in sorted {
            if let Some(first) = seen.get(&key(note)) {
                problems.push(Problem::error(
                    &note.path,
                    1,
                    format!(
                        "{what} `{}` is already used by {}; set a distinct `slug` or `id` in one of them",
                        key(note),
                        first.path.display()
                    ),
                ));
            } else {
                seen.insert(key(note), note);
            }
        }
    }
    problems
}
