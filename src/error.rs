//! One error type for every command: what stopped it, and the exit code
//! that says so to a shell or a cron job. Printed once, by `main`.

use std::fmt;
use std::process::ExitCode;

/// Exit code for invalid notes (and failed writes).
pub const EXIT_INVALID: u8 = 1;
/// Exit code for usage and configuration errors.
pub const EXIT_CONFIG: u8 = 2;
/// Exit code when another run holds the output folder past `--lock-timeout`.
pub const EXIT_LOCKED: u8 = 3;
/// Exit code of `--keep-going` when notes were invalid: the valid ones
/// were published.
pub const EXIT_PARTIAL: u8 = 4;

#[derive(Debug)]
pub enum Error {
    /// The site config or the content folder cannot be used; the message
    /// names the file (and line).
    Config(String),
    /// Notes with errors, each reported already as `path:line`; this is the
    /// closing line.
    Notes(String),
    /// Another run holds the output folder.
    Locked(String),
    /// `--keep-going` published the valid notes; some were invalid, each
    /// reported already as `path:line`.
    Partial(String),
    /// Reading or writing failed.
    Io(anyhow::Error),
}

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Error::Config(_) => EXIT_CONFIG,
            Error::Locked(_) => EXIT_LOCKED,
            Error::Partial(_) => EXIT_PARTIAL,
            Error::Notes(_) | Error::Io(_) => EXIT_INVALID,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Already `path:line: message`, like a compiler's.
            Error::Config(message) => f.write_str(message),
            Error::Notes(message) | Error::Locked(message) | Error::Partial(message) => {
                write!(f, "almanac: {message}")
            }
            Error::Io(error) => write!(f, "almanac: {error:#}"),
        }
    }
}

impl From<anyhow::Error> for Error {
    fn from(error: anyhow::Error) -> Self {
        Error::Io(error)
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        Error::Io(error.into())
    }
}

/// A command's result.
pub type Result<T = ()> = std::result::Result<T, Error>;
