//! The read-and-parse floor for the benchmark: read every note under a
//! folder and run pulldown-cmark over every body, on all cores. No build of
//! feeds or calendars can be faster than this.
//!
//!     cargo run --release --example floor -- DIR

use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn notes(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            notes(&path, found);
        } else if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: floor DIR");
    let mut paths = Vec::new();
    notes(Path::new(&dir), &mut paths);
    let events: usize = paths
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("a UTF-8 note");
            pulldown_cmark::Parser::new(&text).count()
        })
        .sum();
    println!("{} notes, {events} Markdown events", paths.len());
}
