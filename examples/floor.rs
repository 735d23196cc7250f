//! The floors for the benchmark, on all cores:
//!
//! - reading: read every note under a folder and run pulldown-cmark over
//!   every body. No build of feeds or calendars can be faster than this.
//! - writing (`--write`): create the files of a published folder anew, the
//!   same paths with the same sizes (its cache included), with no content
//!   to compute: what writing a site's output costs the kernel alone, with
//!   no rename and no sync.
//!
//! ```text
//! cargo run --release --example floor -- DIR
//! cargo run --release --example floor -- --write PUBLISHED EMPTY
//! ```

use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every file under `dir` with `.md` (or any name, if `extension` is
/// `None`), with its size.
fn walk(dir: &Path, extension: Option<&str>, found: &mut Vec<(PathBuf, u64)>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder").flatten() {
        let path = entry.path();
        let meta = entry.metadata().expect("a readable entry");
        if meta.is_dir() {
            walk(&path, extension, found);
        } else if extension.is_none_or(|wanted| path.extension().is_some_and(|e| e == wanted)) {
            found.push((path, meta.len()));
        }
    }
}

fn read_floor(dir: &Path) {
    let mut notes = Vec::new();
    walk(dir, Some("md"), &mut notes);
    let events: usize = notes
        .par_iter()
        .map(|(path, _)| {
            let text = std::fs::read_to_string(path).expect("a UTF-8 note");
            pulldown_cmark::Parser::new(&text).count()
        })
        .sum();
    println!("{} notes, {events} Markdown events", notes.len());
}

fn write_floor(published: &Path, target: &Path) {
    let mut files = Vec::new();
    walk(published, None, &mut files);
    let relative: Vec<(PathBuf, u64)> = files
        .into_iter()
        .map(|(path, len)| (path.strip_prefix(published).unwrap().to_path_buf(), len))
        .collect();
    let folders: BTreeSet<PathBuf> = relative
        .iter()
        .filter_map(|(path, _)| path.parent().map(|parent| target.join(parent)))
        .collect();
    for folder in folders {
        std::fs::create_dir_all(folder).expect("a writable folder");
    }
    let filler = vec![b'x'; 1 << 20];
    relative.par_iter().for_each(|(path, len)| {
        let mut file = std::fs::File::create(target.join(path)).expect("a new file");
        let mut left = *len;
        while left > 0 {
            let piece = left.min(filler.len() as u64);
            std::io::Write::write_all(&mut file, &filler[..piece as usize]).expect("a write");
            left -= piece;
        }
    });
    let bytes: u64 = relative.iter().map(|(_, len)| len).sum();
    println!("{} files, {bytes} bytes", relative.len());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, published, target] if flag == "--write" => {
            write_floor(Path::new(published), Path::new(target));
        }
        [dir] => read_floor(Path::new(dir)),
        _ => panic!("usage: floor DIR | floor --write PUBLISHED EMPTY"),
    }
}
