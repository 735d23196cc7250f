//! What makes a rerun cheap, behind one door: the last run's memory (the
//! cache), the spool each note's events are rendered into once, and which
//! published files a run's changes reach. The stages do not know this
//! wing exists; it calls them. A build asks it, in order:
//! [`Memory::open`], [`Memory::unchanged`], [`Memory::read`],
//! [`Reading::seal`], [`Memory::forget`], [`Memory::save`].

mod cache;
mod html;
mod notes;
mod reach;
mod spool;

pub use cache::Unchanged;
pub use html::HtmlCache;
pub use notes::Published;
pub use reach::Touched;
pub use spool::Spool;

use crate::config::SiteConfig;
use crate::digest;
use crate::model::Site;
use crate::note::Outcome;
use crate::render::Events;
use crate::source::NoteFile;
use anyhow::{Context, Result};
use cache::{Cache, Entry};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// The last run's memory of a site, in the cache folder `dir`.
pub struct Memory {
    cache: Cache,
    key: u64,
    dir: PathBuf,
}

impl Memory {
    /// The cache in `dir`, trusted only for the same config (`config_hash`),
    /// the same content folder, the same output folder (what the cache says
    /// was published is only true of the folder it was published to) and
    /// the same build of almanac (a rebuilt binary may parse or render
    /// differently).
    pub fn open(dir: &Path, config_hash: u64, content: &Path, out: &Path) -> Self {
        // Folders as the file system names them: a cron job's absolute
        // path and a hand run's relative one share the cache.
        let named = |path: &Path| {
            let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            digest::fnv1a(path.to_string_lossy().as_bytes())
        };
        let key =
            config_hash ^ named(content) ^ named(out).rotate_left(1) ^ cache::binary_identity();
        Self {
            cache: Cache::load(dir, key),
            key,
            dir: dir.to_path_buf(),
        }
    }

    /// Forgets the cache in `dir` and starts from nothing: what a run does
    /// when the cache proved damaged.
    pub fn forgotten(self) -> Result<Self> {
        self.forget()?;
        Ok(Self {
            cache: Cache::default(),
            ..self
        })
    }

    /// Whether the notes are exactly as the last run left them, at `now`:
    /// then not one note needs reading.
    pub fn unchanged(&self, files: &[NoteFile], now: DateTime<Utc>) -> Option<Unchanged> {
        self.cache.unchanged(files, now)
    }

    /// Reads every note of `files` (or takes it from the cache), writing
    /// the next run's notes file as it goes.
    pub fn read(
        &self,
        config: &SiteConfig,
        files: &[NoteFile],
        published: Published,
        progress: &(dyn Fn() + Sync),
    ) -> Result<Reading> {
        let (writer, generation) =
            cache::notes_writer(&self.dir, &self.cache).with_context(|| self.writing())?;
        let continued = writer.continues_file();
        let read = notes::read(config, files, &self.cache, &writer, published, progress);
        Ok(Reading {
            continued,
            outcomes: read.outcomes,
            changed: read.changed,
            parsed: read.parsed,
            hashes: read.hashes,
            touched: read.touched,
            events: read.events,
            entries: read.entries,
            writer,
            generation,
            spool_error: read.spool_error,
            kept: read.kept,
        })
    }

    /// Whether `site` shows in its feeds the notes the last run's did
    /// (with no note changed, only "now" can change that), and the hash
    /// that says which.
    pub fn same_visible(&self, site: &Site) -> (bool, u64) {
        let visible = notes::visibility(site);
        (self.cache.visible() == Some(visible), visible)
    }

    /// Whether the events this run copies from the cache without reading
    /// them are as they were written: a damaged block (flipped bytes, a
    /// zeroed page) must never reach a published calendar. Read and
    /// checked only when calendars are written from a continued file
    /// (`every_calendar`: all of them are).
    pub fn events_intact(&self, sealed: &Sealed, every_calendar: bool) -> bool {
        let copied = every_calendar || sealed.touched.reaches_any_calendar();
        !sealed.continued || !copied || self.cache.events_intact()
    }

    /// Removes the index, before a run replaces published files (see
    /// [`cache::forget`]).
    pub fn forget(&self) -> Result<()> {
        cache::forget(&self.dir).with_context(|| self.writing())
    }

    /// The feed entries' content HTML the last run kept.
    pub fn html(&self) -> HtmlCache {
        HtmlCache::load(&self.dir, self.key)
    }

    /// Keeps `html` for the next run, for the notes `keep` says.
    pub fn save_html(&self, html: HtmlCache, keep: impl Fn(&Path) -> bool) -> Result<()> {
        html.save(&self.dir, keep).with_context(|| self.writing())
    }

    /// Whether the subscribed calendars hold at `now` what the last run's
    /// held (with no note changed, only "now" can change that).
    pub fn steady(&self, now: DateTime<Utc>) -> bool {
        self.cache.steady(now)
    }

    /// Keeps what this run read for the next one; `window` the span of
    /// "now" its calendars stay as they are over.
    pub fn save(&self, visible: u64, window: (i64, i64), sealed: Sealed) -> Result<()> {
        cache::save(
            &self.dir,
            self.key,
            (visible, window),
            sealed.entries,
            (sealed.spool, sealed.generation),
        )
        .with_context(|| self.writing())
    }

    /// What a failed write to the cache folder was doing, for its error.
    pub fn describe(&self) -> String {
        self.writing()
    }

    fn writing(&self) -> String {
        format!("writing the cache in {}", self.dir.display())
    }
}

/// The notes of a run, read; their events still being written.
pub struct Reading {
    /// The spool continues the cache's notes file: the events taken from it
    /// were not read (see [`Memory::events_intact`]).
    continued: bool,
    /// Each note file's path and what it gave, in the files' order.
    pub outcomes: Vec<(PathBuf, Outcome)>,
    /// Whether anything differs from the cache: a note added, removed,
    /// changed, or invalid.
    pub changed: bool,
    /// The notes read and parsed anew (the others came from the cache).
    pub parsed: Vec<PathBuf>,
    /// The hash of each note's bytes, by source path.
    pub hashes: std::collections::HashMap<PathBuf, u64>,
    /// What the changes reach.
    pub touched: Touched,
    /// Each note's events, their text in the spool.
    pub events: Events,
    entries: Vec<Entry>,
    writer: spool::SpoolWriter,
    generation: u64,
    spool_error: Option<std::io::Error>,
    /// What the ledger keeps of each note read anew, by slug.
    pub kept: Vec<(String, crate::ledger::Kept)>,
}

impl Reading {
    /// Appends an event's text that no note holds (a cancelled one) to the
    /// spool; where it is, for calendars to copy.
    pub fn append(&self, text: &[u8]) -> std::io::Result<crate::render::Span> {
        self.writer.append(text)
    }

    /// Ends writing the events: from here they can be copied into
    /// calendars.
    pub fn seal(self, memory: &Memory) -> Result<Sealed> {
        if let Some(error) = self.spool_error {
            return Err(error).with_context(|| memory.writing());
        }
        let spool = self.writer.seal().with_context(|| memory.writing())?;
        Ok(Sealed {
            continued: self.continued,
            hashes: self.hashes,
            changed: self.changed,
            touched: self.touched,
            events: self.events,
            spool,
            entries: self.entries,
            generation: self.generation,
        })
    }
}

/// The events of a run, sealed in their spool: the next run's notes file.
pub struct Sealed {
    continued: bool,
    /// The hash of each note's bytes, by source path.
    pub hashes: std::collections::HashMap<PathBuf, u64>,
    /// As [`Reading::changed`].
    pub changed: bool,
    pub touched: Touched,
    pub events: Events,
    pub spool: Spool,
    entries: Vec<Entry>,
    generation: u64,
}
