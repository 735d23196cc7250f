//! The subcommands, one room each.

pub mod build;
pub mod manifest;
pub mod progress;
pub mod watch;
