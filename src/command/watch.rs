//! `almanac build --watch`: rebuild whenever a note or the config changes,
//! for people writing notes with a feed reader or calendar open beside them.

use crate::cli::Paths;
use crate::error::Result;
use anyhow::Context;
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Editors write a file in several steps; wait this long for quiet.
const SETTLE: Duration = Duration::from_millis(200);
/// How often an idle watch looks whether its content folder was replaced.
const RECHECK: Duration = Duration::from_secs(2);

/// Builds once, then again after every change under the content folder or
/// to the config file, until the process is stopped. A failed build is
/// reported and the watch goes on: the next save may fix it.
pub fn watch(paths: &Paths, build: impl Fn() -> Result) -> Result {
    // Watching before the first build: a save during it is seen.
    let (mut watcher, events, content_id) = start(paths)?;
    report(build());
    eprintln!(
        "almanac: watching {} and {} (Ctrl-C stops)",
        paths.content.display(),
        paths.config.display()
    );
    follow(&mut watcher, &events, content_id, paths, build)
}

/// Watches `paths` and builds after every change, without a first build.
pub fn watch_quietly(paths: &Paths, build: impl Fn() -> Result) -> Result {
    let (mut watcher, events, content_id) = start(paths)?;
    follow(&mut watcher, &events, content_id, paths, build)
}

/// A watcher on the content folder (recursively) and the config's folder,
/// the channel of its events, and which content folder it watches.
#[allow(clippy::type_complexity)]
fn start(
    paths: &Paths,
) -> Result<(
    notify::RecommendedWatcher,
    mpsc::Receiver<notify::Result<notify::Event>>,
    Option<(u64, u64)>,
)> {
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender).context("starting the file watcher")?;
    let content_id = watch_content(&mut watcher, &paths.content)?;
    let config_dir = absolute(paths.config.parent().unwrap_or(Path::new(".")));
    watcher
        .watch(&config_dir, RecursiveMode::NonRecursive)
        .with_context(|| format!("watching {}", config_dir.display()))?;
    Ok((watcher, events, content_id))
}

/// Builds after every change the watcher reports, until it stops.
fn follow(
    watcher: &mut impl Watcher,
    events: &mpsc::Receiver<notify::Result<notify::Event>>,
    mut content_id: Option<(u64, u64)>,
    paths: &Paths,
    build: impl Fn() -> Result,
) -> Result {
    let content = absolute(&paths.content);
    let config = absolute(&paths.config);
    loop {
        // Woken by an event, or every few seconds to see whether the
        // content folder was made anew where no watch could see it.
        let mut relevant = match events.recv_timeout(RECHECK) {
            Ok(first) => concerns(&first, &content, &config),
            Err(mpsc::RecvTimeoutError::Timeout) => false,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        while let Ok(next) = events.recv_timeout(SETTLE) {
            relevant |= concerns(&next, &content, &config);
        }
        // A content folder removed and made again is another folder: the
        // watch on the old one saw its last event.
        if folder_id(&paths.content) != content_id {
            let _ = watcher.unwatch(&paths.content);
            if let Ok(id) = watch_content(watcher, &paths.content) {
                content_id = id;
                relevant = true;
            }
        }
        if relevant {
            report(build());
        }
    }
}

/// Watches the content folder; returns which folder it is.
fn watch_content(watcher: &mut impl Watcher, content: &Path) -> Result<Option<(u64, u64)>> {
    watcher
        .watch(content, RecursiveMode::Recursive)
        .with_context(|| format!("watching {}", content.display()))?;
    Ok(folder_id(content))
}

/// The device and inode of the folder at `path`, if there is one.
fn folder_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path)
        .ok()
        .map(|meta| (meta.dev(), meta.ino()))
}

/// Whether `event` is a change a build must see: a file created, removed,
/// renamed or written under the content folder, or the config. Reading a
/// file (a `cat`, our own build reading the config) and changing only its
/// metadata are not.
fn concerns(event: &notify::Result<notify::Event>, content: &Path, config: &Path) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    match event {
        Ok(event) => {
            let change = match event.kind {
                EventKind::Create(_) | EventKind::Remove(_) => true,
                EventKind::Modify(ModifyKind::Metadata(_)) => false,
                EventKind::Modify(_) => true,
                EventKind::Any => true, // a backend that cannot say what changed
                EventKind::Access(_) | EventKind::Other => false,
            };
            change
                && event
                    .paths
                    .iter()
                    .any(|path| path.starts_with(content) || path == config)
        }
        Err(_) => true, // a lost event may have been a change: rebuild
    }
}

fn report(result: Result) {
    if let Err(error) = result {
        eprintln!("{error}");
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
