//! Notes → `Site`: every note's problems gathered, collisions refused,
//! and the deterministic order fixed. Pure: the notes come read.

use crate::config::SiteConfig;
use crate::model::{Note, Site};
use crate::note::Outcome;
use crate::problem::Problem;
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::path::PathBuf;

/// The site, or every error found; warnings ride along either way.
pub struct Assembled {
    pub site: Option<Site>,
    pub problems: Vec<Problem>,
    /// Errors a `keep_going` site was assembled past (its invalid notes
    /// left out).
    pub passed: usize,
}

/// The site of the notes read (each with its file's path), or every error
/// found in them and in `listed` (what listing the content folder found).
/// Problems are sorted by file and line so the report reads like a
/// compiler's. With `keep_going`, the valid notes make the site and only a
/// collision between two of them stops it (docs/cron.md, "Keep going").
pub fn assemble(
    config: &SiteConfig,
    now: DateTime<Utc>,
    outcomes: Vec<(PathBuf, Outcome)>,
    listed: Vec<Problem>,
    keep_going: bool,
) -> Assembled {
    let mut problems = listed;
    // Sized once: ten thousand notes grown one push at a time were copied
    // whole at every doubling.
    let mut notes = Vec::with_capacity(outcomes.len());
    let mut drafts = 0;
    for (path, outcome) in outcomes {
        match outcome {
            Outcome::Draft => drafts += 1,
            Outcome::Invalid(found) => {
                problems.extend(found.into_iter().map(|p| p.in_file(&path)));
            }
            Outcome::Kept(note, found) => {
                problems.extend(found.into_iter().map(|p| p.in_file(&path)));
                if keep_going {
                    // A note that became invalid keeps what subscribers
                    // have, rather than leaving their feeds and calendars
                    // (docs/cron.md, "Keep going").
                    problems.push(Problem::warning(
                        &path,
                        1,
                        "its last valid version stays published until it is fixed",
                    ));
                    notes.push(*note);
                }
            }
            Outcome::Note(note, warnings) => {
                problems.extend(warnings.into_iter().map(|p| p.in_file(&path)));
                notes.push(*note);
            }
        }
    }
    let passed = problems.iter().filter(|p| p.is_error()).count();
    let collided = collisions(&notes);
    let blocked = !collided.is_empty() || (passed > 0 && !keep_going);
    problems.extend(collided);
    problems.sort();
    if blocked {
        return Assembled {
            site: None,
            problems,
            passed: 0,
        };
    }
    let notes = sorted(notes);
    Assembled {
        site: Some(Site {
            config: config.clone(),
            now,
            notes,
            drafts,
        }),
        problems,
        passed,
    }
}

/// The site's order: newest first; equal dates by permalink, so the order
/// never depends on the file system (docs/outputs.md, "Every output").
pub fn feed_order(a: &Note, b: &Note) -> Ordering {
    b.date
        .cmp(&a.date)
        .then_with(|| a.permalink.as_str().cmp(b.permalink.as_str()))
}

/// `notes` in [`feed_order`], each moved once: sorting the notes
/// themselves moved every one of them at each of the sort's passes (a
/// note is most of a kilobyte), a tenth of an edit run at 10,000 notes.
fn sorted(notes: Vec<Note>) -> Vec<Note> {
    let mut order: Vec<usize> = (0..notes.len()).collect();
    order.sort_by(|&a, &b| feed_order(&notes[a], &notes[b]));
    let mut notes: Vec<Option<Note>> = notes.into_iter().map(Some).collect();
    order
        .into_iter()
        .map(|at| notes[at].take().expect("each index once"))
        .collect()
}

/// Two notes with one slug would share calendar UIDs and a calendar file;
/// two with one permalink or id would be one entry to feed readers.
fn collisions(notes: &[Note]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut by_path: Vec<&Note> = notes.iter().collect();
    by_path.sort_by(|a, b| a.path.cmp(&b.path));
    type Key = fn(&Note) -> Cow<'_, str>;
    let keys: [(&str, Key); 3] = [
        // Lowercase ASCII is its own lowercase; anything else is copied.
        ("slug", |n| {
            match n
                .slug
                .bytes()
                .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
            {
                true => Cow::Borrowed(&n.slug),
                false => Cow::Owned(n.slug.to_lowercase()),
            }
        }),
        ("permalink", |n| Cow::Borrowed(n.permalink.as_str())),
        ("entry id", |n| Cow::Borrowed(&n.id)),
    ];
    for (what, key) in keys {
        let mut seen: HashMap<Cow<'_, str>, &Note> = HashMap::with_capacity(notes.len());
        for &note in &by_path {
            let key = key(note);
            if let Some(first) = seen.get(&key) {
                problems.push(Problem::error(
                    &note.path,
                    1,
                    format!(
                        "{what} `{key}` is already used by {}; set a distinct `slug` or `id` in one of them",
                        first.path.display()
                    ),
                ));
            } else {
                seen.insert(key, note);
            }
        }
    }
    problems
}
