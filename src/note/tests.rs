//! The note reader: front matter fields, their errors and their lines.

use super::*;
use crate::model::Status;
use std::path::PathBuf;

fn config() -> SiteConfig {
    SiteConfig::parse(
        "title: Notes\nbase_url: https://notes.example.org/\ntimezone: Asia/Tokyo\nauthor: {name: Site Author, email: a@example.org}\n",
    )
    .unwrap()
}

fn now() -> chrono::DateTime<chrono::Utc> {
    "2024-06-01T00:00:00Z".parse().unwrap()
}

fn read(relative: &str, text: &str) -> Outcome {
    parse(
        &PathBuf::from(format!("content/{relative}")),
        relative,
        text,
        &config(),
    )
}

fn note(relative: &str, text: &str) -> Note {
    match read(relative, text) {
        Outcome::Note(note, _) => *note,
        other => panic!("expected a note, got {other:?}"),
    }
}

fn errors(relative: &str, text: &str) -> Vec<(usize, String)> {
    match read(relative, text) {
        Outcome::Invalid(problems) => problems.into_iter().map(|p| (p.line, p.message)).collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn date_only_is_midnight_in_the_note_zone() {
    let note = note("posts/a.md", "---\ntitle: A\ndate: 2019-11-26\n---\n");
    assert_eq!(note.date.to_rfc3339(), "2019-11-26T00:00:00+09:00");
    assert_eq!(note.updated, note.date);
    let berlin = note_with_zone();
    assert_eq!(berlin.date.to_rfc3339(), "2024-07-01T19:00:00+02:00");
}

fn note_with_zone() -> Note {
    note(
        "posts/b.md",
        "---\ntitle: B\ndate: \"2024-07-01 19:00\"\nevent:\n  timezone: Europe/Berlin\n---\n",
    )
}

#[test]
fn permalinks_slugs_and_ids() {
    let plain = note(
        "posts/2019/bonfire.md",
        "---\ntitle: A\ndate: 2019-11-26\n---\n",
    );
    assert_eq!(
        plain.permalink.as_str(),
        "https://notes.example.org/posts/2019/bonfire/"
    );
    assert_eq!(plain.slug, "bonfire");
    assert_eq!(
        plain.id,
        "tag:notes.example.org,2019-11-26:/posts/2019/bonfire/"
    );

    let slugged = note(
        "posts/x.md",
        "---\ntitle: A\ndate: 2019-11-26\nslug: my-talk\n---\n",
    );
    assert_eq!(
        slugged.permalink.as_str(),
        "https://notes.example.org/posts/my-talk/"
    );

    let urled = note(
        "posts/x.md",
        "---\ntitle: A\ndate: 2019-11-26\nurl: /events/2019/bonfire/\nid: urn:uuid:1\n---\n",
    );
    assert_eq!(
        urled.permalink.as_str(),
        "https://notes.example.org/events/2019/bonfire/"
    );
    assert_eq!(urled.slug, "bonfire");
    assert_eq!(urled.id, "urn:uuid:1");

    let bundle = note(
        "posts/trip/index.md",
        "---\ntitle: A\ndate: 2019-11-26\n---\n",
    );
    assert_eq!(bundle.slug, "trip");
    let japanese = note("posts/勉強会.md", "---\ntitle: A\ndate: 2019-11-26\n---\n");
    assert_eq!(japanese.slug, "勉強会");
}

#[test]
fn the_id_ignores_title_changes() {
    let before = note(
        "posts/a.md",
        "---\ntitle: Old title\ndate: 2019-11-26\n---\n",
    );
    let after = note(
        "posts/a.md",
        "---\ntitle: New title\ndate: 2019-11-26\n---\n",
    );
    assert_eq!(before.id, after.id);
}

#[test]
fn drafts_are_skipped() {
    assert!(matches!(
        read(
            "a.md",
            "---\ntitle: A\ndate: 2019-11-26\ndraft: true\n---\n"
        ),
        Outcome::Draft
    ));
}

#[test]
fn publish_and_expiry_dates_decide_feed_visibility() {
    let future = note(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\npublishDate: 2024-07-01\n---\n",
    );
    assert!(!future.in_feeds(now()));
    let expired = note(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\nexpiryDate: 2024-05-01\n---\n",
    );
    assert!(!expired.in_feeds(now()));
    let live = note(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\nexpiryDate: 2024-12-01\n---\n",
    );
    assert!(live.in_feeds(now()));
    assert!(!live.in_feeds("2024-12-02T00:00:00Z".parse().unwrap()));
}

#[test]
fn summary_falls_back_to_the_first_paragraph() {
    let note = note(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\n\n## Heading\n\nFirst *words* here.\n\nSecond.\n",
    );
    assert_eq!(note.summary, "First words here.");
    let described = note_described();
    assert_eq!(described.summary, "Given");
}

fn note_described() -> Note {
    note(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\nsummary: Ignored\ndescription: Given\n---\nBody\n",
    )
}

#[test]
fn images_and_authors() {
    let note = note(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\nimages: [cover.png, other.png]\nauthor: Guest\n---\n",
    );
    assert_eq!(
        note.image.unwrap().as_str(),
        "https://notes.example.org/posts/a/cover.png"
    );
    assert_eq!(note.author.name, "Guest");
    assert_eq!(note.author.email, None);
}

#[test]
fn event_map_applies_to_every_slot() {
    let note = note(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\nevent:\n  date: 2024-02-03\n  timezone: America/New_York\n  location: Hall\n  status: cancelled\n  sequence: 2\n---\n## 19:00 Talk\n",
    );
    assert_eq!(
        note.slots[0].start.to_rfc3339(),
        "2024-02-03T19:00:00-05:00"
    );
    assert_eq!(note.event.location.as_deref(), Some("Hall"));
    assert_eq!(note.event.status, Status::Cancelled);
    assert_eq!(note.event.sequence, 3, "a cancellation bumps SEQUENCE");
}

#[test]
fn event_start_and_end_without_agenda_make_one_event() {
    let note = note(
        "a.md",
        "---\ntitle: Office hours\ndate: 2024-03-08\ndescription: Questions\nevent:\n  timezone: America/New_York\n  start: \"12:00\"\n  end: \"13:30\"\n---\nNo agenda.\n",
    );
    assert_eq!(note.slots.len(), 1);
    let slot = &note.slots[0];
    assert_eq!(slot.words().title, "Office hours");
    assert_eq!(slot.start_utc().to_rfc3339(), "2024-03-08T17:00:00+00:00");
    assert_eq!(slot.end_utc().to_rfc3339(), "2024-03-08T18:30:00+00:00");
    assert_eq!(slot.id, "1200");
    assert_eq!(slot.line, 7);
}

#[test]
fn missing_keys_and_bad_values_name_their_lines() {
    let problems = errors("a.md", "---\ntitle: A\n\ndate: 2024-13-45\n---\n");
    assert_eq!(problems[0].0, 4);
    assert!(problems[0].1.contains("is not a date"), "{problems:?}");
    let problems = errors(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\nevent:\n  location: x\n  timezone: Mars/Olympus\n---\n",
    );
    assert_eq!(problems[0].0, 6);
    let problems = errors(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\nevent:\n  status: maybe\n---\n",
    );
    assert_eq!(problems[0].0, 5);
    let problems = errors(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\ntags:\n  nested: map\n---\n",
    );
    assert_eq!(problems[0].0, 5, "{problems:?}");
}

#[test]
fn agenda_lines_are_file_lines() {
    let problems = errors(
        "a.md",
        "---\ntitle: A\ndate: 2024-03-10\nevent:\n  timezone: America/New_York\n---\n\n## 02:30 In the gap\n",
    );
    assert_eq!(problems[0].0, 8);
}

#[test]
fn hostile_slugs_and_urls_are_refused() {
    for front in [
        "slug: ../../etc",
        "url: ../../outside/",
        "slug: 'a\\\\b'",
        "url: /a/%2e%2e/",
    ] {
        let text = format!("---\ntitle: A\ndate: 2024-01-01\n{front}\n---\n");
        assert!(
            matches!(read("a.md", &text), Outcome::Invalid(_)),
            "{front}"
        );
    }
}

#[test]
fn control_characters_from_yaml_escapes_are_dropped() {
    let note = note(
        "a.md",
        "---\ntitle: \"A\\u0001B\"\ndate: 2024-01-01\ntags: [\"x\\u0000y\"]\n---\n",
    );
    assert_eq!(note.title, "AB");
    assert_eq!(note.tags, vec!["xy"]);
}

#[test]
fn a_note_without_date_takes_its_file_name_date_or_is_a_page() {
    let post = note(
        "_posts/2019-11-26-meetup.md",
        "---\ntitle: Post\n---\n- 19:00 Doors\n",
    );
    assert_eq!(post.date.to_rfc3339(), "2019-11-26T00:00:00+09:00");
    assert!(post.in_feeds(now()));
    assert_eq!(post.slots.len(), 1);
    let bundle = note("2019-11-26-meetup/index.md", "---\ntitle: Bundle\n---\n");
    assert_eq!(bundle.date.date_naive().to_string(), "2019-11-26");
    // A page: its agenda's day is the first date its text writes with a
    // year, and it is in no feed.
    let page = note(
        "meetup.md",
        "---\ntitle: Page\n---\n日時: 2019年11月26日(火) 19:00〜\n\n- 19:00 Doors\n- 19:30 Talk\n",
    );
    assert!(!page.in_feeds(now()));
    assert_eq!(page.slots.len(), 2);
    assert_eq!(
        page.slots[0].start.to_rfc3339(),
        "2019-11-26T19:00:00+09:00"
    );
    // A page that names no day publishes no event, and says so once.
    match read("about.md", "---\ntitle: About\n---\n- 19:00 Doors\n") {
        Outcome::Note(note, problems) => {
            assert!(note.slots.is_empty() && !note.in_feeds(now()));
            assert_eq!(problems.len(), 1, "{problems:?}");
        }
        other => panic!("expected a note, got {other:?}"),
    }
}

#[test]
fn an_event_themes_start_key_names_the_agenda_day() {
    let note = note(
        "posts/a.md",
        "---\ntitle: A\ndate: 2018-02-20\nstart_time: 2018-04-28 13:10:00 +0900\nstartDate: {not: a date}\n---\n- 13:10 Opening\n",
    );
    assert_eq!(
        note.slots[0].start.to_rfc3339(),
        "2018-04-28T13:10:00+09:00"
    );
}

#[test]
fn a_themes_map_for_image_or_location_is_read() {
    let mapped = note(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-05-02\nimage: {src: /img/a.png, alt: A}\nevent:\n  location: {name: Old Library, address: 1 Main St, url: https://e.org}\n---\n- 19:00 Talk\n",
    );
    assert_eq!(
        mapped.image.unwrap().as_str(),
        "https://notes.example.org/img/a.png"
    );
    assert_eq!(
        mapped.event.location.as_deref(),
        Some("Old Library, 1 Main St")
    );
    // A map of the theme's own shape is no image, and no error.
    let own = note(
        "posts/b.md",
        "---\ntitle: B\ndate: 2024-05-02\nimage: {feature: x.jpg}\n---\n",
    );
    assert_eq!(own.image, None);
}

#[test]
fn pelican_metadata_and_a_missing_title() {
    let trip = note(
        "posts/trip.md",
        "Title: Coast to coast\nDate: 2023-08-04\nTags: travel, rail\nCategory: Trips\nSlug: coast\n\n## Plan\n\nText.\n",
    );
    assert_eq!(trip.title, "Coast to coast");
    assert_eq!(trip.date.date_naive().to_string(), "2023-08-04");
    assert_eq!(trip.tags, ["travel", "rail"]);
    assert_eq!(trip.slug, "coast");
    // A page without `title`: its first heading names it.
    let page = note(
        "2020-09-20-hack.md",
        "---\nlayout: page\n---\n# Speed hackathon\n\n- 10:00 Start\n",
    );
    assert_eq!(page.title, "Speed hackathon");
    match read(
        "schedule.md",
        "---\nlayout: base\ndate: 2024-01-01\n---\n<section>x</section>\n",
    ) {
        Outcome::Note(note, problems) => {
            assert_eq!(note.title, "schedule");
            assert_eq!(problems.len(), 1, "{problems:?}");
        }
        other => panic!("expected a note, got {other:?}"),
    }
}

#[test]
fn a_title_dated_like_the_post_leaves_the_day_to_the_text() {
    let note = note(
        "posts/rubyfloripa.md",
        "---\ntitle: 07/03/2019 - Ruby night\ndate: 2019-03-07\n---\nNo dia 19 de março, o encontro.\n\n- 19:00 Abertura\n- 19:20 Palestra\n",
    );
    assert_eq!(
        note.slots[0].start.to_rfc3339(),
        "2019-03-19T19:00:00+09:00"
    );
}

#[test]
fn dotted_dates_unpadded_file_names_and_date_start() {
    let dotted = note("posts/a.md", "---\ntitle: A\ndate: 21.11.2019\n---\n");
    assert_eq!(dotted.date.date_naive().to_string(), "2019-11-21");
    let unpadded = note("2024-2-24-taller.md", "---\ntitle: Taller\n---\n");
    assert_eq!(unpadded.date.date_naive().to_string(), "2024-02-24");
    let started = note(
        "posts/b.md",
        "---\ntitle: B\ndate: 2019-02-01\ndate_start: \"2019-03-15T17:30\"\n---\n- 18:30 Aftensmad\n",
    );
    assert_eq!(
        started.slots[0].start.to_rfc3339(),
        "2019-03-15T18:30:00+09:00"
    );
}
