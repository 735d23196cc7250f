//! `almanac build`: the notes read (from the cache where their files are
//! unchanged), the site assembled, the files this run's changes reach
//! rendered and published, and the cache saved for the next run. Each
//! step is a function below; [`build`] is their list.

use super::{assemble, load, note_files, progress::Progress, report};
use crate::cli::BuildOptions;
use crate::config::SiteConfig;
use crate::error::{Error, Result};
use crate::incremental::{HtmlCache, Memory, Published, Reading, Sealed, Spool, Touched};
use crate::ledger::{self, Ledger};
use crate::model::{FeedHtml, Site};
use crate::note;
use crate::problem::LineProblem;
use crate::publish::{self, Report, Sink, lock};
use crate::render::{self, Cancelled, Events, Format, Planned, ics, vtimezone::Zones};
use crate::source::{self, Listing};
use anyhow::Context;
use chrono::Utc;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

/// One build of the site `options` name.
pub fn build(options: &BuildOptions) -> Result {
    let started = Instant::now();
    let paths = &options.paths;
    let _locks = hold(options)?;
    let loaded = load(paths)?;
    let memory = Memory::open(&paths.cache, loaded.hash, &loaded.content, &paths.out);
    let listing = note_files(&loaded.content, loaded.keep)?;
    let now = options.now.unwrap_or_else(Utc::now);
    // Nothing changed since the last run: not one note is read.
    if let Some(same) = memory
        .unchanged(&listing.files, now)
        .filter(|_| listing.problems.is_empty() && !options.verify)
        .filter(|_| Ledger::exists(&paths.out))
        && let Some(published) = publish::intact(&paths.out)
    {
        let report = Report {
            unchanged: published,
            ..Report::default()
        };
        summary(options, same.notes, same.drafts, report, started);
        return Ok(());
    }
    let config = &loaded.config;
    let ledger = Ledger::load(&paths.out, config.host());
    // Events in a cache made beside another ledger may hold other
    // revisions than this one says: every note is read anew. So it is for
    // `--verify`, which renders every note's calendar, and the cache keeps
    // the events of only the notes in the calendars' window.
    let memory = match ledger.rebuilt || options.verify {
        true => memory.forgotten()?,
        false => memory,
    };
    let present = publish::present(&paths.out);
    let published = Published {
        ledger: &ledger,
        now,
        present: &present,
    };
    let (memory, site, passed, mut sealed, next, cancelled) =
        read_site(options, config, memory, &listing, (published, &paths.out))?;
    if options.verify {
        // Every file rendered and compared with what is published.
        sealed.touched = Touched::everything();
    }
    let (same_visible, visible) = memory.same_visible(&site);
    let steady = memory.steady(now);
    // "Now" moved the subscribed calendars' window: they change.
    sealed.touched.calendars.windowed |= !steady;
    let starts = sealed.events.values().flatten().map(|event| event.start);
    let (from, until) = render::window::steady(
        &config.window,
        now,
        starts.chain(cancelled.iter().map(|c| c.event.start)),
    );
    // A cancelled event leaves the calendars when its days are over.
    let leaves = next.ghosts().iter().map(|ghost| ghost.until).min();
    let window = (from, leaves.map_or(until, |leaves| leaves.min(until)));
    let current = !sealed.changed && same_visible && steady && !options.verify;
    let (report, cuts) = match publish::intact(&paths.out).filter(|_| current) {
        // Nothing read, nothing rendered: the published files are current.
        Some(files) => (
            Report {
                unchanged: files,
                ..Report::default()
            },
            Vec::new(),
        ),
        None => {
            // Another set of notes in the feeds: every feed changes.
            sealed.touched.all_feeds |= !same_visible;
            memory.forget()?;
            next.save(&paths.out, &ledger)
                .with_context(|| format!("writing the ledger in {}", paths.out.display()))?;
            publish_site(
                &site,
                (&paths.out, &present),
                (&sealed, &cancelled),
                &memory,
            )?
        }
    };
    // Saved even when nothing changed: the notes file is already written,
    // and a run that got here had notes whose mtimes moved (a checkout, a
    // copy); with their new mtimes indexed, the next run reads none of them.
    memory.save(visible, window, sealed)?;
    tell(options, config, &report, &cuts);
    summary(options, listing.files.len(), site.drafts, report, started);
    match passed {
        0 => Ok(()),
        errors => Err(Error::Partial(format!(
            "{errors} error{} in the notes; the other notes were published (--keep-going)",
            super::plural(errors)
        ))),
    }
}

/// The output folder, held for the whole run so an overlapping cron run
/// waits instead of interleaving its writes with ours; and a cache folder
/// elsewhere, which two output folders sharing it would interleave in.
fn hold(options: &BuildOptions) -> Result<(lock::RunLock, Option<lock::RunLock>)> {
    let paths = &options.paths;
    let output = lock::lock(&paths.out, options.lock_timeout).map_err(locked)?;
    let cache = match paths.cache != paths.out.join(publish::STATE_DIR) {
        true => Some(lock::lock_folder(&paths.cache, options.lock_timeout).map_err(locked)?),
        false => None,
    };
    Ok((output, cache))
}

/// What [`read_site`] gives: the memory it read with, the site, how many
/// notes `--keep-going` left out, the sealed events, the ledger after this
/// run, and its cancelled events, their text in the spool.
type SiteRead = (Memory, Site, usize, Sealed, Ledger, Vec<Cancelled>);

/// Every note read (from the cache where its file is unchanged) and the
/// site assembled, with how many notes `--keep-going` left out; read again
/// from nothing if the cache proves damaged.
fn read_site(
    options: &BuildOptions,
    config: &SiteConfig,
    mut memory: Memory,
    listing: &Listing,
    (published, out): (Published, &Path),
) -> Result<SiteRead> {
    let files = &listing.files;
    let progress = Progress::new(files.len(), options.quiet);
    let keep_going = options.keep_going || config.keep_going;
    loop {
        let mut reading = memory.read(config, files, published, &|| progress.tick())?;
        if options.verbose {
            let parsed = reading.parsed.len();
            say!(
                "read {parsed} notes anew, {} from the cache",
                files.len() - parsed
            );
            for path in &reading.parsed {
                say!("  read {}", path.display());
            }
        }
        let outcomes = std::mem::take(&mut reading.outcomes);
        let listed = listing.problems.clone();
        let (site, passed) = assemble(config, published.now, outcomes, listed, keep_going)?;
        let kept = std::mem::take(&mut reading.kept);
        let next = ledger::next(&site, published.ledger, kept, out, published.now);
        let cancelled = spool_cancelled(&next, &reading, &memory)?;
        let sealed = reading.seal(&memory)?;
        if memory.events_intact(&sealed, options.verify) {
            progress.finish();
            return Ok((memory, site, passed, sealed, next, cancelled));
        }
        // A damaged cache is a miss, never published: read everything anew.
        memory = memory.forgotten()?;
    }
}

/// The cancelled events `ledger` keeps, their text put in the spool
/// beside the notes' events.
fn spool_cancelled(ledger: &Ledger, reading: &Reading, memory: &Memory) -> Result<Vec<Cancelled>> {
    let mut cancelled = Vec::new();
    for ghost in ledger.ghosts() {
        let text = reading
            .append(ghost.text.as_bytes())
            .with_context(|| memory.describe())?;
        cancelled.push(Cancelled {
            event: ics::EventRef {
                start: ghost.start_utc(),
                uid: ghost.uid.clone(),
                zone: ghost.zone,
                years: ghost.years,
                text,
            },
            tags: ghost.tags.clone(),
        });
    }
    Ok(cancelled)
}

/// What a run says after publishing: stale files it could not remove,
/// calendars whose caps cut into their window, hub pings that failed, and
/// with `--verbose` each file written.
fn tell(options: &BuildOptions, config: &SiteConfig, report: &Report, cuts: &[String]) {
    for kept in report.kept.iter().chain(cuts) {
        eprintln!("almanac: warning: {kept}");
    }
    if let Some(hub) = &config.websub_hub {
        for failed in super::websub::ping(config, hub, &report.written_paths) {
            eprintln!("almanac: warning: {failed}");
        }
    }
    if options.verbose {
        for path in &report.written_paths {
            say!("  wrote {path}");
        }
    }
}

/// A lock that could not be had: busy (exit 3), or an I/O error.
fn locked(error: lock::LockError) -> Error {
    match error {
        lock::LockError::Busy(..) => Error::Locked(error.to_string()),
        lock::LockError::Io(..) => Error::Io(error.into()),
    }
}

/// Renders and publishes the files of `site` under `out`, rendering only
/// those this run's changes reach (the others are as the last run wrote
/// them: the cache is only trusted for the same config and binary); with
/// what each written calendar's caps cut, in plan order.
fn publish_site(
    site: &Site,
    (out, present): (&Path, &HashSet<String>),
    (sealed, cancelled): (&Sealed, &[Cancelled]),
    memory: &Memory,
) -> Result<(Report, Vec<String>)> {
    let plan = render::plan(site);
    let touched = &sealed.touched;
    // Which files this run's changes reach, worked out once for each, and
    // from that which are current as published.
    let reached: Vec<bool> = plan
        .iter()
        .map(|planned| touched.reaches(site, planned))
        .collect();
    let current: Vec<bool> = plan
        .iter()
        .zip(&reached)
        .map(|(planned, reached)| !reached && present.contains(&planned.path))
        .collect();
    let html = feed_html(site, &plan, &current, sealed, memory)?;
    let compared = compared(&plan, &reached, touched, present);
    let zones = Zones::for_site(site);
    let files: Vec<String> = plan.iter().map(|planned| planned.path.clone()).collect();
    let cuts = std::sync::Mutex::new(Vec::new());
    let write = |index: usize, sink: &mut dyn Sink| {
        if current[index] {
            return Ok(false);
        }
        let planned = &plan[index];
        let events = (&sealed.events, cancelled, &zones, &sealed.spool);
        let cut = write_file(site, planned, &plan, &html, events, sink)?;
        if let Some(cut) = cut {
            cuts.lock().expect("no writer panics").push((index, cut));
        }
        Ok(true)
    };
    // The events of notes out of the window were spooled for this run's
    // calendars only: gone, unwritten, before the sync.
    let release = || sealed.spool.release();
    let report = publish::publish_rendered(out, &files, &compared, write, release)
        .with_context(|| format!("publishing to {}", out.display()))?;
    let mut cuts = cuts.into_inner().expect("no writer panics");
    cuts.sort_by_key(|(index, _)| *index);
    let cuts = cuts
        .into_iter()
        .map(|(index, cut)| cut_warning(site, &plan[index].path, cut))
        .collect();
    Ok((report, cuts))
}

/// Says that a calendar's caps left out events its window holds: its
/// subscribers miss them.
fn cut_warning(site: &Site, path: &str, cut: render::window::Cut) -> String {
    let window = &site.config.window;
    format!(
        "{path}: {} of the {} events of the last {} days and upcoming kept (calendar_max_events {}, calendar_max_bytes {}); the oldest were left out",
        cut.kept, cut.in_window, window.past_days, window.max_events, window.max_bytes
    )
}

/// What to compare with before writing: the published files, less the
/// calendars known to differ (a changed event, a new name), whose
/// comparison would read a large site's whole calendar to find the
/// difference at its end.
fn compared(
    plan: &[Planned],
    reached: &[bool],
    touched: &Touched,
    present: &HashSet<String>,
) -> HashSet<String> {
    plan.iter()
        .zip(reached)
        .filter(|(planned, _)| present.contains(&planned.path))
        .filter(|(planned, reached)| !(**reached && touched.differs_when_reached(planned)))
        .map(|(planned, _)| planned.path.clone())
        .collect()
}

/// Writes one planned file into `sink`: a feed rendered whole, a calendar
/// as its header and its events spliced from the spool.
fn write_file(
    site: &Site,
    planned: &Planned,
    plan: &[Planned],
    html: &FeedHtml,
    (events, cancelled, zones, spool): (&Events, &[Cancelled], &Zones, &Spool),
    sink: &mut dyn Sink,
) -> std::io::Result<Option<render::window::Cut>> {
    match planned.format {
        Format::Calendar => {}
        Format::Page => {
            sink.write_all(render::browser_file(site, plan, planned).as_bytes())?;
            return Ok(None);
        }
        Format::Atom | Format::Rss | Format::JsonFeed => {
            let feed = render::feed(site, planned, html).map_err(std::io::Error::other)?;
            sink.write_all(&feed)?;
            return Ok(None);
        }
    }
    let calendar = render::calendar(site, planned, events, cancelled, zones);
    sink.write_all(calendar.head.as_bytes())?;
    spool.copy_runs(&calendar.runs, sink)?;
    sink.write_all(ics::END)?;
    Ok(calendar.cut)
}

/// The content HTML of the entries of the feeds this run writes (those
/// not `current`). Each note is read again; one that cannot be (removed or
/// broken since it was parsed) is an error, and the run publishes
/// nothing. One edited meanwhile gives its new body, and the next run,
/// seeing its new mtime, parses it all again.
///
/// An entry whose note is unchanged since a run that rendered it takes the
/// HTML that run kept; the HTML of every note some feed shows is kept for
/// the next run.
fn feed_html(
    site: &Site,
    plan: &[Planned],
    current: &[bool],
    sealed: &Sealed,
    memory: &Memory,
) -> Result<FeedHtml> {
    // No feed written: each shows the notes it showed when the last run
    // wrote it, whose HTML that run kept. The file (7 MB at 10,000 notes)
    // is then neither read nor written.
    let writes_feed = plan
        .iter()
        .zip(current)
        .any(|(planned, current)| is_feed(planned.format) && !*current);
    if !writes_feed {
        return Ok(FeedHtml::new());
    }
    let needed: HashSet<&Path> = plan
        .iter()
        .zip(current)
        .filter(|(planned, current)| is_feed(planned.format) && !**current)
        .flat_map(|(planned, _)| planned.selection.entries(site))
        .map(|note| note.path.as_path())
        .collect();
    let limit = site.config.max_note_bytes;
    let mut kept = memory.html();
    let hash = |note: &crate::model::Note| sealed.hashes.get(&note.path).copied();
    let rendered: Vec<_> = site
        .notes
        .par_iter()
        .filter(|note| needed.contains(note.path.as_path()))
        .map(|note| {
            if let Some(html) = hash(note).and_then(|hash| kept.get(&note.path, hash)) {
                return (note, Ok(html.to_string()));
            }
            let size = std::fs::metadata(&note.path).map_or(0, |meta| meta.len());
            let _held = source::budget::hold(size);
            let html = source::read_note(&note.path, limit).and_then(|text| {
                note::feed_html(
                    &text,
                    note,
                    site.config.max_entry_bytes,
                    site.config.rules.as_ref(),
                )
            });
            (note, html)
        })
        .collect();
    let mut html = FeedHtml::with_capacity(rendered.len());
    let mut problems = Vec::new();
    for (note, rendered) in rendered {
        match rendered {
            Ok(text) => {
                if let Some(hash) = hash(note) {
                    kept.insert(&note.path, hash, text.clone());
                }
                html.insert(note.path.clone(), text);
            }
            Err(problem) => problems.push(
                LineProblem::error(1, format!("changed while building: {}", problem.message))
                    .in_file(&note.path),
            ),
        }
    }
    if !problems.is_empty() {
        report(&problems);
        return Err(Error::Notes(
            "notes changed while building; nothing was published".into(),
        ));
    }
    keep_html(site, plan, kept, memory)?;
    Ok(html)
}

/// Keeps for the next run the HTML of what any feed shows, whether or not
/// this run writes that feed.
fn keep_html(site: &Site, plan: &[Planned], kept: HtmlCache, memory: &Memory) -> Result {
    let shown: HashSet<&Path> = plan
        .iter()
        .filter(|planned| is_feed(planned.format))
        .flat_map(|planned| planned.selection.entries(site))
        .map(|note| note.path.as_path())
        .collect();
    Ok(memory.save_html(kept, |path| shown.contains(path))?)
}

fn is_feed(format: Format) -> bool {
    matches!(format, Format::Atom | Format::Rss | Format::JsonFeed)
}

/// The run's one line on standard output, unless `--quiet`.
fn summary(options: &BuildOptions, notes: usize, drafts: usize, report: Report, started: Instant) {
    if options.quiet {
        return;
    }
    say!(
        "{notes} notes, {drafts} drafts skipped, {} files written, {} unchanged{} in {:.2} s",
        report.written,
        report.unchanged,
        if report.removed > 0 {
            format!(", {} removed", report.removed)
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64()
    );
}
