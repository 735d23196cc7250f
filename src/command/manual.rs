//! `almanac completions SHELL` and `almanac man`: both generated from the
//! command line's own definition, so they never disagree with it.

use crate::cli::Cli;
use crate::error::Result;
use clap::CommandFactory;

pub fn completions(shell: clap_complete::Shell) -> Result {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "almanac", &mut std::io::stdout());
    Ok(())
}

pub fn man() -> Result {
    clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
    Ok(())
}
