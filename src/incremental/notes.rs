//! Each note of a run: from the cache when its file is unchanged, else
//! read and parsed, its events rendered into the next cache's notes file
//! as it goes; and what each change reaches.

use super::cache::{self, Cache, Cached, Entry, FeedKey, Stored};
use super::reach::{Before, CalendarChange, Touched, Version};
use super::spool::{self, SpoolWriter};
use crate::config::SiteConfig;
use crate::digest;
use crate::ledger::{self, Kept, Ledger};
use crate::model::{Note, Site};
use crate::note::{self, Outcome};
use crate::problem::LineProblem;
use crate::render::{self, Events, ics, ics::EventRef};
use crate::source::{self, NoteFile};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::PathBuf;

/// The notes of one run, and what the next run needs to know of them.
pub struct Read {
    /// Each note file's path and what it gave, in the files' order.
    pub outcomes: Vec<(PathBuf, Outcome)>,
    /// Cache entries for the next run (their notes went to the notes writer).
    pub entries: Vec<Entry>,
    /// Whether anything differs from the cache: a note added, removed,
    /// changed, or invalid.
    pub changed: bool,
    /// The notes read and parsed anew.
    pub parsed: Vec<PathBuf>,
    /// The hash of each note's bytes, by source path.
    pub hashes: std::collections::HashMap<PathBuf, u64>,
    /// What the changes touch, to render only the files that depend on them.
    pub touched: Touched,
    /// Each note's events, their text in the spool.
    pub events: Events,
    /// Why writing to the spool failed, if it did.
    pub spool_error: Option<std::io::Error>,
    /// What the ledger keeps of each note read anew, by slug.
    pub kept: Vec<(String, Kept)>,
}

/// What a note read anew is set beside: the output folder's ledger, and
/// the moment of this run; and which files the output folder holds (by
/// path under it), for what a note taken from the cache must give.
#[derive(Clone, Copy)]
pub struct Published<'a> {
    pub ledger: &'a Ledger,
    pub now: chrono::DateTime<chrono::Utc>,
    pub present: &'a HashSet<String>,
}

/// Reads every note of `files`, in parallel, or takes it from `cache`, and
/// appends each note's events and cached form to `spool` (an unchanged
/// note's are copied from the cache, not rendered again). The slots' texts,
/// which only the events carry, are not kept: a large site is never held
/// in memory with all its text.
pub fn read(
    config: &SiteConfig,
    files: &[NoteFile],
    cache: &Cache,
    spool: &SpoolWriter,
    published: Published,
    progress: &(dyn Fn() + Sync),
) -> Read {
    let file_count = files.len();
    let mut touched = removals(cache, files);
    let mut read = Read {
        outcomes: Vec::with_capacity(file_count),
        entries: Vec::with_capacity(file_count),
        changed: file_count != cache.len(),
        parsed: Vec::new(),
        hashes: std::collections::HashMap::with_capacity(file_count),
        touched: Touched::default(),
        events: Events::with_capacity(file_count),
        spool_error: None,
        kept: Vec::new(),
    };
    // Read in parallel a share at a time, then placed in the spool in the
    // files' order: identical runs write identical cache files, and what
    // waits to be placed is one share's events, not the site's.
    for share in files.chunks(SHARE) {
        let taken: Vec<Taken> = share
            .par_iter()
            .map(|file| {
                let taken = take(config, file, cache, spool, published);
                progress();
                taken
            })
            .collect();
        for (file, mut taken) in share.iter().zip(taken) {
            if let Some(pending) = taken.pending.take()
                && let Some(entry) = taken.entry.as_mut()
            {
                let keep =
                    spool.continues_file() || keeps_events(config, published, &pending.events);
                match place(spool, entry, &pending, keep) {
                    Ok(events) => taken.events = events,
                    Err(error) => read.spool_error = Some(error),
                }
            }
            if taken.parsed {
                read.changed = true;
                read.parsed.push(file.path.clone());
                record_change(&mut touched, cache, &file.relative, &file.path, &taken);
            }
            if !taken.events.is_empty() {
                read.events.insert(file.path.clone(), taken.events);
            }
            if let Some(entry) = &taken.entry {
                read.hashes.insert(file.path.clone(), entry.hash);
            }
            read.kept.extend(taken.kept.take());
            read.entries.extend(taken.entry);
            read.outcomes.push((file.path.clone(), taken.outcome));
        }
    }
    read.touched = touched;
    read
}

/// What the notes the cache has and `files` lacks reach; everything if
/// there is no cache.
fn removals(cache: &Cache, files: &[NoteFile]) -> Touched {
    if cache.is_empty() {
        return Touched::everything();
    }
    let mut touched = Touched::default();
    let present: HashSet<&str> = files.iter().map(|f| f.relative.as_str()).collect();
    for removed in cache
        .entries()
        .filter(|e| !present.contains(e.relative.as_str()))
    {
        touched.changed(before(removed, previous(cache, removed).as_ref()), None);
        if removed.has_events() {
            touched.calendars.add(None, removed.tags.iter().cloned());
        }
    }
    touched
}

/// What the note at `path`, read anew, reaches: its calendars (its tags
/// before and after: a tag it left or joined changes too) and its feeds.
fn record_change(
    touched: &mut Touched,
    cache: &Cache,
    relative: &str,
    path: &PathBuf,
    taken: &Taken,
) {
    let old_tags = cache.entry(relative).map(|old| old.tags.iter().cloned());
    let now = match &taken.outcome {
        Outcome::Note(note, _) | Outcome::Kept(note, _) => Some(&**note),
        _ => None,
    };
    let new_tags = now.into_iter().flat_map(Note::tag_folders);
    let tags = old_tags.into_iter().flatten().chain(new_tags);
    touched.calendars_changed(taken.calendar_change, path, tags);
    touched.changed(taken.before.clone(), now);
}

/// How many notes are read in parallel before their events are placed.
const SHARE: usize = 512;

/// What a note puts in the spool: its events' text, each event's place
/// in it, and its stored form.
struct Pending {
    text: Vec<u8>,
    events: Vec<EventRef>,
    stored: Stored,
}

/// One note as this run got it.
struct Taken {
    outcome: Outcome,
    /// Its line in the next run's cache index (none for an invalid note).
    entry: Option<Entry>,
    /// Its events, their text in the spool.
    events: Vec<EventRef>,
    /// What it still has to put in the spool.
    pending: Option<Pending>,
    /// Read and parsed, rather than taken from the cache.
    parsed: bool,
    /// Read and parsed: how the calendars holding it change (see
    /// [`calendar_change`]).
    calendar_change: CalendarChange,
    /// Read and parsed: what it was in the last run.
    before: Before,
    /// Read and parsed: what the ledger keeps of it, with its slug.
    kept: Option<(String, Kept)>,
}

/// One note: from the cache when its size and mtime (or, failing that, its
/// bytes) are unchanged, else read and parsed.
fn take(
    config: &SiteConfig,
    file: &NoteFile,
    cache: &Cache,
    spool: &SpoolWriter,
    published: Published,
) -> Taken {
    let indexed = cache.entry(&file.relative);
    let same_stat =
        |e: &&Entry| e.size == file.size && e.modified == file.modified && cache.trusts_stat(e);
    if let Some(entry) = indexed.filter(same_stat)
        && let Some(taken) = from_cache(config, cache, file, entry.clone(), (spool, published))
    {
        return taken;
    }
    let _held = source::budget::hold(file.size);
    let bytes = match source::read(&file.path, config.max_note_bytes) {
        Ok(bytes) => bytes,
        Err(message) => {
            let problems = vec![LineProblem::error(1, message)];
            return kept(config, cache, file, indexed, (spool, published), problems);
        }
    };
    let hash = digest::fnv1a(&bytes);
    if let Some(entry) = indexed.filter(|e| e.hash == hash) {
        let entry = Entry {
            size: file.size,
            modified: file.modified,
            ..entry.clone()
        };
        if let Some(taken) = from_cache(config, cache, file, entry, (spool, published)) {
            return taken;
        }
    }
    let outcome = match source::decode(bytes) {
        Err(problem) => Outcome::Invalid(vec![problem]),
        Ok(text) => note::parse(&file.path, &file.relative, &text, config),
    };
    let outcome = match outcome {
        Outcome::Invalid(problems) => {
            return kept(config, cache, file, indexed, (spool, published), problems);
        }
        outcome => outcome,
    };
    let entry = Entry {
        relative: file.relative.clone(),
        size: file.size,
        modified: file.modified,
        hash,
        feed: None,
        tags: Vec::new(),
        stored_at: None,
        stored_sum: 0,
        events_at: None,
        events_sum: 0,
        events_len: 0,
    };
    parsed(config, cache, indexed, outcome, entry, published)
}

/// A note invalid now (`problems`): its last version, as the cache has
/// it, if it was a note in the last run, else nothing. The cache's entry
/// stays as it was, so every run reads the file again and says what is
/// wrong with it until it is fixed.
fn kept(
    config: &SiteConfig,
    cache: &Cache,
    file: &NoteFile,
    indexed: Option<&Entry>,
    into: (&SpoolWriter, Published),
    problems: Vec<LineProblem>,
) -> Taken {
    let last = indexed
        .filter(|entry| entry.feed.is_some())
        .and_then(|entry| from_cache(config, cache, file, entry.clone(), into));
    match last {
        Some(mut taken) => {
            taken.outcome = match std::mem::replace(&mut taken.outcome, Outcome::Draft) {
                Outcome::Note(note, _) => Outcome::Kept(note, problems),
                _ => return Taken::invalid(problems),
            };
            taken
        }
        None => Taken::invalid(problems),
    }
}

impl Taken {
    /// A note that cannot be read or parsed: it may have been anywhere.
    fn invalid(problems: Vec<LineProblem>) -> Self {
        Taken {
            outcome: Outcome::Invalid(problems),
            entry: None,
            events: Vec::new(),
            parsed: true,
            calendar_change: CalendarChange::Unknown,
            before: Before::Unknown,
            pending: None,
            kept: None,
        }
    }
}

/// A note read and parsed this run (`indexed` its last run's entry): its
/// events rendered and spooled with its cached form, and compared with its
/// last version.
fn parsed(
    config: &SiteConfig,
    cache: &Cache,
    indexed: Option<&Entry>,
    outcome: Outcome,
    mut entry: Entry,
    published: Published,
) -> Taken {
    // Its last version, if it was a note: decoded for changed notes only.
    let previous = indexed.and_then(|old| previous(cache, old));
    let mut taken = Taken {
        outcome,
        entry: None,
        events: Vec::new(),
        parsed: true,
        // A draft now: only the calendars it was in change.
        calendar_change: if indexed.is_some_and(Entry::has_events) {
            CalendarChange::Events
        } else {
            CalendarChange::Nothing
        },
        before: indexed.map_or(Before::Nothing, |old| before(old, previous.as_ref())),
        pending: None,
        kept: None,
    };
    taken.pending = match &mut taken.outcome {
        Outcome::Invalid(_) | Outcome::Kept(..) => return taken,
        Outcome::Draft => Some(Pending {
            text: Vec::new(),
            events: Vec::new(),
            stored: Cached::store_draft(),
        }),
        Outcome::Note(note, warnings) => {
            // Published ids and revisions first: they are in its events
            // and its feed key.
            let ledger = published.ledger;
            let url_id = ledger.url_id(note.permalink.as_str());
            let before = ledger.note(&note.slug);
            let kept = ledger::reconcile(config, note, before, url_id, published.now);
            taken.kept = Some((note.slug.clone(), kept));
            entry.feed = Some(FeedKey::of(note));
            entry.tags = note.tag_folders().collect();
            let Some((text, events)) = ics::render_events(config, note) else {
                // Cannot be: a note just parsed has its slots' texts.
                return Taken::invalid(vec![LineProblem::error(1, "a slot without its text")]);
            };
            taken.calendar_change = calendar_change(
                config,
                cache,
                indexed,
                previous.as_ref(),
                note,
                text.as_bytes(),
                &events,
            );
            // The slots' texts are in the events now, and nothing else in
            // a build shows them; what is kept of a slot (id, line, times)
            // decides calendars and time zones. The texts would be most of
            // the cache, which an edit run decodes note by note.
            for slot in &mut note.slots {
                slot.text = None;
            }
            let stored = Cached::store_note(note, warnings, &events);
            Some(Pending {
                text: text.into_bytes(),
                events,
                stored,
            })
        }
    };
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
    let Some(old) = old.filter(|old| old.has_events()) else {
        return if events.is_empty() {
            CalendarChange::Nothing
        } else {
            CalendarChange::Events
        };
    };
    let Some((old_note, lengths)) = previous else {
        return CalendarChange::Unknown;
    };
    // The text itself where the cache kept it, else its length and checksum.
    let same_text = match old.events_at {
        Some(_) => cache.events(&old.relative).as_deref() == Some(text),
        None => old.events_len == text.len() as u64 && old.events_sum == digest::checksum(text),
    };
    let same_events = old_note.slug == note.slug
        && old_note.tags == note.tags
        && ics::events_of(config, old_note, lengths).as_deref() == Some(events)
        && same_text;
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
/// if the cache cannot give it whole, or lacks its events' text where this
/// run may copy it, and the note is read anew.
fn from_cache(
    config: &SiteConfig,
    cache: &Cache,
    file: &NoteFile,
    entry: Entry,
    (spool, published): (&SpoolWriter, Published),
) -> Option<Taken> {
    let stored = cache.outcome(&file.relative)?;
    let (outcome, events) = match Cached::load(&stored)? {
        Cached::Draft => (Outcome::Draft, Vec::new()),
        Cached::Note(mut note, warnings, lengths) => {
            let events = ics::events_of(config, &note, &lengths)?;
            // Its events' text left the cache with the window: back in it
            // (an earlier "now"), or its own calendar to be written again
            // (deleted by hand), the note is read anew.
            let own = render::note_calendar(&note.slug);
            if entry.events_at.is_none()
                && !events.is_empty()
                && (keeps_events(config, published, &events) || !published.present.contains(&own))
            {
                return None;
            }
            note.path = file.path.clone();
            (Outcome::Note(note, warnings), events)
        }
    };
    // The events fill the note's block of events, no more, no less.
    let filled = events
        .iter()
        .try_fold(0u64, |sum, event| sum.checked_add(event.text.len));
    if filled != Some(entry.events_len)
        || entry.events_at.is_some_and(|b| b.len != entry.events_len)
    {
        return None;
    }
    let mut taken = Taken {
        outcome,
        entry: None,
        events: Vec::new(),
        parsed: false,
        calendar_change: CalendarChange::Nothing,
        before: Before::Nothing,
        pending: None,
        kept: None,
    };
    if spool.continues_file() {
        // The spool is the file the cache read from: the note's events and
        // stored form stay where the entry says, and are not read here (an
        // edit run that changes no calendar never reads them).
        taken.events = match entry.events_at {
            Some(block) => EventRef::all_within(&events, block.offset),
            None => spool::unkept(&events),
        };
    } else {
        let block = match entry.events_at {
            Some(_) => cache.events(&file.relative)?,
            None => Vec::new(),
        };
        if !block.is_empty() && !all_whole(&events, &block) {
            return None;
        }
        taken.pending = Some(Pending {
            text: block,
            events,
            stored,
        });
    }
    taken.entry = Some(entry);
    Some(taken)
}

/// Whether each of `events` is where it was put in `block`: copied, not
/// parsed, each must at least begin and end as an event does.
fn all_whole(events: &[EventRef], block: &[u8]) -> bool {
    events.iter().all(|event| {
        usize::try_from(event.text.offset)
            .ok()
            .zip(usize::try_from(event.text.len).ok())
            .and_then(|(at, len)| block.get(at..at.checked_add(len)?))
            .is_some_and(|text| {
                text.starts_with(b"BEGIN:VEVENT\r\n") && text.ends_with(b"END:VEVENT\r\n")
            })
    })
}

/// Whether the next run may copy the text of a note's `events` into a
/// calendar: the archive holds every event, the subscribed calendars those
/// from their window's start on, which only moves forward with "now".
fn keeps_events(config: &SiteConfig, published: Published, events: &[EventRef]) -> bool {
    let window = &config.window;
    let cutoff = render::window::cutoff(window, published.now);
    window.archive || events.iter().any(|event| event.start >= cutoff)
}

/// Appends a note's events (to the notes file if `keep`, else for this
/// run only) and its stored form to `spool`, noting where and their
/// checksums in `entry`; returns the events placed there. A note whose
/// text the last run did not keep has none pending: its events stay
/// unkept.
fn place(
    spool: &SpoolWriter,
    entry: &mut Entry,
    pending: &Pending,
    keep: bool,
) -> std::io::Result<Vec<EventRef>> {
    entry.events_at = None;
    let mut placed = spool::unkept(&pending.events);
    if !pending.text.is_empty() {
        let block = match keep {
            true => spool.append(&pending.text)?,
            false => spool.append_for_this_run(&pending.text)?,
        };
        entry.events_at = keep.then_some(block);
        entry.events_sum = digest::checksum(&pending.text);
        entry.events_len = pending.text.len() as u64;
        placed = EventRef::all_within(&pending.events, block.offset);
    }
    let stored = pending.stored.as_bytes();
    entry.stored_at = Some(spool.append(stored)?);
    entry.stored_sum = digest::checksum(stored);
    Ok(placed)
}

/// A hash of which notes the feeds show at `site.now`: with no note changed,
/// only this can change the output.
pub fn visibility(site: &Site) -> u64 {
    let keys: Vec<FeedKey> = site.notes.iter().map(FeedKey::of).collect();
    cache::visibility(keys.iter(), site.now)
}
