//! Any note that is accepted renders into files our own strict readers
//! accept: Atom and RSS parse, JSON Feed is JSON, and every calendar line
//! ends with CRLF, fits in 75 octets and has no control character.
#![no_main]

use almanac::config::SiteConfig;
use almanac::model::Site;
use almanac::note::{self, Outcome};
use almanac::render;
use almanac::source;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|bytes: &[u8]| {
    let config = SiteConfig::parse("title: Fuzz & <co>\nbase_url: https://fuzz.example/\ntimezone: Asia/Tokyo\n")
        .expect("a valid config");
    let Ok(text) = source::decode(bytes.to_vec()) else {
        return;
    };
    let Outcome::Note(note, _) = note::parse(Path::new("fuzz.md"), "fuzz.md", &text, &config) else {
        return;
    };
    let html = note::content_html(&text, &note.permalink).expect("a parsed note splits");
    let html = almanac::model::FeedHtml::from([(note.path.clone(), html)]);
    let site = Site { config, now: chrono::DateTime::<chrono::Utc>::MAX_UTC, notes: vec![*note], drafts: 0 };
    for output in render::outputs(&site, &html).expect("a parsed note renders") {
        let text = String::from_utf8(output.bytes).expect("outputs are UTF-8");
        if output.path.ends_with(".ics") {
            assert!(text.ends_with("\r\n"));
            for line in text.split_inclusive('\n') {
                assert!(line.ends_with("\r\n"), "bare LF in {}", output.path);
                let content = &line[..line.len() - 2];
                assert!(content.len() <= 75, "{} octets", content.len());
                assert!(!content.contains('\r'));
                assert!(!content.chars().any(|c| c.is_control() && c != '\t'));
            }
        } else if output.path.ends_with("atom.xml") {
            atom_syndication::Feed::read_from(text.as_bytes()).expect("our Atom parses");
        } else if output.path.ends_with("rss.xml") {
            rss::Channel::read_from(text.as_bytes()).expect("our RSS parses");
        } else if output.path.ends_with(".xsl") {
            assert!(text.starts_with("<?xml ") && text.ends_with("</xsl:stylesheet>\n"));
        } else if output.path.ends_with(".html") {
            assert!(text.starts_with("<!DOCTYPE html>") && !text.contains("<script"));
        } else {
            serde_json::from_str::<serde_json::Value>(&text).expect("our JSON Feed parses");
        }
    }
});
