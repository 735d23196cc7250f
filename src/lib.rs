//! almanac: a folder of Markdown notes → Atom, RSS, JSON Feed and iCalendar.
//!
//! ```text
//! content/*.md ─▶ source (walk, read, split) ─▶ note (front matter, agenda) ─▶ site
//! site ─▶ render::{atom, rss, json_feed, ics} ─▶ publish (write if changed, atomically)
//! ```

pub mod cli;
mod command;
pub mod config;
mod digest;
mod incremental;
pub mod model;
pub mod note;
pub mod problem;
mod publish;
pub mod render;
pub mod site;
pub mod source;
mod yaml;

use anyhow::{Context, Result};
use chrono::Utc;
use cli::{Cli, Command, Paths};
use command::{build, manifest, progress, watch};
use config::SiteConfig;
use incremental::cache;
use problem::Problem;
use publish::lock;
use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Exit code for invalid notes (and failed writes).
pub const EXIT_INVALID: u8 = 1;
/// Exit code for usage and configuration errors.
pub const EXIT_CONFIG: u8 = 2;
/// Exit code when another run holds the output folder past `--lock-timeout`.
pub const EXIT_LOCKED: u8 = 3;

/// Runs one command; errors that are not about notes come back as `Err`.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build(args) => {
            let paths = Paths::resolve(&args.site, args.out.as_ref(), args.cache.as_ref());
            let mode = Mode::Build {
                quiet: args.quiet,
                lock_timeout: std::time::Duration::from_secs(args.lock_timeout),
            };
            if args.watch {
                let build = || site_command(&paths, args.site.now, mode);
                return watch::watch(&paths, build);
            }
            site_command(&paths, args.site.now, mode)
        }
        Command::Check(args) => {
            let paths = Paths::resolve(&args.site, None, None);
            site_command(&paths, args.site.now, Mode::Check { json: args.json })
        }
        Command::Slots(args) => slots_command(&args),
    }
}

/// The site config, and a hash of what it was read from (the cache's key).
fn load_config(path: &Path) -> Result<(SiteConfig, u64), String> {
    let text = fs::read(path)
        .map_err(|error| format!("{}: cannot read the site config: {error}", path.display()))
        .and_then(|bytes| {
            source::decode(bytes)
                .map_err(|p| format!("{}:{}: {}", path.display(), p.line, p.message))
        })?;
    let hash = digest::fnv1a(text.as_bytes());
    SiteConfig::parse(&text)
        .map(|config| (config, hash))
        .map_err(|error| {
            format!(
                "{}:{}: {}",
                path.display(),
                error.line.unwrap_or(1),
                error.message
            )
        })
}

/// What a site command does once the notes are read.
#[derive(Debug, Clone, Copy)]
enum Mode {
    Build {
        quiet: bool,
        lock_timeout: std::time::Duration,
    },
    Check {
        json: bool,
    },
}

fn site_command(paths: &Paths, now: Option<chrono::DateTime<Utc>>, mode: Mode) -> Result<ExitCode> {
    let started = Instant::now();
    // Hold the output folder for the whole run, so an overlapping cron run
    // waits instead of interleaving its writes with ours.
    let _lock = match mode {
        Mode::Build { lock_timeout, .. } => match lock::lock(&paths.out, lock_timeout) {
            Ok(held) => Some(held),
            Err(error) => {
                eprintln!("almanac: {error}");
                let code = match error {
                    lock::LockError::Busy(..) => EXIT_LOCKED,
                    lock::LockError::Io(..) => EXIT_INVALID,
                };
                return Ok(ExitCode::from(code));
            }
        },
        Mode::Check { .. } => None,
    };
    let (config, config_hash) = match load_config(&paths.config) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("{message}");
            return Ok(ExitCode::from(EXIT_CONFIG));
        }
    };
    // The cache is valid for one config, one content folder and one build of
    // almanac (a rebuilt binary may parse or render differently).
    // The folder as the file system names it: a cron job's absolute path
    // and a hand run's relative one share the cache.
    let content = fs::canonicalize(&paths.content).unwrap_or_else(|_| paths.content.clone());
    let cache_key = config_hash
        ^ digest::fnv1a(content.to_string_lossy().as_bytes())
        ^ cache::binary_identity();
    let cache = match mode {
        Mode::Build { .. } => cache::Cache::load(&paths.cache, cache_key),
        Mode::Check { .. } => cache::Cache::default(),
    };
    let files = match source::note_files(&paths.content) {
        Ok(files) => files,
        Err(error) => {
            eprintln!(
                "{}: cannot read the content folder: {error}",
                paths.content.display()
            );
            return Ok(ExitCode::from(EXIT_CONFIG));
        }
    };
    let note_count = files.len();
    let now = now.unwrap_or_else(Utc::now);
    if let Mode::Build { quiet, .. } = mode {
        // Nothing changed since the last run: not one note is read.
        if let Some(same) = cache.unchanged(&files, now)
            && let Some(published) = publish::intact(&paths.out)
        {
            if !quiet {
                println!(
                    "{} notes, {} drafts skipped, 0 files written, {published} unchanged in {:.2} s",
                    same.notes,
                    same.drafts,
                    started.elapsed().as_secs_f64()
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
    }
    let progress = progress::Progress::new(
        files.len(),
        matches!(mode, Mode::Build { quiet: true, .. } | Mode::Check { .. }),
    );
    // A build writes the next run's notes file as it reads the notes: each
    // note's rendered events and cached form (check mode renders nothing,
    // and keeps the slots whole for `check --json`).
    let notes = match mode {
        Mode::Build { .. } => Some(
            cache::notes_writer(&paths.cache, &cache)
                .with_context(|| format!("writing the cache in {}", paths.cache.display()))?,
        ),
        Mode::Check { .. } => None,
    };
    let assembled = site::assemble(
        &config,
        files,
        now,
        &cache,
        &|| progress.tick(),
        notes.as_ref().map(|(writer, _)| writer),
    );
    progress.finish();
    report(&assembled.problems);
    let Some(mut site) = assembled.site else {
        let errors = assembled.problems.iter().filter(|p| p.is_error()).count();
        eprintln!(
            "almanac: {errors} error{} in the notes; nothing was published",
            if errors == 1 { "" } else { "s" }
        );
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let quiet = match mode {
        Mode::Build { quiet, .. } => quiet,
        Mode::Check { json: true } => {
            let manifest = manifest::manifest(&site);
            println!("{}", serde_json::to_string_pretty(&manifest)?);
            return Ok(ExitCode::SUCCESS);
        }
        Mode::Check { json: false } => {
            println!(
                "{} notes ({} drafts skipped), {} slots, {} files: no problems",
                site.notes.len(),
                site.drafts,
                site.notes.iter().map(|n| n.slots.len()).sum::<usize>(),
                render::plan(&site).len()
            );
            return Ok(ExitCode::SUCCESS);
        }
    };
    let writing_cache = || format!("writing the cache in {}", paths.cache.display());
    if let Some(error) = assembled.spool_error {
        return Err(error).with_context(writing_cache);
    }
    let (writer, generation) = notes.expect("a build writes its cache");
    let spool = writer.seal().with_context(writing_cache)?;
    let visible = site::visibility(&site);
    let unchanged = !assembled.changed && cache.visible() == Some(visible);
    let (published, spool) = match publish::intact(&paths.out).filter(|_| unchanged) {
        // Nothing read, nothing rendered: the published files are current.
        Some(files) => {
            let report = publish::Report {
                unchanged: files,
                ..publish::Report::default()
            };
            (report, spool)
        }
        None => {
            let mut touched = assembled.touched;
            // Another set of notes in the feeds: every feed changes.
            touched.all_feeds |= cache.visible() != Some(visible);
            let shared = render::Shared::new(&site, assembled.events, spool);
            cache::forget(&paths.cache).with_context(writing_cache)?;
            match build::publish_site(&mut site, &config, &paths.out, &touched, shared)? {
                build::Built::Published(report, spool) => (report, spool),
                build::Built::Changed(problems) => {
                    report(&problems);
                    eprintln!("almanac: notes changed while building; nothing was published");
                    return Ok(ExitCode::from(EXIT_INVALID));
                }
            }
        }
    };
    // Saved even when nothing changed: the notes file is already written,
    // and a run that got here had notes whose mtimes moved (a checkout, a
    // copy); with their new mtimes indexed, the next run reads none of them.
    cache::save(
        &paths.cache,
        cache_key,
        visible,
        assembled.entries,
        (spool, generation),
    )
    .with_context(writing_cache)?;
    if !quiet {
        println!(
            "{note_count} notes, {} drafts skipped, {} files written, {} unchanged{} in {:.2} s",
            site.drafts,
            published.written,
            published.unchanged,
            if published.removed > 0 {
                format!(", {} removed", published.removed)
            } else {
                String::new()
            },
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn report(problems: &[Problem]) {
    for problem in problems {
        eprintln!("{problem}");
    }
}

/// `almanac slots PATH…`: the slots each note gives, as a table.
fn slots_command(args: &cli::SlotsArgs) -> Result<ExitCode> {
    let config = match load_config(&args.config) {
        Ok((config, _)) => config,
        Err(message) => {
            eprintln!("{message}");
            return Ok(ExitCode::from(EXIT_CONFIG));
        }
    };
    let mut failed = false;
    for path in &args.paths {
        let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let text = match source::decode(bytes) {
            Ok(text) => text,
            Err(problem) => {
                eprintln!("{}", problem.in_file(path));
                failed = true;
                continue;
            }
        };
        let relative = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match note::parse(path, &relative, &text, &config) {
            note::Outcome::Draft => println!("{}: draft, skipped", path.display()),
            note::Outcome::Invalid(found) => {
                failed = true;
                report(
                    &found
                        .into_iter()
                        .map(|p| p.in_file(path))
                        .collect::<Vec<_>>(),
                );
            }
            note::Outcome::Note(note, warnings) => {
                report(
                    &warnings
                        .into_iter()
                        .map(|p| p.in_file(path))
                        .collect::<Vec<_>>(),
                );
                print!("{}", slot_table(&config, &note));
            }
        }
    }
    Ok(if failed {
        ExitCode::from(EXIT_INVALID)
    } else {
        ExitCode::SUCCESS
    })
}

/// One line per slot: line, start, end, title, speaker, UID.
pub fn slot_table(config: &SiteConfig, note: &model::Note) -> String {
    let mut out = format!("{}\n", note.path.display());
    out.push_str("line\tstart\tend\ttitle\tspeaker\tuid\n");
    for slot in &note.slots {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}-{}@{}\n",
            slot.line,
            slot.start.format("%Y-%m-%d %H:%M %Z"),
            slot.end.format("%Y-%m-%d %H:%M %Z"),
            slot.title,
            slot.speaker
                .as_ref()
                .map(|s| s.display())
                .unwrap_or_default(),
            note.slug,
            slot.id,
            config.host()
        ));
    }
    out
}
