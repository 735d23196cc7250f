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
/// The files no run publishes any more whose removal failed: removed by
/// the next run that can.
pub(crate) const STALE: &str = "stale";

/// How many files the last run published, if every one of them is still
/// there (a user may have deleted one by hand: then it must be rebuilt).
pub fn intact(out_dir: &Path) -> Option<usize> {
    let state = out_dir.join(STATE_DIR);
    if state.join(STALE).exists() {
        return None; // a removal is owed: the next publish tries it again
    }
    let listed = published_before(&state);
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
/// what the last run published (`previous`) and this one did not. A file
/// whose removal fails stays listed (in [`STALE`]) and is tried again by
/// the next run that publishes; returns how many files were removed, and
/// a message for each that was not.
pub(crate) fn record(
    out_dir: &Path,
    paths: &[String],
    previous: &[String],
) -> Result<(usize, Vec<String>)> {
    let state = out_dir.join(STATE_DIR);
    let current: BTreeSet<&str> = paths.iter().map(String::as_str).collect();
    let owed = listed(&state.join(STALE));
    let mut stale: Vec<&str> = previous
        .iter()
        .chain(&owed)
        .map(String::as_str)
        .filter(|path| !current.contains(path))
        .collect();
    stale.sort_unstable();
    stale.dedup();
    write_list(&state, FILES, current.iter().copied())?;
    // The list is safe; until they are gone, the stale files are listed too.
    write_list(&state, STALE, stale.iter().copied())?;
    let (mut removed, mut kept, mut failures) = (0, Vec::new(), Vec::new());
    for path in stale {
        match remove_stale(out_dir, path) {
            Ok(true) => removed += 1,
            Ok(false) => {}
            Err(error) => {
                failures.push(format!(
                    "cannot remove {}: {error}; it stays listed and the next run tries again",
                    out_dir.join(path).display()
                ));
                kept.push(path);
            }
        }
    }
    write_list(&state, STALE, kept.into_iter())?;
    Ok((removed, failures))
}

/// Removes the published file `path` no run produces any more: `true` if
/// it was removed, `false` if there is nothing of ours to remove (gone,
/// not a regular file, behind a link, or a path a hand-edited list made up).
fn remove_stale(out_dir: &Path, path: &str) -> std::io::Result<bool> {
    let Ok(relative) = safe_relative(path) else {
        return Ok(false); // a hand-edited list cannot point outside the folder
    };
    let inside = relative
        .parent()
        .is_none_or(|parent| refuse_links(out_dir, parent).is_ok());
    let target = out_dir.join(&relative);
    let is_file = fs::symlink_metadata(&target).is_ok_and(|meta| meta.is_file());
    if !inside || !is_file {
        return Ok(false);
    }
    let removed = match crate::fault::injected("remove", 0, path) {
        Some(error) => Err(error),
        None => fs::remove_file(&target),
    };
    match removed {
        Ok(()) => {
            remove_empty_parents(out_dir, &relative);
            Ok(true)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error),
    }
}

/// Replaces the list `name` in `state` with `paths`, one a line, unless it
/// holds them already; an empty list is no file.
fn write_list<'a>(state: &Path, name: &str, paths: impl Iterator<Item = &'a str>) -> Result<()> {
    let list: String = paths.map(|path| format!("{path}\n")).collect();
    let path = state.join(name);
    if list.is_empty() && name == STALE {
        return match fs::remove_file(&path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
            _ => Ok(()),
        };
    }
    if fs::read(&path).ok().as_deref() != Some(list.as_bytes()) {
        super::staging::replace(&path, state, list.as_bytes(), true)?;
    }
    Ok(())
}

/// Refuses a folder below `root` reached through a symbolic link: every
/// component of `relative` that exists must be a real folder. A link
/// inside the output folder (`events -> /elsewhere`) would have files
/// written, and stale ones deleted, where it points; `root` itself may be
/// a link, as the user named it.
pub fn refuse_links(root: &Path, relative: &Path) -> Result<()> {
    let mut path = root.to_path_buf();
    for component in relative.components() {
        path.push(component);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => bail!(
                "refusing to write through the symbolic link {}: almanac never follows links inside the output folder",
                path.display()
            ),
            Ok(_) => {}
            Err(_) => return Ok(()), // not there yet: created as a folder
        }
    }
    Ok(())
}

/// The files the last successful run published.
pub(crate) fn published_before(state: &Path) -> Vec<String> {
    listed(&state.join(FILES))
}

/// The paths a list file holds, one a line; none if it cannot be read.
fn listed(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
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
