//! Finding notes under `content/`, reading them as text, and splitting the
//! front matter from the body. Everything after this stage works on `&str`.

pub mod budget;
mod read;
mod text;

pub use read::{read, read_note};
pub use text::{
    Format, Parts, clean_in_place, clean_text, decode, is_forbidden_byte, is_forbidden_char, split,
};

use crate::problem::Problem;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A note file found under the content folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteFile {
    /// The path as the user should see it in messages.
    pub path: PathBuf,
    /// The path relative to the content folder, `/`-separated: the default permalink.
    pub relative: String,
    /// Size and modification time (ns since the epoch): the cache's first test.
    pub size: u64,
    pub modified: i128,
}

/// What the content folder holds: its note files, and what in it cannot
/// be read as one.
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<NoteFile>,
    /// A subfolder that cannot be read, or something named like a note
    /// that is not a regular file (a pipe would block the run).
    pub problems: Vec<Problem>,
}

/// Lists every Markdown note under `root`, sorted by relative path so the
/// result does not depend on the file system's directory order. Only
/// `root` itself being unreadable is an error; an entry that vanishes
/// while the folder is listed is simply gone.
///
/// Hidden entries and Hugo's section pages (`_index.md`) are skipped; symbolic
/// links are not followed, so a link cannot pull files from outside `root`.
/// Only notes whose relative path `keep` accepts are listed (a generator's
/// site holds pages that are not posts).
pub fn note_files(root: &Path, keep: &dyn Fn(&str) -> bool) -> io::Result<Listing> {
    let mut listing = Listing::default();
    let entries = fs::read_dir(root)?;
    walk(entries, "", keep, &mut listing);
    listing.files.sort_by(|a, b| a.relative.cmp(&b.relative));
    listing.problems.sort();
    Ok(listing)
}

fn walk(entries: fs::ReadDir, prefix: &str, keep: &dyn Fn(&str) -> bool, listing: &mut Listing) {
    for entry in entries {
        // Gone since the listing began (a note deleted meanwhile): skipped.
        let Ok(entry) = entry else { continue };
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue; // a non-UTF-8 name cannot become a URL
        };
        if name.starts_with('.') {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let relative = format!("{prefix}{name}");
        if file_type.is_dir() && is_note_name(name) && keep(&relative) {
            // A folder named like a note is almost surely a mistake; say so
            // rather than silently publishing nothing for it.
            listing.files.push(NoteFile {
                path: entry.path(),
                relative,
                size: 0,
                modified: 0,
            });
        } else if file_type.is_dir() {
            let listed = match crate::fault::injected("list", 0, name) {
                Some(error) => Err(error),
                None => fs::read_dir(entry.path()),
            };
            match listed {
                Ok(entries) => walk(entries, &format!("{relative}/"), keep, listing),
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(error) => listing.problems.push(Problem::error(
                    entry.path(),
                    1,
                    format!("cannot read the folder: {error}"),
                )),
            }
        } else if !is_note_name(name) || file_type.is_symlink() || !keep(&relative) {
            continue;
        } else if !file_type.is_file() {
            listing.problems.push(Problem::error(
                entry.path(),
                1,
                "not a regular file; a note must be one",
            ));
        } else if let Ok(metadata) = entry.metadata() {
            listing.files.push(NoteFile {
                path: entry.path(),
                relative,
                size: metadata.len(),
                modified: metadata.modified().map_or(0, nanos),
            });
        }
    }
}

/// Nanoseconds since the epoch, negative before it: a tree whose mtimes
/// were all set before 1970 (some image builds do) still tells its edits
/// apart.
pub fn nanos(at: std::time::SystemTime) -> i128 {
    match at.duration_since(std::time::UNIX_EPOCH) {
        Ok(since) => since.as_nanos() as i128,
        Err(before) => -(before.duration().as_nanos() as i128),
    }
}

fn is_note_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".md") || lower.ends_with(".markdown")) && lower != "_index.md"
}
