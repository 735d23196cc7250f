//! The content HTML of feed entries, kept between runs: rendering a note's
//! Markdown (and sanitizing its raw HTML) is most of what a feed costs, and
//! a run that rewrites a feed would otherwise render every entry of it
//! again. An entry is reused only for the same note bytes (their hash) and
//! the same cache key (config, folders, binary); the file is checksummed
//! like the index, and one that does not check out is no cache.
//!
//! Each entry is a line (path, hash, length) and then its HTML as it is,
//! not a JSON string: a run that rewrites one feed read and wrote all of
//! them again (7 MB at 10,000 notes), escaping and unescaping every quote
//! and angle bracket. An entry's text is checked to be UTF-8 only when it
//! is used, and one kept for the next run is copied as it was read.

use super::cache::{seal, unseal};
use crate::publish::{self, Naming};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

const FILE: &str = "html";
/// The first line's start; the cache key follows.
const HEADER: &str = "almanac-html 1 ";

/// Readable by its owner only, like the rest of the cache.
const STAGED: Naming = Naming {
    prefix: ".almanac-html-",
    suffix: ".part",
    mode: 0o600,
};

/// Each note's content HTML, by source path, with the hash of the note
/// bytes it was rendered from.
#[derive(Debug, Default)]
pub struct HtmlCache {
    key: u64,
    /// The file as read, its checksum line off.
    read: Vec<u8>,
    entries: BTreeMap<String, (u64, Html)>,
    /// Whether it differs from the file it was read from.
    changed: bool,
}

#[derive(Debug)]
enum Html {
    /// Where it is in the file as read.
    Read(Range<usize>),
    Rendered(String),
}

impl HtmlCache {
    /// The kept HTML in `dir`, if it is there whole and for `key`.
    pub fn load(dir: &Path, key: u64) -> Self {
        std::fs::read(dir.join(FILE))
            .ok()
            .and_then(|bytes| unseal(&bytes).map(<[u8]>::to_vec))
            .and_then(|read| parse(read, key))
            .unwrap_or(HtmlCache {
                key,
                changed: true,
                ..HtmlCache::default()
            })
    }

    /// The HTML of the note at `path`, if it was rendered from bytes of
    /// this `hash`.
    pub fn get(&self, path: &Path, hash: u64) -> Option<&str> {
        let (kept, html) = self.entries.get(path.to_str()?)?;
        if *kept != hash {
            return None;
        }
        match html {
            Html::Read(range) => std::str::from_utf8(&self.read[range.clone()]).ok(),
            Html::Rendered(text) => Some(text),
        }
    }

    /// Keeps `html` for the note at `path`, rendered from bytes of `hash`.
    pub fn insert(&mut self, path: &Path, hash: u64, html: String) {
        // A path with a tab or line end cannot be one field of a line: its
        // note's HTML is rendered on every run that needs it.
        if let Some(path) = path.to_str().filter(|path| !path.contains(['\t', '\n'])) {
            self.entries
                .insert(path.to_string(), (hash, Html::Rendered(html)));
            self.changed = true;
        }
    }

    /// Keeps only the notes `keep` says, and writes the file in `dir`
    /// unless it would hold what it holds.
    pub fn save(mut self, dir: &Path, keep: impl Fn(&Path) -> bool) -> std::io::Result<()> {
        let before = self.entries.len();
        self.entries.retain(|path, _| keep(Path::new(path)));
        if !self.changed && self.entries.len() == before {
            return Ok(());
        }
        let mut bytes = format!("{HEADER}{:016x}\n", self.key).into_bytes();
        for (path, (hash, html)) in &self.entries {
            let text = match html {
                Html::Read(range) => &self.read[range.clone()],
                Html::Rendered(text) => text.as_bytes(),
            };
            bytes.extend_from_slice(format!("{path}\t{hash:016x}\t{}\n", text.len()).as_bytes());
            bytes.extend_from_slice(text);
        }
        let mut temp = publish::temporary(dir, &STAGED)?;
        std::io::Write::write_all(&mut temp, &seal(&bytes))?;
        temp.persist(dir.join(FILE)).map_err(|error| error.error)?;
        Ok(())
    }
}

/// The entries of a file's contents (`read`, checksum checked), if it was
/// written under `key` and every entry reads.
fn parse(read: Vec<u8>, key: u64) -> Option<HtmlCache> {
    let line = |at: usize| -> Option<(&str, usize)> {
        let end = at + read.get(at..)?.iter().position(|&b| b == b'\n')?;
        Some((std::str::from_utf8(&read[at..end]).ok()?, end + 1))
    };
    let (first, mut at) = line(0)?;
    if u64::from_str_radix(first.strip_prefix(HEADER)?, 16).ok()? != key {
        return None;
    }
    let mut entries = BTreeMap::new();
    while at < read.len() {
        let (head, text) = line(at)?;
        let mut fields = head.split('\t');
        let (path, hash, len) = (fields.next()?, fields.next()?, fields.next()?);
        let hash = u64::from_str_radix(hash, 16).ok()?;
        let end = text.checked_add(len.parse().ok()?)?;
        if end > read.len() || fields.next().is_some() {
            return None;
        }
        entries.insert(path.to_string(), (hash, Html::Read(text..end)));
        at = end;
    }
    Some(HtmlCache {
        key,
        read,
        entries,
        changed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_html_reads_back_only_for_its_hash_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = HtmlCache::load(dir.path(), 7);
        cache.insert(Path::new("a.md"), 1, "<p>\"a\"\tb\n</p>".into());
        cache.insert(Path::new("b.md"), 2, "<p>日本語</p>".into());
        cache.insert(Path::new("gone.md"), 3, String::new());
        cache
            .save(dir.path(), |path| path != Path::new("gone.md"))
            .unwrap();
        let read = HtmlCache::load(dir.path(), 7);
        assert_eq!(read.get(Path::new("a.md"), 1), Some("<p>\"a\"\tb\n</p>"));
        assert_eq!(read.get(Path::new("b.md"), 2), Some("<p>日本語</p>"));
        assert_eq!(read.get(Path::new("a.md"), 2), None);
        assert_eq!(read.get(Path::new("gone.md"), 3), None);
        assert_eq!(
            HtmlCache::load(dir.path(), 8).get(Path::new("a.md"), 1),
            None
        );
        // Nothing changed: not written again; an entry copied as it was.
        let written = std::fs::read(dir.path().join(FILE)).unwrap();
        std::fs::remove_file(dir.path().join(FILE)).unwrap();
        read.save(dir.path(), |_| true).unwrap();
        assert!(!dir.path().join(FILE).exists());
        let mut again = HtmlCache::load(dir.path(), 7);
        assert!(again.get(Path::new("a.md"), 1).is_none());
        std::fs::write(dir.path().join(FILE), &written).unwrap();
        again = HtmlCache::load(dir.path(), 7);
        again.insert(Path::new("c.md"), 4, "<p>c</p>".into());
        again.save(dir.path(), |_| true).unwrap();
        let last = HtmlCache::load(dir.path(), 7);
        assert_eq!(last.get(Path::new("b.md"), 2), Some("<p>日本語</p>"));
        assert_eq!(last.get(Path::new("c.md"), 4), Some("<p>c</p>"));
        // A damaged file is no cache.
        let mut damaged = std::fs::read(dir.path().join(FILE)).unwrap();
        let at = damaged.len() - 3;
        damaged[at] ^= 1;
        std::fs::write(dir.path().join(FILE), damaged).unwrap();
        assert_eq!(
            HtmlCache::load(dir.path(), 7).get(Path::new("b.md"), 2),
            None
        );
    }
}
