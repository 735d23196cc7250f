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

/// Builds once, then again after every change under the content folder or
/// to the config file, until the process is stopped. A failed build is
/// reported and the watch goes on: the next save may fix it.
pub fn watch(paths: &Paths, build: impl Fn() -> Result) -> Result {
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender).context("starting the file watcher")?;
    watcher
        .watch(&paths.content, RecursiveMode::Recursive)
        .with_context(|| format!("watching {}", paths.content.display()))?;
    let config_dir = absolute(paths.config.parent().unwrap_or(Path::new(".")));
    watcher
        .watch(&config_dir, RecursiveMode::NonRecursive)
        .with_context(|| format!("watching {}", config_dir.display()))?;
    let content = absolute(&paths.content);
    let config = absolute(&paths.config);
    report(build());
    eprintln!(
        "almanac: watching {} and {} (Ctrl-C stops)",
        paths.content.display(),
        paths.config.display()
    );
    loop {
        let Ok(first) = events.recv() else {
            return Ok(());
        };
        let mut relevant = concerns(&first, &content, &config);
        while let Ok(next) = events.recv_timeout(SETTLE) {
            relevant |= concerns(&next, &content, &config);
        }
        if relevant {
            report(build());
        }
    }
}

fn concerns(event: &notify::Result<notify::Event>, content: &Path, config: &Path) -> bool {
    match event {
        Ok(event) => event
            .paths
            .iter()
            .any(|path| path.starts_with(content) || path == config),
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
