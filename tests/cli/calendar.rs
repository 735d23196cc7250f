//! Calendars read back with the `icalendar` crate's parser and checked line
//! by line against RFC 5545; instants recomputed from TZID + local time.

use crate::support::*;
use chrono::{NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::parser::{read_calendar, unfold};
use std::collections::BTreeSet;
use std::fs;

/// (UID, UTC start, UTC end, SUMMARY) of every VEVENT.
pub fn events(ics: &str) -> Vec<(String, String, String, String)> {
    let unfolded = unfold(ics);
    let calendar = read_calendar(&unfolded).expect("the icalendar parser reads our file");
    calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|event| {
            let get = |name: &str| {
                event
                    .find_prop(name)
                    .map(|p| p.val.as_str().to_string())
                    .unwrap_or_default()
            };
            (
                get("UID"),
                instant(event, "DTSTART"),
                instant(event, "DTEND"),
                get("SUMMARY"),
            )
        })
        .collect()
}

fn instant(event: &icalendar::parser::Component, name: &str) -> String {
    let property = event
        .find_prop(name)
        .unwrap_or_else(|| panic!("{name} missing"));
    let value = property.val.as_str();
    let at = if let Some(utc) = value.strip_suffix('Z') {
        NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
            .unwrap()
            .and_utc()
    } else {
        let tzid = property
            .params
            .iter()
            .find(|p| p.key == "TZID")
            .and_then(|p| p.val.as_ref())
            .expect("no floating times: a local time carries a TZID");
        let zone: Tz = tzid.as_str().parse().unwrap();
        let local = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").unwrap();
        zone.from_local_datetime(&local)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    };
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The RFC 5545 rules no client checks for us.
pub fn assert_well_formed(name: &str, ics: &str) {
    assert!(ics.ends_with("\r\n"), "{name}: last line not ended by CRLF");
    for (index, line) in ics.split_inclusive('\n').enumerate() {
        assert!(line.ends_with("\r\n"), "{name}:{}: bare LF", index + 1);
        let content = &line[..line.len() - 2];
        assert!(!content.contains('\r'), "{name}:{}: bare CR", index + 1);
        assert!(
            content.len() <= 75,
            "{name}:{}: {} octets",
            index + 1,
            content.len()
        );
        assert!(
            !content.chars().any(|c| c.is_control() && c != '\t'),
            "{name}:{}: control character",
            index + 1
        );
    }
    let unfolded = ics.replace("\r\n ", "");
    let mut tzids = BTreeSet::new();
    let mut vtimezones = BTreeSet::new();
    for line in unfolded.lines() {
        if let Some(rest) = line.strip_prefix("TZID:") {
            vtimezones.insert(rest.to_string());
        }
        if let Some(position) = line.find(";TZID=") {
            let rest = &line[position + 6..];
            tzids.insert(rest[..rest.find([':', ';']).unwrap()].to_string());
        }
    }
    assert!(
        tzids.is_subset(&vtimezones),
        "{name}: TZIDs {tzids:?} without VTIMEZONE {vtimezones:?}"
    );
    for block in unfolded.split("BEGIN:VEVENT").skip(1) {
        let block = &block[..block.find("END:VEVENT").unwrap()];
        for required in [
            "UID:",
            "DTSTAMP:",
            "DTSTART",
            "DTEND",
            "SUMMARY:",
            "SEQUENCE:",
            "STATUS:",
            "URL:",
        ] {
            assert!(
                block.contains(&format!("\r\n{required}")),
                "{name}: VEVENT without {required}"
            );
        }
        for line in block
            .lines()
            .filter(|l| l.starts_with("DTSTART") || l.starts_with("DTEND"))
        {
            // A DATE (an all-day event) is a day, not a floating time.
            let date = line.contains(";VALUE=DATE:")
                && line.rsplit(':').next().is_some_and(|d| d.len() == 8);
            assert!(
                line.contains(";TZID=") || line.ends_with('Z') || date,
                "{name}: floating time {line}"
            );
        }
    }
    for property in [
        "VERSION:2.0",
        "PRODID:",
        "CALSCALE:GREGORIAN",
        "NAME:",
        "X-WR-CALNAME:",
        "REFRESH-INTERVAL;VALUE=DURATION:",
        "X-PUBLISHED-TTL:",
    ] {
        assert!(
            unfolded.contains(&format!("\r\n{property}")),
            "{name}: no {property}"
        );
    }
    assert!(
        !unfolded.contains("METHOD:"),
        "{name}: METHOD without ORGANIZER"
    );
}

#[test]
fn every_sample_calendar_is_well_formed_and_parses() {
    let committed = files(&repo().join("feeds"));
    let calendars: Vec<_> = committed
        .iter()
        .filter(|(path, _)| path.ends_with(".ics"))
        .collect();
    assert!(calendars.len() >= 5);
    for (path, bytes) in calendars {
        let text = std::str::from_utf8(bytes).unwrap();
        assert_well_formed(path, text);
        assert!(!events(text).is_empty(), "{path}");
    }
}

#[test]
fn seed_like_note_is_at_the_right_instants() {
    let ics = std::fs::read_to_string(repo().join("feeds/events/backend-night-7.ics")).unwrap();
    let found: Vec<(String, String, String)> = events(&ics)
        .into_iter()
        .map(|(uid, start, end, _)| (uid, start, end))
        .collect();
    let expected = [
        (
            "backend-night-7-1900@notes.example.org",
            "2024-11-26T10:00:00Z",
            "2024-11-26T10:30:00Z",
        ),
        (
            "backend-night-7-1930@notes.example.org",
            "2024-11-26T10:30:00Z",
            "2024-11-26T10:35:00Z",
        ),
        (
            "backend-night-7-route-k8s@notes.example.org",
            "2024-11-26T10:35:00Z",
            "2024-11-26T10:55:00Z",
        ),
        (
            "backend-night-7-1955@notes.example.org",
            "2024-11-26T10:55:00Z",
            "2024-11-26T11:15:00Z",
        ),
        (
            "backend-night-7-2015@notes.example.org",
            "2024-11-26T11:15:00Z",
            "2024-11-26T11:20:00Z",
        ),
        (
            "backend-night-7-2020@notes.example.org",
            "2024-11-26T11:20:00Z",
            "2024-11-26T11:40:00Z",
        ),
        (
            "backend-night-7-2040@notes.example.org",
            "2024-11-26T11:40:00Z",
            "2024-11-26T12:30:00Z",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn the_dst_night_lasts_its_real_length() {
    let ics = std::fs::read_to_string(repo().join("feeds/events/rust-night-berlin.ics")).unwrap();
    let hack = events(&ics)
        .into_iter()
        .find(|e| e.3.ends_with(": Overnight hack"))
        .unwrap();
    // 23:30 CEST to 04:00 CET: 5½ hours, across the end of summer time.
    assert_eq!(
        (hack.1.as_str(), hack.2.as_str()),
        ("2024-10-26T21:30:00Z", "2024-10-27T03:00:00Z")
    );
}

#[test]
fn text_comes_back_unchanged_through_escaping() {
    let ics = std::fs::read_to_string(repo().join("feeds/calendar.ics")).unwrap();
    let unfolded = unfold(&ics);
    let calendar = read_calendar(&unfolded).unwrap();
    let locations: BTreeSet<String> = calendar
        .components
        .iter()
        .filter_map(|c| c.find_prop("LOCATION").map(|p| p.val.as_str().to_string()))
        .collect();
    assert!(
        locations.contains("Example Tower 12F, 1-2-3 Shibuya, Tokyo"),
        "{locations:?}"
    );
    assert!(
        locations.contains("c-base, Rungestraße 20, 10179 Berlin"),
        "{locations:?}"
    );
}

/// A one-note site with `config` added to its config and `event` in the
/// note's `event` map; its calendar.
fn one_meetup(config: &str, event: &str) -> (std::process::Output, String) {
    let site = site(
        &format!("title: T\nbase_url: https://x.example/\ntimezone: Europe/Berlin\n{config}"),
        &[(
            "m.md",
            &format!(
                "---\ntitle: Rust Night\ndate: 2025-05-01\nevent:\n  location: Hall\n{event}---\n\
                 ## 19:00 Doors open\n## 19:30 Talk\n"
            ),
        )],
    );
    let out = tempfile::tempdir().unwrap();
    let run = build(site.path(), out.path());
    let calendar = fs::read_to_string(out.path().join("calendar.ics")).unwrap_or_default();
    (run, calendar)
}

#[test]
fn events_are_titled_with_their_note_and_link_back_to_it() {
    let (run, calendar) = one_meetup("", "");
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(calendar.contains("SUMMARY:Rust Night: Doors open\r\n"));
    assert!(calendar.contains("DESCRIPTION:https://x.example/m/\r\n"));
    assert!(calendar.contains("X-WR-TIMEZONE:Europe/Berlin\r\n"));
    assert!(!calendar.contains("BEGIN:VALARM"));
    let (_, calendar) = one_meetup("event_title: \"{slot} ({note})\"\n", "");
    assert!(calendar.contains("SUMMARY:Doors open (Rust Night)\r\n"));
    let (run, _) = one_meetup("event_title: \"{note}\"\n", "");
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("almanac.yaml:4: event_title must contain `{slot}`"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn reminders_come_from_the_site_or_the_note() {
    let (run, calendar) = one_meetup("alarm_minutes: 15\n", "");
    assert!(run.status.success(), "{}", stderr(&run));
    let alarm = "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Rust Night: Doors open\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n";
    assert!(calendar.contains(alarm), "{calendar}");
    assert_eq!(calendar.matches("BEGIN:VALARM").count(), 2);
    let (_, calendar) = one_meetup("alarm_minutes: 15\n", "  alarm_minutes: 90\n");
    assert!(calendar.contains("TRIGGER:-PT1H30M\r\n"));
    assert!(!calendar.contains("TRIGGER:-PT15M\r\n"));
}
