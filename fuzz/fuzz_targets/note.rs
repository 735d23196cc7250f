//! Any bytes as a note file: decoding, front matter splitting and parsing,
//! and the whole note reader must return a note, a draft, or errors with
//! lines inside the file, and never panic.
#![no_main]

use almanac::config::SiteConfig;
use almanac::note::{self, Outcome};
use almanac::source;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|bytes: &[u8]| {
    let config = SiteConfig::parse("title: Fuzz\nbase_url: https://fuzz.example/\ntimezone: Europe/Berlin\n")
        .expect("a valid config");
    let Ok(text) = source::decode(bytes.to_vec()) else {
        return;
    };
    let lines = text.lines().count().max(1);
    if let Outcome::Invalid(problems) = note::parse(Path::new("fuzz.md"), "fuzz.md", &text, &config) {
        assert!(!problems.is_empty());
        for problem in problems {
            assert!(problem.line >= 1 && problem.line <= lines + 1, "line {} of {lines}", problem.line);
        }
    }
});
