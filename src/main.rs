//! The `almanac` command: parse the arguments, run, print the error once.

use clap::Parser;
use std::process::ExitCode;

// A build allocates many small strings on every core at once (blocks, slot
// texts, rendered events), where glibc's malloc spends much of its time in
// its arenas' locking (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match almanac::run(almanac::cli::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            error.exit_code()
        }
    }
}
