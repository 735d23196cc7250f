//! Calendars kept in sync over a sequence of edits (docs/outputs.md,
//! "Keeping subscribers in sync"): forty seeded random edits to a small
//! two-day site (times moved, slots added, removed, retitled, moved to the
//! other day, notes re-dated, tags changed), each built and read back. A
//! slot is known by a mark in its body that no edit touches.

use crate::support::*;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;

const CONFIG: &str = "title: Sync\nbase_url: https://sync.example.org/\ntimezone: Europe/Berlin\n\
calendar_max_events: 25\ncalendar_archive: true\n";

#[derive(Clone)]
struct Slot {
    mark: u32,
    minutes: u32,
    title: String,
}

struct Note {
    slug: String,
    day: u32,
    tag: &'static str,
    days: [Vec<Slot>; 2],
}

impl Note {
    fn text(&self) -> String {
        let mut text = format!(
            "---\ntitle: Night {}\ndate: 2026-01-{:02}\ntags: [{}]\n---\n\n",
            self.slug, self.day, self.tag
        );
        for (index, slots) in self.days.iter().enumerate() {
            let mut slots = slots.clone();
            slots.sort_by_key(|slot| slot.minutes);
            text.push_str(&format!("# 2026-01-{:02}\n\n", self.day + index as u32));
            for slot in slots {
                text.push_str(&format!(
                    "## {:02}:{:02} {}\n\nmark-{}\n\n",
                    slot.minutes / 60,
                    slot.minutes % 60,
                    slot.title,
                    slot.mark
                ));
            }
        }
        text
    }

    /// A start time no slot of day `day` has.
    fn free_minutes(&self, day: usize, random: &mut Dice) -> u32 {
        loop {
            let minutes = 9 * 60 + 15 * random.roll(40) as u32;
            if self.days[day].iter().all(|slot| slot.minutes != minutes) {
                return minutes;
            }
        }
    }
}

/// One published event, by the properties the checks compare.
#[derive(Debug, Clone, PartialEq)]
struct Event {
    uid: String,
    sequence: u32,
    modified: String,
    significant: String,
}

/// The events of a calendar by the mark in their description.
fn events(ics: &str) -> BTreeMap<u32, Event> {
    let unfolded = ics.replace("\r\n ", "");
    let mut events = BTreeMap::new();
    for block in unfolded.split("BEGIN:VEVENT\r\n").skip(1) {
        let block = block.split("END:VEVENT").next().unwrap();
        let mut properties: HashMap<&str, &str> = HashMap::new();
        let mut significant = String::new();
        for line in block.split("\r\n").filter(|line| !line.is_empty()) {
            let name = line.split([':', ';']).next().unwrap();
            let value = line.split_once(':').map_or("", |(_, value)| value);
            properties.insert(name, value);
            if ["DTSTART", "DTEND", "SUMMARY", "LOCATION", "STATUS"].contains(&name) {
                significant.push_str(line);
                significant.push('\n');
            }
        }
        let description = properties["DESCRIPTION"];
        let mark: u32 = description
            .split("mark-")
            .nth(1)
            .map(|rest| {
                rest.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .and_then(|digits| digits.parse().ok())
            .expect("every event carries its slot's mark");
        events.insert(
            mark,
            Event {
                uid: properties["UID"].to_string(),
                sequence: properties["SEQUENCE"].parse().unwrap(),
                modified: properties["LAST-MODIFIED"].to_string(),
                significant,
            },
        );
    }
    events
}

/// The feed ids of the site's JSON Feed, by entry URL.
fn feed_ids(out: &Path) -> BTreeMap<String, String> {
    let feed: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("feed.json")).unwrap()).unwrap();
    feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let url = item["url"].as_str().unwrap().to_string();
            (url, item["id"].as_str().unwrap().to_string())
        })
        .collect()
}

fn write(site: &Path, notes: &[Note]) {
    for note in notes {
        fs::write(
            site.join("content").join(format!("{}.md", note.slug)),
            note.text(),
        )
        .unwrap();
    }
}

#[test]
fn forty_edits_keep_every_uid_move_sequences_exactly_and_keep_feed_ids() {
    let site = site(CONFIG, &[]);
    let out = site.path().join("out");
    let mut random = Dice(2024);
    let mut next_mark = 0;
    let mut slot = |random: &mut Dice, minutes: u32| {
        next_mark += 1;
        Slot {
            mark: next_mark,
            minutes,
            title: format!("Talk {}", random.roll(1_000_000)),
        }
    };
    let mut notes: Vec<Note> = ["alpha", "beta", "gamma"]
        .iter()
        .enumerate()
        .map(|(index, slug)| Note {
            slug: slug.to_string(),
            day: 10 + 3 * index as u32,
            tag: ["rust", "go"][index % 2],
            days: [
                (0..4).map(|n| slot(&mut random, 9 * 60 + 60 * n)).collect(),
                (0..3)
                    .map(|n| slot(&mut random, 10 * 60 + 60 * n))
                    .collect(),
            ],
        })
        .collect();
    write(site.path(), &notes);
    // Each run a minute after the last: a changed event's LAST-MODIFIED
    // is the run's moment.
    let built = |step: usize| {
        let now = format!("2026-01-01T{:02}:{:02}:00Z", step / 60, step % 60);
        let run = build_at(site.path(), &out, &now);
        assert!(run.status.success(), "step {step}: {}", stderr(&run));
    };
    built(0);
    let read = || -> BTreeMap<u32, Event> {
        let archive = fs::read_to_string(out.join("archive.ics")).unwrap();
        events(&archive)
    };
    let mut before = read();
    let mut uids: HashMap<String, u32> = before.iter().map(|(m, e)| (e.uid.clone(), *m)).collect();
    let ids = feed_ids(&out);
    let mut changed_events = 0;
    let mut cancellations = 0;
    let mut last_live: HashMap<u32, Event> = before.iter().map(|(m, e)| (*m, e.clone())).collect();
    for step in 1..=40 {
        let note = random.roll(notes.len());
        let kind = random.roll(8);
        let note = &mut notes[note];
        let day = random.roll(2);
        let count = note.days[day].len();
        match kind {
            // A slot's time moves.
            0 | 1 if count > 0 => {
                let minutes = note.free_minutes(day, &mut random);
                note.days[day][random.roll(count)].minutes = minutes;
            }
            // A slot is added.
            2 => {
                let minutes = note.free_minutes(day, &mut random);
                let added = slot(&mut random, minutes);
                note.days[day].push(added);
            }
            // A slot is removed.
            3 if count > 1 => {
                note.days[day].remove(random.roll(count));
            }
            // A slot is retitled.
            4 if count > 0 => {
                let retitled = format!("Retitled {}", random.roll(1_000_000));
                note.days[day][random.roll(count)].title = retitled;
            }
            // A slot moves to the other day, at a time free there.
            5 if count > 1 => {
                let moved = note.days[day].remove(random.roll(count));
                let other = 1 - day;
                let minutes = note.free_minutes(other, &mut random);
                note.days[other].push(Slot { minutes, ..moved });
            }
            // The note is re-dated: every slot moves a day.
            6 => note.day += 1,
            // Its tag changes.
            _ => note.tag = if note.tag == "rust" { "go" } else { "rust" },
        }
        write(site.path(), &notes);
        built(step);
        if step == 20 {
            // The state lost with the cache: rebuilt from what is published.
            fs::remove_dir_all(out.join(".almanac")).unwrap();
            built(step);
        }
        let after = read();
        for (mark, event) in &after {
            // No UID ever names another slot, and a slot keeps its UID.
            let named = *uids.entry(event.uid.clone()).or_insert(*mark);
            assert_eq!(named, *mark, "step {step}: {} changed slots", event.uid);
            let Some(old) = before.get(mark) else {
                continue;
            };
            assert_eq!(old.uid, event.uid, "step {step}: mark {mark} changed UID");
            if old.significant == event.significant {
                assert_eq!(old.sequence, event.sequence, "step {step}: mark {mark}");
                assert_eq!(old.modified, event.modified, "step {step}: mark {mark}");
            } else {
                changed_events += 1;
                assert_eq!(old.sequence + 1, event.sequence, "step {step}: mark {mark}");
                assert_ne!(old.modified, event.modified, "step {step}: mark {mark}");
            }
        }
        // Every calendar that holds an event says the same of it.
        for note in &notes {
            let own = fs::read_to_string(out.join(format!("events/{}.ics", note.slug))).unwrap();
            for (mark, event) in events(&own) {
                assert_eq!(after[&mark], event, "step {step}: mark {mark} in its note");
            }
        }
        let site_calendar = events(&fs::read_to_string(out.join("calendar.ics")).unwrap());
        assert!(site_calendar.len() <= 25, "step {step}: the cap holds");
        for (mark, event) in site_calendar {
            match after.get(&mark) {
                Some(live) => assert_eq!(*live, event, "step {step}: mark {mark} in the site's"),
                // A removed slot: cancelled, one revision after the last
                // one published live.
                None => {
                    let last = &last_live[&mark];
                    assert_eq!(event.uid, last.uid, "step {step}: mark {mark}");
                    assert!(event.significant.contains("STATUS:CANCELLED"), "{event:?}");
                    assert_eq!(
                        event.sequence,
                        last.sequence + 1,
                        "step {step}: mark {mark}"
                    );
                    cancellations += 1;
                }
            }
        }
        // Every slot removed this step is cancelled in the site's calendar.
        let calendar = events(&fs::read_to_string(out.join("calendar.ics")).unwrap());
        for mark in before.keys().filter(|mark| !after.contains_key(mark)) {
            assert!(
                calendar.contains_key(mark),
                "step {step}: mark {mark} cancelled"
            );
        }
        last_live.extend(after.iter().map(|(mark, event)| (*mark, event.clone())));
        assert_eq!(feed_ids(&out), ids, "step {step}: feed ids kept");
        before = after;
    }
    assert!(changed_events > 20, "the edits changed events");
    assert!(cancellations > 0, "some slots were removed and cancelled");
}

/// Builds `site` into `out` at `now`, returning its summary line.
fn summary_at(site: &Path, out: &Path, now: &str) -> String {
    let run = build_at(site, out, now);
    assert!(run.status.success(), "{}", stderr(&run));
    String::from_utf8_lossy(&run.stdout).into_owned()
}

#[test]
fn the_window_moves_with_now_and_a_run_within_it_writes_nothing() {
    let site = monthly_nights(6, "");
    let out = site.path().join("out");
    let count = |path: &str| {
        fs::read_to_string(out.join(path))
            .unwrap()
            .matches("BEGIN:VEVENT")
            .count()
    };
    summary_at(site.path(), &out, "2025-03-01T00:00:00Z");
    // February's, and everything after: 5 of 6.
    assert_eq!(count("calendar.ics"), 5);
    assert_eq!(count("tags/rust/calendar.ics"), 5);
    assert_eq!(count("events/n0.ics"), 1, "a note's own calendar holds all");
    // A day later the window holds the same events: nothing is written.
    let same = summary_at(site.path(), &out, "2025-03-02T00:00:00Z");
    assert!(same.contains(" 0 files written"), "{same}");
    // In May, February's has left.
    let moved = summary_at(site.path(), &out, "2025-05-01T00:00:00Z");
    assert!(!moved.contains(" 0 files written"), "{moved}");
    assert_eq!(count("calendar.ics"), 3);
    assert_eq!(count("tags/rust/calendar.ics"), 3);
    // Back in March, as a clean build then would be.
    summary_at(site.path(), &out, "2025-03-01T00:00:00Z");
    assert_eq!(count("calendar.ics"), 5);
}

#[test]
fn the_caps_keep_the_newest_events_and_say_what_they_left_out() {
    let mut text = "---\ntitle: Long day\ndate: 2025-01-10\n---\n".to_string();
    for hour in 8..20 {
        text.push_str(&format!("## {hour:02}:00 Talk {hour}\n\n"));
    }
    let site = site(
        "title: C\nbase_url: https://c.example.org/\ntimezone: UTC\ncalendar_max_events: 5\n",
        &[("long.md", &text)],
    );
    let out = site.path().join("out");
    let run = build(site.path(), &out);
    assert!(run.status.success());
    let calendar = fs::read_to_string(out.join("calendar.ics")).unwrap();
    assert_eq!(calendar.matches("BEGIN:VEVENT").count(), 5);
    assert!(calendar.contains("Talk 19") && !calendar.contains("Talk 14"));
    let warnings = stderr(&run);
    assert!(
        warnings.contains("calendar.ics: 5 of the 12 events"),
        "{warnings}"
    );
}
