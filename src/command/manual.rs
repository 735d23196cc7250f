//! `almanac completions SHELL` and `almanac man`: both generated from the
//! command line's own definition, so they never disagree with it.

use crate::cli::Cli;
use crate::error::Result;
use clap::CommandFactory;
use std::io::Write;

pub fn completions(shell: clap_complete::Shell) -> Result {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "almanac", &mut script);
    out(&script)
}

pub fn man() -> Result {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    out(&page)
}

/// Writes `bytes` to standard output; a reader that went away (`| head`)
/// is no error.
fn out(bytes: &[u8]) -> Result {
    match std::io::stdout().write_all(bytes) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(()),
    }
}
