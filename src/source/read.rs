//! Reading one note file, within the size limit.

use crate::problem::LineProblem;
use std::path::Path;

/// Reads a note, refusing one over `limit` bytes before reading it (and
/// one that grows past it while being read).
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("cannot read the note: {e}");
    let mut options = std::fs::File::options();
    options.read(true);
    // Opened without blocking: a pipe put where a note was would otherwise
    // hold the run (and its lock) until something writes to it.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        rustix::fs::OFlags::NONBLOCK.bits() as i32,
    );
    let file = options.open(path).map_err(cannot)?;
    let metadata = file.metadata().map_err(cannot)?;
    if metadata.is_dir() {
        return Err("a folder named like a note; rename it or move its notes".into());
    }
    if !metadata.is_file() {
        return Err("not a regular file; a note must be one".into());
    }
    let too_big = |len: u64| {
        format!(
            "the note is {len} bytes, over max_note_bytes ({limit}); split it or raise the limit"
        )
    };
    if metadata.len() > limit {
        return Err(too_big(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads and decodes a note: its text, or the problem that stops it.
pub fn read_note(path: &Path, limit: u64) -> Result<String, LineProblem> {
    read(path, limit)
        .map_err(|message| LineProblem::error(1, message))
        .and_then(super::decode)
}
