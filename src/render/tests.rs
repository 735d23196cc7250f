//! Any text a note can carry (title, speaker, description, location, tag)
//! comes back unchanged from every format and never adds an element,
//! attribute or calendar property.

use super::*;
use crate::config::SiteConfig;
use crate::model::{EventInfo, Slot, SlotText, Speaker, Status};
use crate::source::clean_text;
use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use std::path::PathBuf;
use url::Url;

fn site(title: &str, speaker: &str, description: &str, location: &str, tag: &str) -> Site {
    let config =
        SiteConfig::parse("title: Site\nbase_url: https://x.example/\ntimezone: Asia/Tokyo\n")
            .unwrap();
    let zone = chrono_tz::Asia::Tokyo;
    let date = zone
        .with_ymd_and_hms(2024, 1, 2, 19, 0, 0)
        .unwrap()
        .fixed_offset();
    let start = zone.with_ymd_and_hms(2024, 1, 2, 19, 0, 0).unwrap();
    let note = Note {
        path: PathBuf::from("content/n.md"),
        slug: "n".into(),
        permalink: Url::parse("https://x.example/n/").unwrap(),
        id: "tag:x.example,2024-01-02:/n/".into(),
        id_given: false,
        title: title.into(),
        date,
        updated: date,
        publish: date,
        expiry: None,
        tags: vec![tag.into()],
        categories: Vec::new(),
        summary: description.into(),
        image: None,
        author: Default::default(),
        event: EventInfo {
            timezone: zone,
            location: Some(location.into()),
            url: None,
            status: Status::Confirmed,
            sequence: 0,
            alarm_minutes: None,
        },
        language: None,
        lists: Vec::new(),
        slots: vec![Slot {
            id: "1900".into(),
            line: 1,
            start,
            end: start + chrono::Duration::minutes(30),
            all_day: false,
            text: Some(Box::new(SlotText {
                title: title.into(),
                speaker: Some(Speaker {
                    name: speaker.into(),
                    handle: None,
                    affiliation: None,
                }),
                description: description.into(),
            })),
            revision: None,
        }],
    };
    Site {
        config,
        // Just after the event: the feeds show the note, the window holds it.
        now: start.with_timezone(&Utc) + chrono::Duration::days(1),
        notes: vec![note],
        drafts: 0,
    }
}

/// Text as almanac would hold it: decoded notes have no control characters
/// and fields are trimmed.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z<>&\"';:,\\\\\\]\\[ \\n\\r\\t]{0,30}",
        Just("]]><script>alert(1)</script>".to_string()),
        Just("a\r\nb\rc\nd;e,f\\g:h".to_string()),
        Just("開場・受付開始、乾杯；終了".to_string()),
    ]
    // Notes hold their text trimmed (note.rs), as readers also trim it.
    .prop_map(|s| clean_text(&s).replace('\r', "\n").trim().to_string())
    .prop_filter("non-empty", |s| !s.is_empty())
}

fn unfold(ics: &str) -> String {
    ics.replace("\r\n ", "")
}

/// RFC 5545 §3.3.11 TEXT, read back.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn calendar_text_round_trips_and_adds_no_property(
        title in text(), speaker in text(), description in text(), location in text(), tag in text()
    ) {
        let tag = crate::note::term(&tag);
        prop_assume!(!tag.is_empty());
        let site = site(&title, &speaker, &description, &location, &tag);
        let html = FeedHtml::from([(site.notes[0].path.clone(), "<p>x</p>".to_string())]);
        let outputs = outputs(&site, &html).unwrap();
        let calendar = outputs.iter().find(|output| output.path == "calendar.ics").unwrap();
        let ics = String::from_utf8(calendar.bytes.clone()).unwrap();
        let unfolded = unfold(&ics);
        let names: Vec<&str> = unfolded
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| &l[..l.find([':', ';']).unwrap_or(l.len())])
            .collect();
        let expected = ["BEGIN", "VERSION", "PRODID", "CALSCALE", "NAME", "X-WR-CALNAME", "X-WR-TIMEZONE", "REFRESH-INTERVAL",
            "X-PUBLISHED-TTL", "BEGIN", "TZID", "BEGIN", "DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "TZNAME", "END",
            "END", "BEGIN", "UID", "DTSTAMP", "LAST-MODIFIED", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION",
            "LOCATION", "URL", "SEQUENCE", "STATUS", "CATEGORIES", "END", "END"];
        prop_assert_eq!(names, expected.to_vec());
        let value = |name: &str| {
            let line = unfolded.split("\r\n").find(|l| l.starts_with(&format!("{name}:"))).unwrap();
            unescape(&line[name.len() + 1..])
        };
        let one_line = |s: &str| s.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
        // `event_title` by default: the note's title (here the same text), then the slot's.
        let summary = format!("{title}: {title} — {speaker}");
        let summary = if summary.contains('\n') { one_line(&summary) } else { summary };
        prop_assert_eq!(value("SUMMARY"), summary.replace('\t', " "));
        prop_assert_eq!(value("LOCATION"), location.replace('\t', " "));
        prop_assert!(value("DESCRIPTION").contains(&description.replace('\t', " ")));
        prop_assert_eq!(value("CATEGORIES"), tag.replace('\t', " "));
    }

    #[test]
    fn feed_text_round_trips_and_adds_no_element(
        title in text(), description in text(), tag in text()
    ) {
        let tag = crate::note::term(&tag);
        prop_assume!(!tag.is_empty());
        let site = site(&title, "s", &description, "l", &tag);
        let selection = Selection { title: "Feed".into(), scope: Scope::Site, notes: site.notes.iter().collect() };
        let (entries, contents) = (selection.entries(&site), ["<p>x</p>"]);
        let atom_text = atom::feed(&site, &selection, "atom.xml", &entries, &contents);
        let feed = atom_syndication::Feed::read_from(&atom_text[..]).unwrap();
        prop_assert_eq!(feed.entries.len(), 1);
        let entry = &feed.entries[0];
        prop_assert_eq!(&entry.title.value, &title);
        prop_assert_eq!(entry.summary.as_ref().map(|s| s.value.as_str()), Some(description.as_str()));
        prop_assert_eq!(entry.categories.len(), 1);
        prop_assert_eq!(&entry.categories[0].term, &tag);

        let rss_text = rss::feed(&site, &selection, "rss.xml", &entries, &contents);
        let channel = ::rss::Channel::read_from(&rss_text[..]).unwrap();
        prop_assert_eq!(channel.items.len(), 1);
        let item = &channel.items[0];
        prop_assert_eq!(item.title.as_deref(), Some(title.as_str()));
        prop_assert_eq!(item.description.as_deref(), Some(description.as_str()));
        prop_assert_eq!(item.categories.len(), 1);
        prop_assert_eq!(&item.categories[0].name, &tag);

        let json: serde_json::Value = serde_json::from_str(&json_feed::feed(&site, &selection, "feed.json", &entries, &contents)).unwrap();
        prop_assert_eq!(json["items"].as_array().unwrap().len(), 1);
        prop_assert_eq!(json["items"][0]["title"].as_str(), Some(title.as_str()));
        prop_assert_eq!(json["items"][0]["summary"].as_str(), Some(description.as_str()));
        prop_assert_eq!(json["items"][0]["tags"][0].as_str(), Some(tag.as_str()));
    }
}
