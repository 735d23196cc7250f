//! The output folder's state: what the last run published (the list in
//! `.almanac/files`), what is there now, the temporaries a killed run
//! left, and removing what no longer belongs. Nothing outside the folder,
//! and nothing almanac did not publish, is ever touched.

use anyhow::{Result, bail};
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// The folder of almanac's own bookkeeping inside the output folder.
pub const STATE_DIR: &str = ".almanac";
/// The list of files the last run published, one relative path a line.
pub(crate) const FILES: &str = "files";

/// How many files the last run published, if every one of them is still
/// there (a user may have deleted one by hand: then it must be rebuilt).
pub fn intact(out_dir: &Path) -> Option<usize> {
    let listed = published_before(&out_dir.join(STATE_DIR));
    let present = present(out_dir);
    let all_there = !listed.is_empty() && listed.iter().all(|path| present.contains(path));
    all_there.then_some(listed.len())
}

/// The regular files under `out_dir` (outside the state folder), as
/// `/`-separated relative paths. Read from the directories' listings
/// rather than with a `stat` of each of a large site's ten thousand
/// calendars, on every run (a link is not taken for a published file).
pub fn present(out_dir: &Path) -> HashSet<String> {
    fn walk(dir: &Path, prefix: &str, found: &mut HashSet<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let (Ok(kind), Some(name)) = (
                entry.file_type(),
                entry.file_name().to_str().map(str::to_owned),
            ) else {
                continue;
            };
            if prefix.is_empty() && name == STATE_DIR {
                continue;
            }
            if kind.is_dir() {
                walk(&entry.path(), &format!("{prefix}{name}/"), found);
            } else if kind.is_file() {
                found.insert(format!("{prefix}{name}"));
            }
        }
    }
    let mut found = HashSet::new();
    walk(out_dir, "", &mut found);
    found
}

/// Removes temporary files a killed run left in the folders we write to
/// (the run lock guarantees no other run is writing them now).
pub(crate) fn sweep_temporaries(out_dir: &Path, paths: &[String]) {
    let mut dirs: BTreeSet<PathBuf> = paths
        .iter()
        .filter_map(|path| safe_relative(path).ok())
        .filter_map(|relative| relative.parent().map(|parent| out_dir.join(parent)))
        .collect();
    dirs.insert(out_dir.join(STATE_DIR));
    for dir in dirs {
        let naming = &super::staging::PUBLISHED;
        remove_named(&dir, naming.prefix, naming.suffix);
    }
}

/// Removes the files in `dir` named `{prefix}…{suffix}`: what a killed run
/// left of its temporary files. A folder that cannot be read has none.
pub(crate) fn remove_named(dir: &Path, prefix: &str, suffix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && name.ends_with(suffix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Writes the list of what this run published (`paths`), then removes
/// what the last run published (`previous`) and this one did not; returns
/// how many files were removed.
pub(crate) fn record(out_dir: &Path, paths: &[String], previous: &[String]) -> Result<usize> {
    let state = out_dir.join(STATE_DIR);
    let current: BTreeSet<&str> = paths.iter().map(String::as_str).collect();
    let list: String = current.iter().map(|path| format!("{path}\n")).collect();
    let list_path = state.join(FILES);
    if fs::read(&list_path).ok().as_deref() != Some(list.as_bytes()) {
        super::staging::replace(&list_path, &state, list.as_bytes(), true)?;
    }
    // Only after the new list is safe: remove what no longer belongs.
    let mut removed = 0;
    for stale in previous
        .iter()
        .filter(|path| !current.contains(path.as_str()))
    {
        let Ok(relative) = safe_relative(stale) else {
            continue; // a hand-edited list cannot point outside the folder
        };
        let path = out_dir.join(&relative);
        let is_file = fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_file());
        if is_file && fs::remove_file(&path).is_ok() {
            removed += 1;
            remove_empty_parents(out_dir, &relative);
        }
    }
    Ok(removed)
}

/// The files the last successful run published.
pub(crate) fn published_before(state: &Path) -> Vec<String> {
    fs::read_to_string(state.join(FILES))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Removes the now-empty folders above a removed file, never `out_dir` itself.
fn remove_empty_parents(out_dir: &Path, relative: &Path) {
    let mut parent = relative.parent();
    while let Some(dir) = parent.filter(|dir| !dir.as_os_str().is_empty()) {
        if fs::remove_dir(out_dir.join(dir)).is_err() {
            break; // not empty, or not ours to remove
        }
        parent = dir.parent();
    }
}

/// A `/`-separated output path as a relative path with no `..`, root or prefix.
pub(crate) fn safe_relative(path: &str) -> Result<PathBuf> {
    let candidate = Path::new(path);
    let normal = !path.is_empty()
        && !path.contains('\\')
        && !path.contains('\0')
        && candidate
            .components()
            .all(|component| matches!(component, Component::Normal(_)));
    if !normal {
        bail!("refusing to write `{path}`: not a plain path inside the output folder");
    }
    Ok(candidate.to_path_buf())
}
