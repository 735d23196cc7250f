//! The content HTML of feed entries, kept between runs: rendering a note's
//! Markdown (and sanitizing its raw HTML) is most of what a feed costs, and
//! a run that rewrites a feed would otherwise render every entry of it
//! again. An entry is reused only for the same note bytes (their hash) and
//! the same cache key (config, folders, binary); the file is checksummed
//! like the index, and one that does not check out is no cache.

use super::cache::{seal, unseal};
use crate::publish::{self, Naming};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

const FILE: &str = "html";

/// Readable by its owner only, like the rest of the cache.
const STAGED: Naming = Naming {
    prefix: ".almanac-html-",
    suffix: ".part",
    mode: 0o600,
};

/// Each note's content HTML, by source path, with the hash of the note
/// bytes it was rendered from.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct HtmlCache {
    key: u64,
    entries: BTreeMap<String, (u64, String)>,
}

impl HtmlCache {
    /// The kept HTML in `dir`, if it is there whole and for `key`.
    pub fn load(dir: &Path, key: u64) -> Self {
        std::fs::read(dir.join(FILE))
            .ok()
            .and_then(|bytes| unseal(&bytes).map(<[u8]>::to_vec))
            .and_then(|json| serde_json::from_slice::<HtmlCache>(&json).ok())
            .filter(|cache| cache.key == key)
            .unwrap_or(HtmlCache {
                key,
                entries: BTreeMap::new(),
            })
    }

    /// The HTML of the note at `path`, if it was rendered from bytes of
    /// this `hash`.
    pub fn get(&self, path: &Path, hash: u64) -> Option<&str> {
        let (kept, html) = self.entries.get(path.to_str()?)?;
        (*kept == hash).then_some(html.as_str())
    }

    /// Keeps `html` for the note at `path`, rendered from bytes of `hash`.
    pub fn insert(&mut self, path: &Path, hash: u64, html: String) {
        if let Some(path) = path.to_str() {
            self.entries.insert(path.to_string(), (hash, html));
        }
    }

    /// Keeps only the notes `keep` says, and writes the file in `dir`.
    pub fn save(mut self, dir: &Path, keep: impl Fn(&Path) -> bool) -> std::io::Result<()> {
        self.entries.retain(|path, _| keep(Path::new(path)));
        let json = serde_json::to_vec(&self).map_err(std::io::Error::other)?;
        let mut temp = publish::temporary(dir, &STAGED)?;
        std::io::Write::write_all(&mut temp, &seal(&json))?;
        temp.persist(dir.join(FILE)).map_err(|error| error.error)?;
        Ok(())
    }
}
