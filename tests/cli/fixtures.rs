//! Fixture sites under `tests/fixtures/<case>/`: valid ones are built and
//! their outputs snapshotted; `invalid-*` ones must fail with `path:line`
//! messages and leave the output folder untouched.

use crate::calendar::{assert_well_formed, events};
use crate::support::*;
use std::fs;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Builds a valid fixture, checks every calendar, and snapshots each file.
fn snapshot_fixture(name: &str) {
    let out = tempfile::tempdir().unwrap();
    let output = build(&fixture(name), out.path());
    assert!(output.status.success(), "{name}: {}", stderr(&output));
    for (path, bytes) in files(out.path()) {
        let text = String::from_utf8(bytes).unwrap();
        if path.ends_with(".ics") {
            assert_well_formed(&path, &text);
        }
        let snapshot = format!("{name}__{}", path.replace('/', "__"));
        insta::assert_snapshot!(snapshot, text);
    }
}

#[test]
fn house_format_fixture() {
    snapshot_fixture("house");
}

#[test]
fn escaping_fixture() {
    snapshot_fixture("escaping");
}

#[test]
fn agenda_forms_fixture() {
    snapshot_fixture("forms");
}

#[test]
fn all_day_fixture() {
    snapshot_fixture("all-day");
}

#[test]
fn agenda_forms_are_at_the_right_instants() {
    let out = tempfile::tempdir().unwrap();
    assert!(build(&fixture("forms"), out.path()).status.success());
    let calendar = fs::read_to_string(out.path().join("calendar.ics")).unwrap();
    let found: Vec<(String, String, String)> = events(&calendar)
        .into_iter()
        .map(|(_, start, end, summary)| (start, end, summary))
        .collect();
    let expected = [
        // New York, a day before DST begins; 12-hour times; `Fin` is a site end marker.
        (
            "2024-03-10T00:00:00Z",
            "2024-03-10T00:30:00Z",
            "List items, ranges and 12-hour times: Doors",
        ),
        (
            "2024-03-10T00:30:00Z",
            "2024-03-10T01:15:00Z",
            "List items, ranges and 12-hour times: Keynote — Dana Example",
        ),
        (
            "2024-03-10T01:15:00Z",
            "2024-03-10T04:30:00Z",
            "List items, ranges and 12-hour times: Q&A",
        ),
        (
            "2024-03-10T04:30:00Z",
            "2024-03-10T05:30:00Z",
            "List items, ranges and 12-hour times: Late session",
        ),
        (
            "2024-03-10T05:30:00Z",
            "2024-03-10T06:00:00Z",
            "List items, ranges and 12-hour times: After midnight",
        ),
        // Berlin, the day summer time ends; 02:00–04:00 on the 27th is 3 real hours.
        (
            "2024-10-26T08:00:00Z",
            "2024-10-26T08:30:00Z",
            "表形式のタイムテーブル: オープニング",
        ),
        (
            "2024-10-26T08:30:00Z",
            "2024-10-26T09:15:00Z",
            "表形式のタイムテーブル: 基調講演 — 山本",
        ),
        (
            "2024-10-26T09:15:00Z",
            "2024-10-26T09:30:00Z",
            "表形式のタイムテーブル: 休憩",
        ),
        (
            "2024-10-26T20:00:00Z",
            "2024-10-26T20:45:00Z",
            "Two days in Berlin: Evening hack",
        ),
        (
            "2024-10-27T00:00:00Z",
            "2024-10-27T03:00:00Z",
            "Two days in Berlin: Early shift",
        ),
        (
            "2024-10-27T09:00:00Z",
            "2024-10-27T09:45:00Z",
            "Two days in Berlin: Demos",
        ),
        // Cancelled: still published, so subscribers remove them.
        (
            "2024-11-05T17:30:00Z",
            "2024-11-05T18:00:00Z",
            "Cancelled meetup: Doors",
        ),
        (
            "2024-11-05T18:00:00Z",
            "2024-11-05T19:00:00Z",
            "Cancelled meetup: Talk",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(found, expected);
    let cancelled = fs::read_to_string(out.path().join("events/cancelled.ics")).unwrap();
    assert_eq!(cancelled.matches("STATUS:CANCELLED\r\n").count(), 2);
    assert_eq!(
        cancelled.matches("SEQUENCE:2\r\n").count(),
        2,
        "a cancellation bumps SEQUENCE"
    );
}

#[test]
fn invalid_notes_are_all_reported_and_nothing_is_replaced() {
    let out = tempfile::tempdir().unwrap();
    // A previously published site that must survive the failed run.
    fs::write(out.path().join("atom.xml"), "old feed").unwrap();
    fs::create_dir(out.path().join("events")).unwrap();
    fs::write(out.path().join("events/a-good.ics"), "old calendar").unwrap();
    let before = files(out.path());
    let output = build(&fixture("invalid-notes"), out.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(files(out.path()), before);
    let prefix = format!("{}/", fixture("invalid-notes").display());
    let report = stderr(&output).replace(&prefix, "");
    insta::assert_snapshot!("invalid-notes__stderr", report);
}

#[test]
fn check_lists_the_same_problems_and_writes_nothing() {
    let site = fixture("invalid-notes");
    let output = almanac(&[
        "check",
        "--config",
        site.join("almanac.yaml").to_str().unwrap(),
        "--now",
        NOW,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("content/dst-gap.md:7: 02:30 does not exist"),
        "{}",
        stderr(&output)
    );
    assert!(!Path::new(&site.join("feeds")).exists());
}
