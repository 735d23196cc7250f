use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    match almanac::run(almanac::cli::Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("almanac: {error:#}");
            ExitCode::from(almanac::EXIT_INVALID)
        }
    }
}
