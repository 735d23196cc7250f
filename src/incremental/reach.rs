//! What a run's changes reach: which published files must be rendered
//! again, feeds and calendars apart. Files no change reaches (another
//! note's calendar, another tag's feeds, a feed whose entries the edited
//! note is not among) are as the last run wrote them, since the cache is
//! only trusted for the same config and binary.

use crate::model::{Note, Site};
use crate::render::{Format, Planned, Scope};
use chrono::{DateTime, FixedOffset};
use std::collections::HashSet;
use std::path::PathBuf;

/// The changes of one run: the notes read anew or removed, as they were
/// and as they are.
#[derive(Debug, Default)]
pub struct Touched {
    /// Every feed: no cache, another set of notes visible at "now", or a
    /// note whose last version the cache could not give.
    pub all_feeds: bool,
    /// Each changed note's place in feeds, before and after the change.
    pub versions: Vec<Version>,
    pub calendars: Reach,
}

/// Which calendars a run's changes reach.
#[derive(Debug, Default)]
pub struct Reach {
    /// Every calendar: no cache.
    pub all: bool,
    /// A reached calendar may still be as published (a note whose last
    /// version the cache could not give): each is compared before it is
    /// written. Otherwise each reached calendar differs from its published
    /// copy in an event or in its name, and is written without comparing.
    pub compare: bool,
    /// The site-wide calendar.
    pub site: bool,
    /// Source paths of the notes whose own calendars change.
    pub notes: HashSet<PathBuf>,
    /// Tag folders whose calendars change.
    pub tags: HashSet<String>,
    /// The subscribed calendars, the site's and the tags': "now" moved
    /// their window. Each is compared before it is written: a tag's may
    /// have lost no event.
    pub windowed: bool,
}

impl Reach {
    /// Reaches the site's calendar, those of `tags` and that of `note` (a
    /// removed note has none left).
    pub fn add(&mut self, note: Option<&PathBuf>, tags: impl IntoIterator<Item = String>) {
        self.site = true;
        self.notes.extend(note.cloned());
        self.tags.extend(tags);
    }
}

/// How a note read anew changes the calendars that hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarChange {
    /// They are as the last run wrote them.
    Nothing,
    /// Only the name of its own calendar (its title).
    Name,
    /// Its events: its own calendar, the site's and its tags' (before and
    /// after) differ from what the last run wrote.
    Events,
    /// It had events, and the cache could not give them back.
    Unknown,
}

/// A note's place in feeds: where it sorts, and in which tags' feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    date: DateTime<FixedOffset>,
    permalink: String,
    /// Tag folders.
    tags: Vec<String>,
}

impl Version {
    pub fn of(note: &Note) -> Self {
        Self {
            date: note.date,
            permalink: note.permalink.to_string(),
            tags: note.tag_folders().collect(),
        }
    }
}

/// What a note read anew or removed was in the last run.
#[derive(Debug, Clone)]
pub enum Before {
    /// Nothing feeds showed: a new file, or a draft.
    Nothing,
    Note(Version),
    /// A note the cache could not give back: it may have been anywhere.
    Unknown,
}

impl Touched {
    /// A run with no cache: every file is rendered.
    pub fn everything() -> Self {
        Self {
            all_feeds: true,
            calendars: Reach {
                all: true,
                ..Reach::default()
            },
            ..Self::default()
        }
    }

    /// A note read anew (`now` is `None` for one that is a draft now) or
    /// removed (`now` is `None` too).
    pub fn changed(&mut self, before: Before, now: Option<&Note>) {
        match before {
            Before::Nothing => {}
            Before::Note(version) => self.versions.push(version),
            Before::Unknown => self.all_feeds = true,
        }
        self.versions.extend(now.map(Version::of));
    }

    /// Records how the note at `path`, tagged `tags` before and after,
    /// changes its calendars.
    pub fn calendars_changed(
        &mut self,
        change: CalendarChange,
        path: &PathBuf,
        tags: impl IntoIterator<Item = String>,
    ) {
        match change {
            CalendarChange::Nothing => {}
            CalendarChange::Name => {
                self.calendars.notes.insert(path.clone());
            }
            CalendarChange::Events => self.calendars.add(Some(path), tags),
            CalendarChange::Unknown => {
                self.calendars.add(Some(path), tags);
                self.calendars.compare = true;
            }
        }
    }

    /// Whether this run's changes reach any calendar.
    pub fn reaches_any_calendar(&self) -> bool {
        let reach = &self.calendars;
        reach.all
            || reach.site
            || reach.windowed
            || !reach.notes.is_empty()
            || !reach.tags.is_empty()
    }

    /// Whether `planned`, if this run's changes reach it, is known to
    /// differ from the published copy: a reached calendar is, unless every
    /// file is rendered or a changed note's last version was unreadable.
    /// It is then written without being compared.
    pub fn differs_when_reached(&self, planned: &Planned) -> bool {
        let reach = &self.calendars;
        planned.format == Format::Calendar
            && !reach.all
            && !reach.compare
            && (!reach.windowed || !planned.windowed())
    }

    /// Whether `planned` must be rendered again.
    pub fn reaches(&self, site: &Site, planned: &Planned) -> bool {
        match planned.format {
            Format::Calendar => self.reaches_calendar(planned),
            Format::Atom | Format::Rss | Format::JsonFeed => self.reaches_feed(site, planned),
            // The page lists what is upcoming at "now": rendered on every
            // run, and written only when its bytes change.
            Format::Page => true,
        }
    }

    /// A note's calendar depends on that note only, a tag's on the notes
    /// with that tag.
    fn reaches_calendar(&self, planned: &Planned) -> bool {
        let reach = &self.calendars;
        reach.all
            || (reach.windowed && planned.windowed())
            || match &planned.selection.scope {
                // A generator's list holds notes of any tag: reached as
                // the site's is.
                Scope::Site | Scope::List { .. } => reach.site,
                Scope::Note(note) => reach.notes.contains(&note.path),
                Scope::Tag(folder) => reach.tags.contains(folder),
            }
    }

    /// A feed shows its newest `feed_limit` visible notes, and its title
    /// and `updated` come from its newest notes: a version of a note that
    /// sorts after its last entry, before and after the change, changes
    /// nothing in it (the same notes are its entries either way). A feed
    /// with room for more entries is reached by any change of its notes.
    fn reaches_feed(&self, site: &Site, planned: &Planned) -> bool {
        if self.all_feeds {
            return true;
        }
        let tag = match &planned.selection.scope {
            Scope::Tag(folder) => Some(folder.as_str()),
            Scope::Site | Scope::Note(_) | Scope::List { .. } => None,
        };
        let entries = planned.selection.entries(site);
        let full = site.config.feed_limit != 0 && entries.len() >= site.config.feed_limit;
        let last = entries
            .last()
            .filter(|_| full)
            .map(|note| Version::of(note));
        self.versions
            .iter()
            .filter(|version| tag.is_none_or(|tag| version.tags.iter().any(|t| t == tag)))
            .any(|version| last.as_ref().is_none_or(|last| sorts_before(version, last)))
    }
}

/// Whether `a` sorts before `b` (or is it) in feeds: newest first, equal
/// dates by permalink (as [`crate::site::feed_order`] orders notes).
fn sorts_before(a: &Version, b: &Version) -> bool {
    (b.date, a.permalink.as_str()) <= (a.date, b.permalink.as_str())
}
