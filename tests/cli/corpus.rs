//! The agenda corpus (tests/corpus/README.md) as a ratchet: the reader may
//! only get better at it. The floors are the figures reached; raise them
//! when a change improves the score.

use std::process::Command;

/// Recall and precision the reader has reached; phantom events stay at none.
const MIN_RECALL: f64 = 0.98;
const MIN_PRECISION: f64 = 0.99;

#[test]
fn the_agenda_corpus_scores_at_least_its_floor() {
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new("python3")
        .arg(format!("{root}/tests/corpus/score.py"))
        .arg("--json")
        .arg(env!("CARGO_BIN_EXE_almanac"))
        .output()
        .expect("python3 runs the corpus scorer");
    assert!(
        output.status.success(),
        "scorer failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the scorer prints JSON");
    let totals = &report["totals"];
    let recall = totals["recall"].as_f64().expect("recall");
    let precision = totals["precision"].as_f64().expect("precision");
    let phantoms = totals["phantom"].as_u64().expect("phantom");
    assert!(recall >= MIN_RECALL, "recall {recall:.3} < {MIN_RECALL}");
    assert!(
        precision >= MIN_PRECISION,
        "precision {precision:.3} < {MIN_PRECISION}"
    );
    assert_eq!(phantoms, 0, "phantom events");
}

/// `almanac slots --explain` on corpus notes names, line by line, the rule
/// that made each day, slot, end and non-slot.
#[test]
fn explain_gives_the_reason_for_each_line() {
    let root = env!("CARGO_MANIFEST_DIR");
    let corpus = format!("{root}/tests/corpus/agendas");
    let explain = |note: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_almanac"))
            .args(["slots", "--explain", "--config"])
            .arg(format!("{corpus}/almanac.yaml"))
            .arg(format!("{corpus}/content/{note}"))
            .output()
            .expect("almanac runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let grid = explain("07-html-rowspan-grid.md");
    for reason in [
        "07-html-rowspan-grid.md:19: table header naming days: column 2 is 2022-06-21, column 3 is 2022-06-22",
        "07-html-rowspan-grid.md:31: day-per-column cell: `Exposé invité` on 2022-06-21 at 09:15, until 10:15 (its rowspan)",
    ] {
        assert!(grid.contains(reason), "missing `{reason}` in:\n{grid}");
    }
    let list = explain("54-durations-noon-adjourn.md");
    for reason in [
        "54-durations-noon-adjourn.md:10: labelled date: the agenda is on 2025-04-05",
        "54-durations-noon-adjourn.md:15: slot: a list item opening with a time (9:00)",
        "54-durations-noon-adjourn.md:23: end: `Adjourn` ends the slot before it and is no event",
    ] {
        assert!(list.contains(reason), "missing `{reason}` in:\n{list}");
    }
    let record = explain("42-incident-timeline.md");
    assert!(
        record.contains("no slot: most times here are off five-minute marks"),
        "{record}"
    );
    let table = explain("09-table-godzina-dotted.md");
    assert!(
        table.contains("09-table-godzina-dotted.md:17: table header: time in column 1 (`Godzina`), title in column 2 (`Plan`)"),
        "{table}"
    );
}
