//! `almanac init [DIR]` and `almanac new "Title"`: a new site to start
//! from, and a new note with its front matter filled in. Neither ever
//! overwrites a file.

use crate::cli::NewArgs;
use crate::config;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use std::fs;
use std::path::{Path, PathBuf};

/// The site config `init` writes, every key explained.
const CONFIG: &str = r#"# almanac's site configuration. Every key: docs/format.md in almanac's repository.
title: My notes                          # the site's name: feed titles, the site calendar's name
base_url: https://notes.example.org/     # where the site is served; permalinks and UIDs derive from it
description: Notes from the meetups I run and attend.
author: { name: Your Name }              # email and url may follow
language: en
timezone: Europe/Berlin                  # an IANA name: the zone of the notes' dates and agenda times
feed_limit: 50                           # entries per feed, newest first; 0 keeps all
default_slot_minutes: 30                 # length of a slot nothing else ends
# feeds_url: https://notes.example.org/feeds/   # where the output folder is served (default base_url + feeds/)
# event_title: "{note}: {slot}"                 # how calendar events are titled
# alarm_minutes: 30                             # a reminder before every event
# calendar_past_days: 90                        # the site's and tags' calendars: events since then, and upcoming
# calendar_max_events: 1000                     # ... at most this many (the oldest leave first)
# calendar_max_bytes: 1000000                   # ... and this many bytes (Google Calendar drops more)
# calendar_archive: true                        # also archive.ics, every event
# cancelled_days: 30                            # a removed slot stays this long as cancelled
"#;

/// The example note `init` writes: a meetup with an agenda.
const EXAMPLE: &str = r#"---
title: "First meetup"
date: 2026-01-15
tags: [meetup]
event:
  location: "Community hall, Room 2"
---
What happens at the first meetup. This paragraph is the feed summary;
the agenda below becomes calendar events.

## 19:00 Doors open

## 19:30 Welcome and introductions

## 19:45 A first talk
### Speaker Name ◆ Their Company

- What the talk is about.

## 21:00 End
"#;

const GITIGNORE: &str = "# almanac's cache and lock, beside the published files\nfeeds/.almanac/\n";

/// Writes a new site into `dir`.
pub fn init(dir: &Path) -> Result {
    let files = [
        (dir.join("almanac.yaml"), CONFIG),
        (dir.join("content/first-meetup.md"), EXAMPLE),
        (dir.join(".gitignore"), GITIGNORE),
    ];
    let taken: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| path.display().to_string())
        .collect();
    if !taken.is_empty() {
        return Err(Error::Config(format!(
            "almanac init: {} already exist; nothing was written",
            taken.join(", ")
        )));
    }
    for (path, text) in &files {
        write_new(path, text)?;
    }
    say!(
        "a new site in {}: edit almanac.yaml, then run `almanac build --config {}`",
        dir.display(),
        dir.join("almanac.yaml").display()
    );
    Ok(())
}

/// Writes a new note titled as `args` says into the site's content folder.
pub fn new_note(args: &NewArgs, now: DateTime<Utc>) -> Result {
    let (config, _) = config::load(&args.config)?;
    let day = args
        .date
        .unwrap_or_else(|| now.with_timezone(&config.timezone).date_naive());
    let base = args.config.parent().map(PathBuf::from).unwrap_or_default();
    let path = base
        .join("content")
        .join(format!("{}.md", slug(&args.title, day)));
    if path.exists() {
        return Err(Error::Config(format!(
            "{}: already exists; nothing was written",
            path.display()
        )));
    }
    write_new(&path, &note(&args.title, day, args.event))?;
    say!("{}", path.display());
    Ok(())
}

/// The text of a new note: its front matter, and with `event` an agenda.
fn note(title: &str, day: NaiveDate, event: bool) -> String {
    // A YAML double-quoted scalar: `\` and `"` escaped, on one line.
    let quoted = title
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace(['\n', '\r'], " ");
    let mut text = format!("---\ntitle: \"{quoted}\"\ndate: {day}\ntags: []\ndraft: true\n");
    if event {
        text.push_str("event:\n  location: \"\"\n");
    }
    text.push_str("---\n");
    text.push_str("Remove `draft: true` above to publish this note.\n");
    if event {
        text.push_str(
            "\n## 19:00 Doors open\n\n## 19:30 Talk title\n### Speaker ◆ Affiliation\n\n## 21:00 End\n",
        );
    }
    text
}

/// A file name for a note titled `title`: its ASCII words, lowercased and
/// joined by `-`; a title with none (`勉強会のまとめ`) is named by its day.
fn slug(title: &str, day: NaiveDate) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    match slug.is_empty() {
        true => format!("{day}-note"),
        false => slug
            .chars()
            .take(80)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string(),
    }
}

/// Writes `text` to a new file at `path`, making its folder; never replaces one.
fn write_new(path: &Path, text: &str) -> Result {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut file = fs::File::options()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|error| Error::Io(anyhow::anyhow!("{}: {error}", path.display())))?;
    std::io::Write::write_all(&mut file, text.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 4).unwrap()
    }

    #[test]
    fn slugs_come_from_the_title_or_the_day() {
        assert_eq!(slug("Rust Night #4: async!", day()), "rust-night-4-async");
        assert_eq!(slug("勉強会のまとめ", day()), "2026-03-04-note");
        assert_eq!(slug("Go 勉強会 2", day()), "go-2");
    }

    #[test]
    fn a_new_note_and_the_example_are_valid_notes() {
        let config = crate::config::SiteConfig::parse(CONFIG).unwrap();
        let text = note("Say \"hi\" \\ bye", day(), true);
        let Outcome::Draft = crate::note::parse(Path::new("n.md"), "n.md", &text, &config) else {
            panic!("a new note is a draft: {text}");
        };
        let published = text.replace("draft: true\n", "");
        let Outcome::Note(note, warnings) =
            crate::note::parse(Path::new("n.md"), "n.md", &published, &config)
        else {
            panic!("a valid note: {published}");
        };
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(note.title, "Say \"hi\" \\ bye");
        assert_eq!(note.slots.len(), 2, "the end marker ends the talk");
        let Outcome::Note(example, _) =
            crate::note::parse(Path::new("e.md"), "e.md", EXAMPLE, &config)
        else {
            panic!("the example is a valid note");
        };
        assert_eq!(example.slots.len(), 3);
    }

    use crate::note::Outcome;
}
