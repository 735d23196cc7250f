//! Incremental runs render only what a change reaches, and always publish
//! what a build from scratch would: checked over a long, varied sequence of
//! edits on a site whose feeds are full (`feed_limit` below its notes).

use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};

/// One note of the test site, as the edits leave it.
#[derive(Clone)]
struct Note {
    day: u32,
    tags: Vec<&'static str>,
    title: String,
    intro: String,
    talk: String,
    draft: bool,
    /// `publishDate` after the build's "now": left out of feeds.
    scheduled: bool,
    present: bool,
}

impl Note {
    /// Meetup `index` on 2025-03-`day`, published, with one talk.
    fn new(index: usize, day: u32, tags: Vec<&'static str>) -> Self {
        Self {
            day,
            tags,
            title: format!("Meetup {index}"),
            intro: format!("Intro of meetup {index}."),
            talk: format!("Talk {index}"),
            draft: false,
            scheduled: false,
            present: true,
        }
    }

    fn text(&self) -> String {
        let mut front = format!(
            "---\ntitle: \"{}\"\ndate: 2025-03-{:02}\ntags: [{}]\n",
            self.title,
            self.day,
            self.tags.join(", ")
        );
        if self.draft {
            front.push_str("draft: true\n");
        }
        if self.scheduled {
            front.push_str("publishDate: 2027-01-01\n");
        }
        format!(
            "{front}---\n\n{}\n\n## 19:00\tDoors open\n\n## 19:30\t{}\n### Speaker Name ◆ Example Inc.\n- point\n  - detail\n-\n\n## 20:30\t終了\n",
            self.intro, self.talk
        )
    }
}

const CONFIG: &str =
    "title: Incremental\nbase_url: https://inc.example.org/\ntimezone: Asia/Tokyo\nfeed_limit: 3\n";

fn write(content: &Path, index: usize, note: &Note) {
    let path = content.join(format!("posts/n{index}.md"));
    if note.present {
        fs::write(path, note.text()).unwrap();
    } else if path.exists() {
        fs::remove_file(path).unwrap();
    }
}

/// Each published file's inode: a file replaced (even by the same bytes)
/// is a new inode.
fn inodes(out: &Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    files(out)
        .into_keys()
        .map(|path| {
            let inode = fs::metadata(out.join(&path)).unwrap().ino();
            (path, inode)
        })
        .collect()
}

/// A site holding `notes`, built once: the site, its content folder and
/// its output folder.
fn published(notes: &[Note]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let site = site(CONFIG, &[]);
    let content = site.path().join("content");
    fs::create_dir_all(content.join("posts")).unwrap();
    for (index, note) in notes.iter().enumerate() {
        write(&content, index, note);
    }
    let out = site.path().join("feeds");
    assert!(build(site.path(), &out).status.success());
    (site, content, out)
}

#[test]
fn every_incremental_run_publishes_what_a_full_build_does() {
    let tags = ["alpha", "beta", "gamma"];
    let mut notes: Vec<Note> = (0..8)
        .map(|i| Note::new(i, 1 + 3 * i as u32, vec![tags[i % 3], tags[(i + 1) % 3]]))
        .collect();
    let (site, content, out) = published(&notes);
    let mut dice = Dice(7);
    for step in 0..40 {
        let index = dice.roll(notes.len());
        let note = &mut notes[index];
        let change = match dice.roll(9) {
            0 => {
                note.intro = format!("Intro rewritten at step {step}.");
                "intro"
            }
            1 => {
                note.talk = format!("Talk renamed at step {step}");
                "talk"
            }
            2 => {
                note.day = 1 + dice.roll(28) as u32;
                "date"
            }
            3 => {
                note.tags = vec![tags[dice.roll(3)]];
                "tags"
            }
            4 => {
                note.draft = !note.draft;
                "draft"
            }
            5 => {
                note.scheduled = !note.scheduled;
                "publishDate"
            }
            6 => {
                note.present = !note.present;
                "presence"
            }
            7 => {
                note.title = format!("Meetup {index}, step {step}");
                "title"
            }
            _ => {
                note.tags.push(tags[dice.roll(3)]);
                note.tags.dedup();
                "another tag"
            }
        };
        write(&content, index, note);
        let before = files(&out);
        let inodes_before = inodes(&out);
        let rerun = build(site.path(), &out);
        assert!(rerun.status.success(), "{}", stderr(&rerun));
        let clean = clean_build(site.path(), &out);
        let after = files(&out);
        assert!(
            after == files(clean.path()),
            "step {step}: note {index}, {change}"
        );
        // A file whose bytes stayed is the same file: never rewritten.
        let inodes_after = inodes(&out);
        for (path, bytes) in &after {
            if before.get(path) == Some(bytes) {
                assert_eq!(
                    inodes_before[path], inodes_after[path],
                    "step {step}: {path} rewritten unchanged ({change})"
                );
            }
        }
    }
}

#[test]
fn an_edit_of_a_note_outside_every_feed_renders_no_feed() {
    let notes: Vec<Note> = (0..5)
        .map(|i| Note::new(i, 1 + i as u32, vec!["alpha"]))
        .collect();
    let (site, content, out) = published(&notes);
    let feeds = [
        "atom.xml",
        "rss.xml",
        "feed.json",
        "tags/alpha/atom.xml",
        "tags/alpha/rss.xml",
    ];
    mark(&out, &feeds);
    let marked = |feed: &str| marked(&out, feed);

    // The oldest note (day 1) is not among the three newest: no feed shows it.
    let mut oldest = notes[0].clone();
    oldest.intro = "Intro rewritten.".into();
    write(&content, 0, &oldest);
    assert!(build(site.path(), &out).status.success());
    assert!(feeds.iter().all(|feed| marked(feed)));

    // Dated newest now: every feed shows it.
    oldest.day = 20;
    write(&content, 0, &oldest);
    assert!(build(site.path(), &out).status.success());
    for feed in feeds {
        assert!(!marked(feed), "{feed}");
        let text = fs::read_to_string(out.join(feed)).unwrap();
        assert!(text.contains("Intro rewritten."), "{feed}");
    }
}

/// A build of `site` at `now` into a new folder beside `published`'s
/// ledger, without a cache: what every incremental run at `now` must match.
fn clean_build_at(site: &Path, published: &Path, now: &str) -> tempfile::TempDir {
    let clean = tempfile::tempdir().unwrap();
    fs::create_dir_all(clean.path().join(".almanac")).unwrap();
    fs::copy(
        published.join(".almanac/ledger"),
        clean.path().join(".almanac/ledger"),
    )
    .unwrap();
    let built = build_at(site, clean.path(), now);
    assert!(built.status.success(), "{}", stderr(&built));
    clean
}

#[test]
fn notes_whose_events_left_the_window_are_read_again_when_their_text_is_needed() {
    // One night a month; with a 40-day window, in May only April's is in
    // the subscribed calendars, and the cache keeps no other's events.
    let site = monthly_nights(4, "\n- Bring a friend\n");
    let out = site.path().join("out");
    let may = "2025-05-01T00:00:00Z";
    let same_as_clean = |now: &str, step: &str| {
        let run = build_at(site.path(), &out, now);
        assert!(run.status.success(), "{step}: {}", stderr(&run));
        let clean = clean_build_at(site.path(), &out, now);
        assert!(files(&out) == files(clean.path()), "{step}");
    };
    same_as_clean(may, "first build");
    let cache = fs::read(out.join(".almanac/notes")).unwrap();
    let held = |text: &str| cache.windows(text.len()).any(|w| w == text.as_bytes());
    assert!(held("UID:n3-1900@w.example.org") && !held("UID:n0-1900@w.example.org"));
    // Its own calendar deleted by hand: written again, the same.
    let own = fs::read(out.join("events/n0.ics")).unwrap();
    fs::remove_file(out.join("events/n0.ics")).unwrap();
    same_as_clean(may, "own calendar deleted");
    assert_eq!(fs::read(out.join("events/n0.ics")).unwrap(), own);
    // An old note's title edited: its own calendar renamed.
    let content = site.path().join("content");
    let text = fs::read_to_string(content.join("n1.md")).unwrap();
    fs::write(content.join("n1.md"), text.replace("Night 1", "Night one")).unwrap();
    same_as_clean(may, "old note retitled");
    // Back in February: the older notes' events are in the window again.
    same_as_clean("2025-02-01T00:00:00Z", "back in February");
    same_as_clean(may, "May again");
    // `--verify` renders every calendar, and finds them as published.
    let verified = almanac(&[
        "build",
        "--verify",
        "--config",
        site.path().join("almanac.yaml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--now",
        may,
    ]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    let summary = String::from_utf8_lossy(&verified.stdout);
    assert!(summary.contains(" 0 files written"), "{summary}");
}
