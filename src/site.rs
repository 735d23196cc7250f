//! Notes → `Site`: every note read (in parallel), problems gathered from all
//! of them, collisions refused, and the deterministic order fixed.

use crate::config::SiteConfig;
use crate::digest;
use crate::incremental::cache::{self, Cache, Cached, Entry, FeedKey, Stored};
use crate::incremental::reach::{Before, CalendarChange, Touched, Version};
use crate::incremental::spool::SpoolWriter;
use crate::model::{Note, Site};
use crate::note::{self, Outcome};
use crate::problem::{LineProblem, Problem};
use crate::render::{self, ics, ics::EventRef};
use crate::source::{self, NoteFile};
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

/// Reads every note (or takes it from `cache` when its file is unchanged)
/// and assembles the site. Problems are sorted by file and line so the
/// report reads like a compiler's.
///
/// A build passes the `spool` that becomes the next run's notes file: each
/// note's events and cached form go there as the note is read (an
/// unchanged note's are copied from the cache, not rendered again), and the
/// slots' descriptions, which only the events carry, are not kept. A large
/// site is never held in memory with all its text.
pub fn assemble(
    config: &SiteConfig,
    files: Vec<NoteFile>,
    now: DateTime<Utc>,
    cache: &Cache,
    progress: &(dyn Fn() + Sync),
    spool: Option<&SpoolWriter>,
) -> Assembled {
    let file_count = files.len();
    let mut touched = if cache.is_empty() {
        Touched::everything()
    } else {
        Touched::default()
    };
    let present: HashSet<&str> = files.iter().map(|f| f.relative.as_str()).collect();
    for removed in cache
        .entries()
        .filter(|e| !present.contains(e.relative.as_str()))
    {
        touched.changed(before(removed, previous(cache, removed).as_ref()), None);
        if removed.events_at.is_some() {
            touched.calendars.add(None, removed.tags.iter().cloned());
        }
    }
    let relatives: Vec<String> = files.iter().map(|f| f.relative.clone()).collect();
    let outcomes: Vec<(PathBuf, Taken)> = files
        .into_par_iter()
        .map(|file| {
            let taken = take(config, &file, cache, spool);
            progress();
            (file.path, taken)
        })
        .collect();

    let mut problems = Vec::new();
    // Sized once: ten thousand notes grown one push at a time were copied
    // whole at every doubling.
    let mut notes = Vec::with_capacity(file_count);
    let mut entries = Vec::with_capacity(file_count);
    let mut drafts = 0;
    let mut parsed = 0;
    let mut invalid = false;
    let mut events = HashMap::with_capacity(file_count);
    let mut spool_error = None;
    for ((path, read), relative) in outcomes.into_iter().zip(&relatives) {
        if !read.events.is_empty() {
            events.insert(path.clone(), read.events);
        }
        if let Some(error) = read.error {
            spool_error = Some(error);
        }
        parsed += usize::from(read.parsed);
        if read.parsed {
            // Its tags before and after: a tag it left or joined changes too.
            let old_tags = cache.entry(relative).map(|old| old.tags.iter().cloned());
            let new_tags = match &read.outcome {
                Outcome::Note(note, _) => note
                    .tags
                    .iter()
                    .map(|tag| render::tag_folder(tag))
                    .collect(),
                _ => Vec::new(),
            };
            let tags = old_tags.into_iter().flatten().chain(new_tags);
            touched.calendars_changed(read.calendar_change, &path, tags);
            let now = match &read.outcome {
                Outcome::Note(note, _) => Some(&**note),
                _ => None,
            };
            touched.changed(read.before, now);
        }
        entries.extend(read.entry);
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

/// One note as this run got it.
struct Taken {
    outcome: Outcome,
    /// Its line in the next run's cache index (none for an invalid note).
    entry: Option<Entry>,
    /// Its events, their text in the spool (a build only).
    events: Vec<EventRef>,
    /// Read and parsed, rather than taken from the cache.
    parsed: bool,
    /// Read and parsed: how the calendars holding it change (see
    /// [`calendar_change`]).
    calendar_change: CalendarChange,
    /// Read and parsed: what it was in the last run.
    before: Before,
    /// Why writing to the spool failed, if it did.
    error: Option<std::io::Error>,
}

/// One note: from the cache when its size and mtime (or, failing that, its
/// bytes) are unchanged, else read and parsed.
fn take(config: &SiteConfig, file: &NoteFile, cache: &Cache, spool: Option<&SpoolWriter>) -> Taken {
    let indexed = cache.entry(&file.relative);
    if let Some(entry) = indexed.filter(|e| e.size == file.size && e.modified == file.modified)
        && let Some(taken) = from_cache(config, cache, file, entry.clone(), spool)
    {
        return taken;
    }
    let invalid = |problems| Taken {
        outcome: Outcome::Invalid(problems),
        entry: None,
        events: Vec::new(),
        parsed: true,
        calendar_change: CalendarChange::Unknown,
        before: Before::Unknown,
        error: None,
    };
    let bytes = match read(&file.path, config.max_note_bytes) {
        Ok(bytes) => bytes,
        Err(message) => return invalid(vec![LineProblem::error(1, message)]),
    };
    let hash = digest::fnv1a(&bytes);
    if let Some(entry) = indexed.filter(|e| e.hash == hash) {
        let entry = Entry {
            size: file.size,
            modified: file.modified,
            ..entry.clone()
        };
        if let Some(taken) = from_cache(config, cache, file, entry, spool) {
            return taken;
        }
    }
    let outcome = match source::decode(bytes) {
        Err(problem) => Outcome::Invalid(vec![problem]),
        Ok(text) => note::parse(&file.path, &file.relative, &text, config),
    };
    let mut entry = Entry {
        relative: file.relative.clone(),
        size: file.size,
        modified: file.modified,
        hash,
        feed: None,
        tags: Vec::new(),
        stored_at: None,
        events_at: None,
    };
    // Its last version, if it was a note: decoded for changed notes only.
    let previous = indexed.and_then(|old| previous(cache, old));
    let mut taken = Taken {
        outcome,
        entry: None,
        events: Vec::new(),
        parsed: true,
        // A draft now: only the calendars it was in change.
        calendar_change: if indexed.is_some_and(|old| old.events_at.is_some()) {
            CalendarChange::Events
        } else {
            CalendarChange::Nothing
        },
        before: indexed.map_or(Before::Nothing, |old| before(old, previous.as_ref())),
        error: None,
    };
    let placed = match (&mut taken.outcome, spool) {
        (Outcome::Invalid(_), _) => return taken,
        (Outcome::Draft, Some(spool)) => place(spool, &mut entry, &Cached::store_draft(), b"", &[]),
        (Outcome::Note(note, warnings), spool) => {
            entry.feed = Some(FeedKey::of(note));
            entry.tags = note
                .tags
                .iter()
                .map(|tag| render::tag_folder(tag))
                .collect();
            match spool {
                Some(spool) => {
                    let (text, events) = ics::render_events(config, note);
                    taken.calendar_change = calendar_change(
                        config,
                        cache,
                        indexed,
                        previous.as_ref(),
                        note,
                        text.as_bytes(),
                        &events,
                    );
                    // The slots' texts are in the events now, and nothing
                    // else in a build shows them; what is kept of a slot
                    // (id, line, times) decides calendars and time zones.
                    // Half the size of the cache, decoded note by note on
                    // every edit run.
                    for slot in &mut note.slots {
                        slot.title = String::new();
                        slot.speaker = None;
                        slot.description = String::new();
                    }
                    let stored = Cached::store_note(note, warnings, &events);
                    place(spool, &mut entry, &stored, text.as_bytes(), &events)
                }
                None => Ok(Vec::new()),
            }
        }
        (Outcome::Draft, None) => Ok(Vec::new()),
    };
    match placed {
        Ok(events) => taken.events = events,
        Err(error) => taken.error = Some(error),
    }
    taken.entry = Some(entry);
    taken
}

/// How a note read anew changes the calendars that hold it: not at all if
/// its events are exactly what the last run wrote (text, times, UIDs), in
/// calendars of the same tags; only its own calendar's name if just its
/// title changed. A note edited outside its agenda then leaves the site's
/// calendar (every slot of a large site) unread and unwritten. Only the
/// notes read anew are compared, each with its own last version in the
/// cache.
fn calendar_change(
    config: &SiteConfig,
    cache: &Cache,
    old: Option<&Entry>,
    previous: Option<&Previous>,
    note: &Note,
    text: &[u8],
    events: &[EventRef],
) -> CalendarChange {
    let Some(old) = old.filter(|old| old.events_at.is_some()) else {
        return if events.is_empty() {
            CalendarChange::Nothing
        } else {
            CalendarChange::Events
        };
    };
    let Some((old_note, lengths)) = previous else {
        return CalendarChange::Unknown;
    };
    let same_events = old_note.slug == note.slug
        && old_note.tags == note.tags
        && ics::events_of(config, old_note, lengths).as_deref() == Some(events)
        && cache.events(&old.relative).as_deref() == Some(text);
    if !same_events {
        CalendarChange::Events
    } else if old_note.title != note.title {
        CalendarChange::Name
    } else {
        CalendarChange::Nothing
    }
}

/// A note's last version, as the cache keeps it, and its events' lengths.
type Previous = (Box<Note>, Vec<u64>);

/// The last version of the note `old` indexes: `None` for a draft, or if
/// the cache cannot give it.
fn previous(cache: &Cache, old: &Entry) -> Option<Previous> {
    old.feed.as_ref()?;
    match Cached::load(&cache.outcome(&old.relative)?)? {
        Cached::Note(note, _, lengths) => Some((note, lengths)),
        Cached::Draft => None,
    }
}

/// What the note `old` indexes was in feeds, given its `previous` version.
fn before(old: &Entry, previous: Option<&Previous>) -> Before {
    match (&old.feed, previous) {
        (None, _) => Before::Nothing,
        (Some(_), Some((note, _))) => Before::Note(Version::of(note)),
        (Some(_), None) => Before::Unknown,
    }
}

/// A note as the cache keeps it, with `entry` its line in the index; `None`
/// if the cache cannot give it whole, and the note is read anew.
fn from_cache(
    config: &SiteConfig,
    cache: &Cache,
    file: &NoteFile,
    mut entry: Entry,
    spool: Option<&SpoolWriter>,
) -> Option<Taken> {
    let stored = cache.outcome(&file.relative)?;
    let (outcome, events) = match Cached::load(&stored)? {
        Cached::Draft => (Outcome::Draft, Vec::new()),
        Cached::Note(mut note, warnings, lengths) => {
            let events = ics::events_of(config, &note, &lengths)?;
            note.path = file.path.clone();
            (Outcome::Note(note, warnings), events)
        }
    };
    // The events fill the note's block of events, no more, no less.
    let filled = events
        .iter()
        .try_fold(0u64, |sum, event| sum.checked_add(event.text.len));
    if filled != Some(entry.events_at.map_or(0, |block| block.len)) {
        return None;
    }
    let mut taken = Taken {
        outcome,
        entry: None,
        events: Vec::new(),
        parsed: false,
        calendar_change: CalendarChange::Nothing,
        before: Before::Nothing,
        error: None,
    };
    match spool {
        // The spool is the file the cache read from: the note's events and
        // stored form stay where the entry says, and are not read here (an
        // edit run that changes no calendar never reads them).
        Some(spool) if spool.continues_file() => {
            if let Some(block) = entry.events_at {
                taken.events = EventRef::all_within(&events, block.offset);
            }
        }
        Some(spool) => {
            let block = cache.events(&file.relative)?;
            // Copied, not parsed: each event must at least be where it was put.
            let whole = events.iter().all(|event| {
                usize::try_from(event.text.offset)
                    .ok()
                    .zip(usize::try_from(event.text.len).ok())
                    .and_then(|(at, len)| block.get(at..at.checked_add(len)?))
                    .is_some_and(|text| {
                        text.starts_with(b"BEGIN:VEVENT\r\n") && text.ends_with(b"END:VEVENT\r\n")
                    })
            });
            if !whole {
                return None;
            }
            match place(spool, &mut entry, &stored, &block, &events) {
                Ok(placed) => taken.events = placed,
                Err(error) => taken.error = Some(error),
            }
        }
        None => {}
    }
    taken.entry = Some(entry);
    Some(taken)
}

/// Appends a note's events and stored form to `spool`, noting where in
/// `entry`; returns the events placed there.
fn place(
    spool: &SpoolWriter,
    entry: &mut Entry,
    stored: &Stored,
    events_text: &[u8],
    events: &[EventRef],
) -> std::io::Result<Vec<EventRef>> {
    entry.events_at = None;
    let mut placed = Vec::new();
    if !events_text.is_empty() {
        let block = spool.append(events_text)?;
        entry.events_at = Some(block);
        placed = EventRef::all_within(events, block.offset);
    }
    entry.stored_at = Some(spool.append(stored.as_bytes())?);
    Ok(placed)
}

/// A hash of which notes the feeds show at `site.now`: with no note changed,
/// only this can change the output.
pub fn visibility(site: &Site) -> u64 {
    let keys: Vec<FeedKey> = site.notes.iter().map(FeedKey::of).collect();
    cache::visibility(keys.iter(), site.now)
}

/// Reads a note, refusing one over `limit` bytes before reading it (and
/// one that grows past it while being read).
fn read(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("cannot read the note: {e}");
    let file = std::fs::File::open(path).map_err(cannot)?;
    let metadata = file.metadata().map_err(cannot)?;
    if metadata.is_dir() {
        return Err("a folder named like a note; rename it or move its notes".into());
    }
    let too_big = |len: u64| {
        format!(
            "the note is {len} bytes, over max_note_bytes ({limit}); split it or raise the limit"
        )
    };
    if metadata.len() > limit {
        return Err(too_big(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
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
                .and_then(|bytes| source::decode(bytes).map_err(|problem| problem.message));
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
