//! The incremental cache: each note's parsed form, keyed by its path, size,
//! modification time and content hash, under the config's hash and almanac's
//! version. A note whose size and mtime match is not even read; one whose
//! bytes hash the same is not parsed again. A cache that is missing, corrupt,
//! written by another version or for another config is ignored and rebuilt,
//! never trusted.

use crate::model::Note;
use crate::problem::LineProblem;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Bumped whenever the cached data's shape or meaning changes.
const FORMAT: u32 = 1;

/// What parsing a note gave, as kept between runs (invalid notes are
/// parsed again every run, so their errors are always reported).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Cached {
    Note(Box<Note>, Vec<LineProblem>),
    Draft,
}

/// One note's cache entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub relative: String,
    pub size: u64,
    pub modified: i128,
    pub hash: u64,
    pub outcome: Cached,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    version: String,
    config: u64,
    /// Which notes the feeds showed, as a hash: "now" can change it alone.
    visible: u64,
    entries: Vec<Entry>,
}

/// The previous run's cache, read once at the start of a run.
#[derive(Debug, Default)]
pub struct Cache {
    entries: HashMap<String, Entry>,
    pub visible: Option<u64>,
}

impl Cache {
    /// Reads `path`, or an empty cache if it is absent or cannot be trusted.
    pub fn load(path: &Path, config: u64) -> Self {
        let Ok(bytes) = fs::read(path) else {
            return Self::default();
        };
        match serde_json::from_slice::<CacheFile>(&bytes) {
            Ok(file)
                if file.format == FORMAT
                    && file.version == env!("CARGO_PKG_VERSION")
                    && file.config == config =>
            {
                Self {
                    entries: file
                        .entries
                        .into_iter()
                        .map(|entry| (entry.relative.clone(), entry))
                        .collect(),
                    visible: Some(file.visible),
                }
            }
            _ => Self::default(),
        }
    }

    pub fn get(&self, relative: &str) -> Option<&Entry> {
        self.entries.get(relative)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The running binary's size and modification time, hashed: a cache written
/// by another build of almanac, even of the same version, is not trusted.
pub fn binary_identity() -> u64 {
    let metadata = std::env::current_exe().and_then(fs::metadata);
    let Ok(metadata) = metadata else {
        return 0;
    };
    let modified = metadata
        .modified()
        .ok()
        .and_then(|at| at.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos());
    crate::digest::fnv1a(format!("{}:{modified}", metadata.len()).as_bytes())
}

/// Writes the cache atomically (a killed run leaves the old one or none).
pub fn save(path: &Path, config: u64, visible: u64, mut entries: Vec<Entry>) -> anyhow::Result<()> {
    entries.sort_by(|a, b| a.relative.cmp(&b.relative));
    let file = CacheFile {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        config,
        visible,
        entries,
    };
    let bytes = serde_json::to_vec(&file)?;
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    fs::create_dir_all(&dir)?;
    crate::publish::replace(path, &dir, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_or_foreign_caches_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        fs::write(&path, "{not json").unwrap();
        assert!(Cache::load(&path, 1).is_empty());
        save(&path, 1, 7, Vec::new()).unwrap();
        assert_eq!(Cache::load(&path, 1).visible, Some(7));
        assert_eq!(
            Cache::load(&path, 2).visible,
            None,
            "another config's cache"
        );
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace(env!("CARGO_PKG_VERSION"), "0.0.0-other");
        fs::write(&path, text).unwrap();
        assert_eq!(
            Cache::load(&path, 1).visible,
            None,
            "another version's cache"
        );
    }
}
