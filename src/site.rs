//! Notes → `Site`: every note read (in parallel), problems gathered from all
//! of them, collisions refused, and the deterministic order fixed.

use crate::config::SiteConfig;
use crate::model::{Note, Site};
use crate::note::{self, Outcome};
use crate::problem::Problem;
use crate::source::{self, NoteFile};
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Notes larger than this are refused rather than read into memory.
pub const MAX_NOTE_BYTES: u64 = 10 * 1024 * 1024;

/// The site, or every error found; warnings ride along either way.
pub struct Assembled {
    pub site: Option<Site>,
    pub problems: Vec<Problem>,
}

/// Reads every note and assembles the site. Problems are sorted by file and
/// line so the report reads like a compiler's.
pub fn assemble(config: &SiteConfig, files: Vec<NoteFile>, now: DateTime<Utc>) -> Assembled {
    let outcomes: Vec<(PathBuf, Outcome)> = files
        .into_par_iter()
        .map(|file| {
            let outcome = match read(&file.path) {
                Err(message) => {
                    Outcome::Invalid(vec![crate::problem::LineProblem::error(1, message)])
                }
                Ok(bytes) => match source::decode(&bytes) {
                    Err(problem) => Outcome::Invalid(vec![problem]),
                    Ok(text) => note::parse(&file.path, &file.relative, &text, config, now),
                },
            };
            (file.path, outcome)
        })
        .collect();

    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut drafts = 0;
    for (path, outcome) in outcomes {
        match outcome {
            Outcome::Draft => drafts += 1,
            Outcome::Invalid(found) => problems.extend(found.into_iter().map(|p| p.in_file(&path))),
            Outcome::Note(note, warnings) => {
                problems.extend(warnings.into_iter().map(|p| p.in_file(&path)));
                notes.push(*note);
            }
        }
    }
    problems.extend(collisions(&notes));
    problems.sort();
    if problems.iter().any(Problem::is_error) {
        return Assembled {
            site: None,
            problems,
        };
    }
    sort_notes(&mut notes);
    Assembled {
        site: Some(Site {
            config: config.clone(),
            notes,
            drafts,
        }),
        problems,
    }
}

fn read(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read the note: {e}"))?
        .len();
    if size > MAX_NOTE_BYTES {
        return Err(format!(
            "the note is {size} bytes; notes over {MAX_NOTE_BYTES} bytes are refused"
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read the note: {e}"))
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
