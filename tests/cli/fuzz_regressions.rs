//! Every input a fuzz target once failed on (`tests/fuzz-regressions/`),
//! built as a one-note site: it must be refused with an error, or publish
//! files our strict readers accept.

use crate::calendar::assert_well_formed;
use crate::support::*;
use std::fs;

#[test]
fn inputs_that_once_failed_now_build_or_are_refused() {
    let dir = repo().join("tests/fuzz-regressions");
    let mut seen = 0;
    for entry in fs::read_dir(&dir).unwrap().flatten() {
        seen += 1;
        let site = site(
            "title: Fuzz & <co>\nbase_url: https://fuzz.example/\ntimezone: Asia/Tokyo\n",
            &[],
        );
        fs::copy(entry.path(), site.path().join("content/note.md")).unwrap();
        let out = site.path().join("feeds");
        // The end of time, as in the fuzz target: every note is in the feeds.
        let output = almanac(&[
            "build",
            "--config",
            site.path().join("almanac.yaml").to_str().unwrap(),
            "--now",
            "9999-12-31T23:59:59Z",
        ]);
        let name = entry.file_name().to_string_lossy().into_owned();
        match output.status.code() {
            Some(0) => {
                for (path, bytes) in files(&out) {
                    let text = String::from_utf8(bytes).unwrap();
                    if path.ends_with(".ics") {
                        assert_well_formed(&format!("{name}: {path}"), &text);
                    } else if path.ends_with("atom.xml") {
                        atom_syndication::Feed::read_from(text.as_bytes())
                            .unwrap_or_else(|e| panic!("{name}: {path}: {e}"));
                    } else if path.ends_with("rss.xml") {
                        rss::Channel::read_from(text.as_bytes())
                            .unwrap_or_else(|e| panic!("{name}: {path}: {e}"));
                    } else if path.ends_with(".xsl") {
                        // The feeds' stylesheet: nothing of the notes in it.
                        assert!(text.starts_with("<?xml "), "{name}: {path}");
                        assert!(text.ends_with("</xsl:stylesheet>\n"), "{name}: {path}");
                    } else if path.ends_with(".html") {
                        // The subscribe page: every note text escaped.
                        assert!(text.starts_with("<!DOCTYPE html>"), "{name}: {path}");
                        assert!(!text.contains("<script"), "{name}: {path}");
                    } else {
                        serde_json::from_str::<serde_json::Value>(&text)
                            .unwrap_or_else(|e| panic!("{name}: {path}: {e}"));
                    }
                }
            }
            Some(1) => assert!(
                stderr(&output).contains("content/note.md:"),
                "{name}: {}",
                stderr(&output)
            ),
            other => panic!("{name}: exit {other:?}: {}", stderr(&output)),
        }
    }
    assert!(seen > 0);
}
