//! `almanac check`: every note read and the site assembled, nothing
//! written; a summary, or with `--json` the files a build would write with
//! their entries and events.

use super::{assemble, load, manifest, note_files};
use crate::cli::Paths;
use crate::error::Result;
use crate::note::{self, Outcome};
use crate::render;
use crate::source;
use chrono::{DateTime, Utc};
use rayon::prelude::*;

pub fn check(paths: &Paths, now: Option<DateTime<Utc>>, json: bool) -> Result {
    let loaded = load(paths)?;
    let config = loaded.config;
    let listing = note_files(&loaded.content, loaded.keep)?;
    let outcomes = listing
        .files
        .into_par_iter()
        .map(|file| {
            let _held = source::budget::hold(file.size);
            let outcome = match source::read_note(&file.path, config.max_note_bytes) {
                Err(problem) => Outcome::Invalid(vec![problem]),
                Ok(text) => note::parse(&file.path, &file.relative, &text, &config),
            };
            (file.path, outcome)
        })
        .collect();
    let now = now.unwrap_or_else(Utc::now);
    let (site, _) = assemble(&config, now, outcomes, listing.problems, false)?;
    if json {
        let manifest = manifest::manifest(&site);
        let text = serde_json::to_string_pretty(&manifest).map_err(anyhow::Error::from)?;
        say!("{text}");
    } else {
        say!(
            "{} notes ({} drafts skipped), {} slots, {} files: no problems",
            site.notes.len(),
            site.drafts,
            site.notes.iter().map(|n| n.slots.len()).sum::<usize>(),
            render::plan(&site).len()
        );
    }
    Ok(())
}
