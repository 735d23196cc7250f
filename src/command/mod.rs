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
mod manifest;
pub mod manual;
mod progress;
pub mod serve;
pub mod slots;
pub mod watch;
mod websub;

use crate::config::SiteConfig;
use crate::error::{Error, Result};
use crate::model::Site;
use crate::note::Outcome;
use crate::problem::Problem;
use crate::site;
use crate::source::{self, Listing};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// Every note file under the content folder, and what in it is not one.
fn note_files(content: &Path) -> Result<Listing> {
    source::note_files(content).map_err(|error| {
        Error::Config(format!(
            "{}: cannot read the content folder: {error}",
            content.display()
        ))
    })
}

/// The site of the notes read, every problem found reported on the way;
/// an error if any note has one.
fn assemble(
    config: &SiteConfig,
    now: DateTime<Utc>,
    outcomes: Vec<(PathBuf, Outcome)>,
    listed: Vec<Problem>,
) -> Result<Site> {
    let assembled = site::assemble(config, now, outcomes, listed);
    report(&assembled.problems);
    assembled.site.ok_or_else(|| {
        let errors = assembled.problems.iter().filter(|p| p.is_error()).count();
        Error::Notes(format!(
            "{errors} error{} in the notes; nothing was published",
            if errors == 1 { "" } else { "s" }
        ))
    })
}

/// Prints each problem: `path:line: message` when piped, with its line
/// quoted on a terminal (see [`diagnostics`]).
fn report(problems: &[Problem]) {
    diagnostics::report(problems);
}
