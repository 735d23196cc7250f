//! Notes → `Site`: every note's problems gathered, collisions refused,
//! and the deterministic order fixed. Pure: the notes come read.

use crate::config::SiteConfig;
use crate::model::{Note, Site};
use crate::note::Outcome;
use crate::problem::Problem;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
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
    sort_notes(&mut notes);
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

/// Newest first; equal dates by permalink, so the order never depends on
/// the file system (docs/outputs.md, "Every output").
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
