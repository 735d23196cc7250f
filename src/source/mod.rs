//! Finding notes under `content/`, reading them as text, and splitting the
//! front matter from the body. Everything after this stage works on `&str`.

mod read;
mod text;

pub use read::{read, read_note};
pub use text::{
    Parts, clean_in_place, clean_text, decode, is_forbidden_byte, is_forbidden_char, split,
};

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

/// Lists every Markdown note under `root`, sorted by relative path so the
/// result does not depend on the file system's directory order.
///
/// Hidden entries and Hugo's section pages (`_index.md`) are skipped; symbolic
/// links are not followed, so a link cannot pull files from outside `root`.
pub fn note_files(root: &Path) -> io::Result<Vec<NoteFile>> {
    let mut found = Vec::new();
    walk(root, "", &mut found)?;
    found.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(found)
}

fn walk(dir: &Path, prefix: &str, found: &mut Vec<NoteFile>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue; // a non-UTF-8 name cannot become a URL
        };
        if name.starts_with('.') {
            continue;
        }
        let file_type = entry.file_type()?;
        let relative = format!("{prefix}{name}");
        if file_type.is_dir() && is_note_name(name) {
            // A folder named like a note is almost surely a mistake; say so
            // rather than silently publishing nothing for it.
            found.push(NoteFile {
                path: entry.path(),
                relative,
                size: 0,
                modified: 0,
            });
        } else if file_type.is_dir() {
            walk(&entry.path(), &format!("{relative}/"), found)?;
        } else if is_note_name(name) && !file_type.is_symlink() {
            let metadata = entry.metadata()?;
            let modified = metadata
                .modified()
                .ok()
                .and_then(|at| at.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |since| since.as_nanos() as i128);
            found.push(NoteFile {
                path: entry.path(),
                relative,
                size: metadata.len(),
                modified,
            });
        }
    }
    Ok(())
}

fn is_note_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".md") || lower.ends_with(".markdown")) && lower != "_index.md"
}
