//! The subcommands, one room each, and the steps they share: finding the
//! notes and assembling the site from what they gave.

/// Writes a line to standard output; a reader that went away (`| head`)
/// is no error, and never a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub mod build;
pub mod check;
mod diagnostics;
pub mod init;
pub mod init_source;
mod manifest;
pub mod manual;
mod progress;
pub mod serve;
pub mod slots;
pub mod watch;
mod websub;

use crate::cli::Paths;
use crate::config::{self, SiteConfig};
use crate::error::{Error, Result};
use crate::generator::{self, Keep};
use crate::model::Site;
use crate::note::Outcome;
use crate::problem::Problem;
use crate::site;
use crate::source::{self, Listing};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// The site config and where the notes are, as one run reads them.
struct Loaded {
    config: SiteConfig,
    /// The hash of the config texts read, part of the cache's key.
    hash: u64,
    content: PathBuf,
    keep: Keep,
}

/// Reads `almanac.yaml`, or with `--source` the generator's config with
/// almanac.yaml (if any) over it; `--base-url` over both.
fn load(paths: &Paths) -> Result<Loaded> {
    let mut loaded = load_config(paths)?;
    loaded.config.drafts = paths.drafts;
    loaded.config.future = paths.future;
    if paths.drafts {
        loaded.keep = loaded.keep.with_drafts();
    }
    // What the cache holds of a note depends on both.
    loaded.hash ^= (u64::from(paths.drafts) << 62) | (u64::from(paths.future) << 63);
    Ok(loaded)
}

/// [`load`] before `--drafts` and `--future`.
fn load_config(paths: &Paths) -> Result<Loaded> {
    let Some(dir) = &paths.source else {
        let (config, hash) = match &paths.base_url {
            Some(url) if paths.config.exists() => {
                let under = config::Settings::default();
                let config = config::load_over(&paths.config, under, &paths.config, Some(url))?;
                let text = std::fs::read(&paths.config).unwrap_or_default();
                let hash = crate::digest::fnv1a(&[url.as_bytes(), &text].concat());
                (config, hash)
            }
            _ => config::load(&paths.config)?,
        };
        return Ok(Loaded {
            config,
            hash,
            content: paths.content.clone(),
            keep: Keep::All,
        });
    };
    let found = generator::detect(dir).map_err(|error| Error::Config(error.0))?;
    for sentence in &found.not_understood {
        eprintln!("{}: warning: {sentence}", found.config_file.display());
    }
    let mut under = found.settings.clone();
    if under.title.is_none() && !own_sets(&paths.config, "title") {
        // A site with no title in its config still builds: named after
        // its folder, with a word on where to set one.
        let name = std::fs::canonicalize(dir)
            .ok()
            .and_then(|dir| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Feed".into());
        eprintln!(
            "{}: warning: no site title; using `{name}` (set `title` in almanac.yaml)",
            found.config_file.display()
        );
        under.title = Some(name);
    }
    let base_url = paths.base_url.as_deref();
    let mut config = config::load_over(&paths.config, under, &found.config_file, base_url)?;
    config.rules = Some(found.rules.clone());
    let own = std::fs::read(&paths.config).unwrap_or_default();
    let hash = crate::digest::fnv1a(
        format!(
            "{}\n{:?}\n{}",
            found.config_text,
            paths.base_url,
            String::from_utf8_lossy(&own)
        )
        .as_bytes(),
    );
    Ok(Loaded {
        config,
        hash,
        content: match paths.content_from_source {
            true => found.content,
            false => paths.content.clone(),
        },
        keep: found.keep,
    })
}

/// Whether the almanac.yaml at `path` sets `key`.
fn own_sets(path: &Path, key: &str) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| config::key_line(&text, key).is_some())
}

/// Every note file under the content folder, and what in it is not one.
fn note_files(content: &Path, keep: Keep) -> Result<Listing> {
    source::note_files(content, &|relative| keep.keeps(relative)).map_err(|error| {
        Error::Config(format!(
            "{}: cannot read the content folder: {error}",
            content.display()
        ))
    })
}

/// The site of the notes read, every problem found reported on the way;
/// an error if any note has one, unless `keep_going`: then the site of the
/// valid notes and the count of errors passed.
fn assemble(
    config: &SiteConfig,
    now: DateTime<Utc>,
    outcomes: Vec<(PathBuf, Outcome)>,
    listed: Vec<Problem>,
    keep_going: bool,
) -> Result<(Site, usize)> {
    let assembled = site::assemble(config, now, outcomes, listed, keep_going);
    report(&assembled.problems);
    let passed = assembled.passed;
    assembled.site.map(|site| (site, passed)).ok_or_else(|| {
        let errors = assembled.problems.iter().filter(|p| p.is_error()).count();
        Error::Notes(format!(
            "{errors} error{} in the notes; nothing was published",
            plural(errors)
        ))
    })
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// Prints each problem: `path:line: message` when piped, with its line
/// quoted on a terminal (see [`diagnostics`]).
fn report(problems: &[Problem]) {
    diagnostics::report(problems);
}
