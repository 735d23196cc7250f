//! The agenda corpus (tests/corpus/README.md) as a ratchet: the reader may
//! only get better at it. The floors are the figures reached; raise them
//! when a change improves the score.

use std::process::Command;

/// Recall and precision the reader has reached; phantom events stay at none.
const MIN_RECALL: f64 = 0.90;
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
