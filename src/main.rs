use clap::Parser;
use std::process::ExitCode;

// A build allocates many small strings on every core at once (blocks, slot
// texts, rendered events); glibc's malloc spent a sixth of a full build in
// its arenas' locking and consolidation (README, Performance).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match almanac::run(almanac::cli::Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("almanac: {error:#}");
            ExitCode::from(almanac::EXIT_INVALID)
        }
    }
}
