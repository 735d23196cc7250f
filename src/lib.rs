//! almanac: a folder of Markdown notes → Atom, RSS, JSON Feed and iCalendar.
//!
//! ```text
//! content/*.md ─▶ source (walk, read, decode, split) ─▶ note (front matter, agenda) ─▶ Note
//! Notes ─▶ site (sorted, collisions refused) ─▶ Site
//! Site ─▶ render::{atom, rss, json_feed, ics} ─▶ bytes ─▶ publish (write if changed, atomically)
//! ```
//!
//! `incremental` makes a rerun cheap (cache, spool, what a change reaches);
//! `command` holds the subcommands, each a list of these steps.

pub mod cli;
mod command;
pub mod config;
mod digest;
pub mod error;
mod fault;
pub mod generator;
mod incremental;
mod ledger;
pub mod model;
pub mod note;
pub mod problem;
mod publish;
pub mod render;
mod site;
pub mod source;
mod toml;
mod yaml;

use cli::{Cli, Command, Paths};
use command::{build, check, init, init_source, manual, serve, slots, watch};
pub use error::Error;

/// Runs one command.
pub fn run(cli: Cli) -> error::Result {
    match cli.command {
        Command::Build(args) => {
            let options = args.options();
            if options.watch {
                return watch::watch(&options.paths, || build::build(&options));
            }
            build::build(&options)
        }
        Command::Check(args) => {
            let paths = Paths::resolve(&args.site, None, None);
            check::check(&paths, args.site.now, args.json)
        }
        Command::Slots(args) => slots::slots(&args),
        Command::Init(args) => match &args.source {
            Some(source) => init_source::init(source, args.config.as_ref()),
            None => init::init(&args.dir),
        },
        Command::Serve(args) => serve::serve(&args.options(), args.port, args.open),
        Command::New(args) => init::new_note(&args, chrono::Utc::now()),
        Command::Completions(args) => manual::completions(args.shell),
        Command::Man => manual::man(),
    }
}
