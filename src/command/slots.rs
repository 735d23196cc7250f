//! `almanac slots PATH…`: the slots each note gives, as a table, to see
//! what the agenda reader made of a note.

use super::{load, report};
use crate::cli::SlotsArgs;
use crate::cli::{Paths, config_path};
use crate::config::SiteConfig;
use crate::error::{Error, Result};
use crate::model::Note;
use crate::note;
use crate::source;
use anyhow::Context;
use std::fs;
use std::path::PathBuf;

/// `almanac slots PATH…`: the slots each note gives, as a table.
pub fn slots(args: &SlotsArgs) -> Result {
    let paths = Paths {
        config: config_path(args.config.as_ref(), args.source.as_ref()),
        source: args.source.clone(),
        base_url: None,
        drafts: false,
        future: false,
        content_from_source: false,
        content: PathBuf::new(),
        out: PathBuf::new(),
        cache: PathBuf::new(),
    };
    let config = load(&paths)?.config;
    let mut failed = 0;
    for path in &args.paths {
        let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let text = match source::decode(bytes) {
            Ok(text) => text,
            Err(problem) => {
                eprintln!("{}", problem.in_file(path));
                failed += 1;
                continue;
            }
        };
        let relative = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (outcome, reasons) = if args.explain {
            note::agenda::explain::collect(|| note::parse(path, &relative, &text, &config))
        } else {
            (note::parse(path, &relative, &text, &config), Vec::new())
        };
        if args.explain {
            print_reasons(path, reasons, &outcome);
        }
        match outcome {
            note::Outcome::Draft => say!("{}: draft, skipped", path.display()),
            note::Outcome::Invalid(found) | note::Outcome::Kept(_, found) => {
                failed += 1;
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
                {
                    use std::io::Write as _;
                    let _ = write!(std::io::stdout(), "{}", slot_table(&config, &note));
                }
            }
        }
    }
    match failed {
        0 => Ok(()),
        failed => Err(Error::Notes(format!(
            "{failed} of {} notes could not be read",
            args.paths.len()
        ))),
    }
}

/// `path:line: reason` for every line the agenda reader decided about,
/// its warnings among them, in line order.
fn print_reasons(
    path: &std::path::Path,
    mut reasons: Vec<(usize, String)>,
    outcome: &note::Outcome,
) {
    if let note::Outcome::Note(_, warnings) | note::Outcome::Invalid(warnings) = outcome {
        reasons.extend(
            warnings
                .iter()
                .map(|problem| (problem.line, format!("warning: {}", problem.message))),
        );
    }
    // Stable: reasons given for one line keep their order.
    reasons.sort_by_key(|(line, _)| *line);
    let mut out = String::new();
    for (line, reason) in reasons {
        out.push_str(&format!("{}:{line}: {reason}\n", path.display()));
    }
    use std::io::Write as _;
    let _ = write!(std::io::stdout(), "{out}");
}

/// One line per slot: line, start, end, title, speaker, UID.
fn slot_table(config: &SiteConfig, note: &Note) -> String {
    let mut out = format!("{}\n", note.path.display());
    out.push_str("line\tstart\tend\ttitle\tspeaker\tuid\n");
    for slot in &note.slots {
        let text = slot.text.as_ref();
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}-{}@{}\n",
            slot.line,
            slot.start.format("%Y-%m-%d %H:%M %Z"),
            slot.end.format("%Y-%m-%d %H:%M %Z"),
            text.map_or("", |text| text.title.as_str()),
            text.and_then(|text| text.speaker.as_ref())
                .map(|s| s.display())
                .unwrap_or_default(),
            note.slug,
            slot.id,
            config.host()
        ));
    }
    out
}
