//! Feeds read back by the `atom_syndication` and `rss` readers and as JSON.

use crate::support::*;
use rss::validation::Validate;

#[test]
fn atom_has_what_readers_need() {
    let text = std::fs::read_to_string(repo().join("feeds/atom.xml")).unwrap();
    let feed = atom_syndication::Feed::read_from(text.as_bytes()).unwrap();
    assert_eq!(feed.entries.len(), 4, "drafts never appear");
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel == "self" && l.href == "https://notes.example.org/feeds/atom.xml")
    );
    assert!(feed.links.iter().any(|l| l.rel == "alternate"));
    assert!(feed.generator.is_some());
    assert_eq!(
        feed.updated.to_rfc3339(),
        "2024-11-27T09:30:00+09:00",
        "the newest lastmod"
    );
    let dates: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let first = &feed.entries[0];
    assert_eq!(
        first.id,
        "tag:notes.example.org,2024-11-26:/posts/backend-night-7/"
    );
    assert_eq!(
        first.content.as_ref().unwrap().content_type.as_deref(),
        Some("html")
    );
    assert!(
        first
            .links
            .iter()
            .any(|l| l.rel == "enclosure" && l.mime_type.as_deref() == Some("image/png"))
    );
    assert!(
        first.extensions["media"]["thumbnail"][0].attrs["url"].ends_with("backend-night-7.png")
    );
    let terms: Vec<_> = first.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(terms, ["event", "kubernetes", "勉強会"]);
    let content = first.content.as_ref().unwrap().value.as_ref().unwrap();
    assert!(content.contains("href=\"https://notes.example.org/posts/backend-night-7/photos/\""));
    for entry in &feed.entries {
        let html = entry.content.as_ref().unwrap().value.as_ref().unwrap();
        assert!(!html.contains("<script"), "{}", entry.title.value);
    }
}

#[test]
fn rss_is_valid_with_numeric_zones_and_namespaces() {
    let text = std::fs::read_to_string(repo().join("feeds/rss.xml")).unwrap();
    let channel = rss::Channel::read_from(text.as_bytes()).unwrap();
    channel
        .validate()
        .expect("the rss crate's validator accepts the channel");
    for prefix in ["atom", "content", "dc", "media"] {
        assert!(channel.namespaces.contains_key(prefix), "{prefix}");
    }
    for item in &channel.items {
        let date = item.pub_date.as_deref().unwrap();
        chrono::DateTime::parse_from_rfc2822(date).unwrap();
        let zone = &date[date.len() - 6..];
        assert!(
            zone.starts_with(" +") || zone.starts_with(" -"),
            "numeric zone: {date}"
        );
        assert!(
            zone[2..].chars().all(|c| c.is_ascii_digit()),
            "numeric zone: {date}"
        );
        let guid = item.guid.as_ref().unwrap();
        assert!(!guid.permalink, "tag: ids are not URLs");
        assert!(item.content.is_some());
        assert!(
            item.dublin_core_ext
                .as_ref()
                .is_some_and(|dc| !dc.creators.is_empty())
        );
    }
    assert!(channel.last_build_date.as_deref() == Some("Wed, 27 Nov 2024 09:30:00 +0900"));
}

#[test]
fn json_feed_has_the_required_fields() {
    let text = std::fs::read_to_string(repo().join("feeds/feed.json")).unwrap();
    let feed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(
        feed["feed_url"],
        "https://notes.example.org/feeds/feed.json"
    );
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    for item in items {
        for key in [
            "id",
            "url",
            "title",
            "content_html",
            "date_published",
            "date_modified",
            "authors",
        ] {
            assert!(item.get(key).is_some(), "{key} missing in {item}");
        }
    }
    assert_eq!(
        items[0]["image"],
        "https://images.example.org/backend-night-7.png"
    );
}

#[test]
fn tag_feeds_hold_only_their_tag() {
    let text = std::fs::read_to_string(repo().join("feeds/tags/rust/atom.xml")).unwrap();
    let feed = atom_syndication::Feed::read_from(text.as_bytes()).unwrap();
    assert_eq!(feed.entries.len(), 1);
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel == "self"
                && l.href == "https://notes.example.org/feeds/tags/rust/atom.xml")
    );
    assert!(repo().join("feeds/tags/rust/calendar.ics").exists());
    assert!(
        !repo().join("feeds/tags/feeds/calendar.ics").exists(),
        "a tag without events has no calendar"
    );
}

/// A loopback WebSub hub: the form bodies it was sent, answering `status`.
fn hub(status: u16) -> (String, std::sync::mpsc::Receiver<String>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", server.server_addr().to_ip().unwrap());
    let (sender, bodies) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for mut request in server.incoming_requests() {
            let mut body = String::new();
            std::io::Read::read_to_string(request.as_reader(), &mut body).unwrap();
            let _ = sender.send(body);
            let _ = request.respond(tiny_http::Response::empty(status));
        }
    });
    (url, bodies)
}

#[test]
fn websub_hub_is_named_and_pinged_for_changed_feeds_only() {
    let (url, pings) = hub(204);
    let config = format!("title: T\nbase_url: https://x.example/\nwebsub_hub: {url}\n");
    let site = site(
        &config,
        &[(
            "a.md",
            "---\ntitle: A\ndate: 2025-05-01\ntags: [t]\n---\nhello\n",
        )],
    );
    let out = tempfile::tempdir().unwrap();
    let run = build(site.path(), out.path());
    assert!(run.status.success(), "{}", stderr(&run));
    let atom = std::fs::read_to_string(out.path().join("atom.xml")).unwrap();
    assert!(
        atom.contains(&format!("<link href=\"{url}\" rel=\"hub\"/>")),
        "{atom}"
    );
    let rss = std::fs::read_to_string(out.path().join("rss.xml")).unwrap();
    assert!(
        rss.contains(&format!("href=\"{url}\" rel=\"hub\"")),
        "{rss}"
    );
    let mut seen: Vec<String> = pings.try_iter().collect();
    seen.sort();
    let expected: Vec<String> = [
        "atom.xml",
        "feed.json",
        "rss.xml",
        "tags/t/atom.xml",
        "tags/t/rss.xml",
    ]
    .iter()
    .map(|path| {
        format!(
            "hub.mode=publish&hub.url=https%3A%2F%2Fx.example%2Ffeeds%2F{}",
            path.replace('/', "%2F")
        )
    })
    .collect();
    let mut expected = expected;
    expected.sort();
    assert_eq!(seen, expected);
    // Nothing changed: no ping.
    assert!(build(site.path(), out.path()).status.success());
    assert_eq!(pings.try_iter().count(), 0);
    // A hub that refuses: a warning, and the build stands.
    let (refusing, _) = hub(500);
    let config = format!("title: T\nbase_url: https://x.example/\nwebsub_hub: {refusing}\n");
    std::fs::write(site.path().join("almanac.yaml"), config).unwrap();
    let run = build(site.path(), out.path());
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("warning: cannot ping the WebSub hub"),
        "{}",
        stderr(&run)
    );
}
