//! `--source DIR`: sites laid out for Hugo, Jekyll, Zola and Eleventy, read
//! as they are (docs/sources.md).

use crate::support::*;
use std::fs;
use std::path::Path;

fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

const POST: &str = "---\ntitle: First\ndate: 2024-03-01\n---\n\nHello.\n";

#[test]
fn a_hugo_site_builds_from_its_own_config() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "hugo.toml",
                "baseURL = 'https://h.example/'\ntitle = 'Hugo Bench'\n",
            ),
            ("content/posts/first.md", POST),
            ("content/posts/_index.md", "---\ntitle: Posts\n---\n"),
        ],
    );
    let site = dir.path().to_str().unwrap();
    let output = almanac(&["build", "--source", site, "--now", NOW]);
    assert!(output.status.success(), "{}", stderr(&output));
    let atom = fs::read_to_string(dir.path().join("feeds/atom.xml")).unwrap();
    assert!(atom.contains("<title>Hugo Bench</title>"), "{atom}");
    assert!(atom.contains("https://h.example/posts/first/"), "{atom}");
}

#[test]
fn almanac_yaml_in_the_folder_and_base_url_win() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "_config.yml",
                "title: Jekyll Bench\nurl: https://j.example\n",
            ),
            ("almanac.yaml", "title: Own Title\n"),
            ("_posts/2024-03-01-first.md", POST),
            ("about.md", "---\ntitle: About\n---\n"),
        ],
    );
    let site = dir.path().to_str().unwrap();
    let output = almanac(&[
        "build",
        "-s",
        site,
        "--base-url",
        "https://moved.example/",
        "--now",
        NOW,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let atom = fs::read_to_string(dir.path().join("feeds/atom.xml")).unwrap();
    assert!(atom.contains("<title>Own Title</title>"), "{atom}");
    assert!(atom.contains("https://moved.example/"), "{atom}");
    assert!(!atom.contains("About"), "not a post: {atom}");
}

#[test]
fn a_folder_of_no_generator_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("notes/a.md", POST)]);
    let output = almanac(&["check", "--source", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no site config found"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn what_a_javascript_config_does_is_said_not_run() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "eleventy.config.js",
                "export default function (eleventyConfig) {\n  eleventyConfig.addFilter('x', (v) => v);\n}\n",
            ),
            (
                "_data/metadata.json",
                "{\"title\": \"E\", \"url\": \"https://e.example/\"}",
            ),
            ("blog/first.md", POST),
        ],
    );
    let output = almanac(&[
        "check",
        "--source",
        dir.path().to_str().unwrap(),
        "--now",
        NOW,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("warning: `addFilter` is JavaScript and is not run"),
        "{}",
        stderr(&output)
    );
}

/// One feed entry, as compared with the generator's own feed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    title: String,
    link: String,
    id: String,
    /// The entry's date as an instant, whatever offset each feed prints.
    date: chrono::DateTime<chrono::Utc>,
}

fn instant(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text)
        .or_else(|_| chrono::DateTime::parse_from_rfc2822(text))
        .unwrap_or_else(|error| panic!("{text}: {error}"))
        .to_utc()
}

fn atom_entries(text: &str) -> Vec<Entry> {
    let feed = atom_syndication::Feed::read_from(text.as_bytes()).unwrap();
    feed.entries()
        .iter()
        .map(|entry| Entry {
            title: entry.title().value.clone(),
            link: entry.links()[0].href().to_string(),
            id: entry.id().to_string(),
            date: entry.published().unwrap_or(entry.updated()).to_utc(),
        })
        .collect()
}

fn rss_entries(text: &str) -> Vec<Entry> {
    let channel = rss::Channel::read_from(text.as_bytes()).unwrap();
    channel
        .items()
        .iter()
        .map(|item| Entry {
            title: item.title().unwrap().to_string(),
            link: item.link().unwrap().to_string(),
            id: item.guid().unwrap().value().to_string(),
            date: instant(item.pub_date().unwrap()),
        })
        .collect()
}

/// Zola's feeds as `expected/feeds.json` lists them (tests/sites/zola/BUILD.md).
fn zola_entries(text: &str, path: &str) -> Vec<Entry> {
    let listed: serde_json::Value = serde_json::from_str(text).unwrap();
    let feed = listed["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|feed| feed["path"] == path)
        .unwrap();
    feed["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| Entry {
            title: entry["title"].as_str().unwrap().into(),
            link: entry["url"].as_str().unwrap().into(),
            id: entry
                .get("id")
                .unwrap_or(&entry["guid"])
                .as_str()
                .unwrap()
                .into(),
            date: instant(
                entry
                    .get("published")
                    .unwrap_or(&entry["pubDate"])
                    .as_str()
                    .unwrap(),
            ),
        })
        .collect()
}

/// Builds `tests/sites/<name>/` with `--source` on the day its expected
/// feeds were made (tests/sites/*/BUILD.md), and returns our main Atom
/// feed's entries, after checking no entry carries template syntax.
fn built(name: &str) -> Vec<Entry> {
    let (_out, atom) = built_with(name, "atom.xml");
    atom_entries(&atom)
}

/// The same build's file at `path` (a feed at the generator's own path).
fn built_with(name: &str, path: &str) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let site = repo().join("tests/sites").join(name);
    let output = almanac(&[
        "build",
        "--source",
        site.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--now",
        "2026-12-02T12:00:00Z",
        "--quiet",
    ]);
    assert!(output.status.success(), "{name}: {}", stderr(&output));
    let text = fs::read_to_string(out.path().join(path)).unwrap();
    for (path, bytes) in files(out.path()) {
        let text = String::from_utf8_lossy(&bytes);
        for syntax in ["{{", "}}", "{%", "%}"] {
            assert!(!text.contains(syntax), "{name}: {path} holds `{syntax}`");
        }
    }
    (out, text)
}

fn expected(name: &str, path: &str) -> String {
    fs::read_to_string(
        repo()
            .join("tests/sites")
            .join(name)
            .join("expected")
            .join(path),
    )
    .unwrap()
}

// Each fixture's main feed, entry by entry (title, link, id, date, count),
// in almanac's own atom.xml and in the file at the generator's path.

#[test]
fn hugo_fixture_gives_the_entries_of_hugos_home_feed() {
    let hugo = rss_entries(&expected("hugo", "index.xml"));
    assert_eq!(built("hugo"), hugo);
    assert_eq!(rss_entries(&built_with("hugo", "index.xml").1), hugo);
}

#[test]
fn jekyll_fixture_gives_the_entries_of_jekyll_feed() {
    let jekyll = atom_entries(&expected("jekyll", "feed.xml"));
    assert_eq!(built("jekyll"), jekyll);
    assert_eq!(atom_entries(&built_with("jekyll", "feed.xml").1), jekyll);
    let meetups = atom_entries(&expected("jekyll", "feed/meetups.xml"));
    let built = atom_entries(&built_with("jekyll", "feed/meetups.xml").1);
    assert_eq!(built, meetups);
}

#[test]
fn zola_fixture_gives_the_entries_of_zolas_atom_feed() {
    let listed = expected("zola", "feeds.json");
    assert_eq!(built("zola"), zola_entries(&listed, "atom.xml"));
    let rss = rss_entries(&built_with("zola", "rss.xml").1);
    assert_eq!(rss, zola_entries(&listed, "rss.xml"));
}

#[test]
fn eleventy_fixture_gives_the_entries_of_the_rss_plugins_feed() {
    let eleventy = atom_entries(&expected("eleventy", "feed.xml"));
    assert_eq!(built("eleventy"), eleventy);
    assert_eq!(
        atom_entries(&built_with("eleventy", "feed.xml").1),
        eleventy
    );
}

// Every list feed the generator writes beside its site feed (languages,
// sections, taxonomy terms), at its path, entry by entry.

#[test]
fn hugo_fixture_gives_every_language_section_and_term_feed_of_hugo() {
    let (out, _) = built_with("hugo", "index.xml");
    let expected = repo().join("tests/sites/hugo/expected");
    let mut compared = 0;
    for (path, bytes) in files(&expected) {
        // `tags/index.xml` and `categories/index.xml` list the terms
        // themselves, not posts (docs/sources.md, "Switching").
        if path.ends_with("tags/index.xml") || path.ends_with("categories/index.xml") {
            continue;
        }
        let ours = fs::read_to_string(out.path().join(&path))
            .unwrap_or_else(|_| panic!("hugo: no {path} written"));
        let theirs = rss_entries(&String::from_utf8(bytes).unwrap());
        assert_eq!(rss_entries(&ours), theirs, "hugo: {path}");
        compared += 1;
    }
    assert_eq!(compared, 13);
    // A translation is in its language's feeds only, and its tags' are
    // its language's too.
    let main = fs::read_to_string(out.path().join("atom.xml")).unwrap();
    assert!(!main.contains("/fr/"), "{main}");
    let french = atom_entries(&fs::read_to_string(out.path().join("fr/atom.xml")).unwrap());
    assert_eq!(french.len(), 2);
    let tag = fs::read_to_string(out.path().join("tags/meetup/atom.xml")).unwrap();
    assert!(!tag.contains("/fr/"), "{tag}");
}

#[test]
fn zola_fixture_gives_every_language_section_and_term_feed_of_zola() {
    let listed = expected("zola", "feeds.json");
    let (out, _) = built_with("zola", "atom.xml");
    let feeds: serde_json::Value = serde_json::from_str(&listed).unwrap();
    for feed in feeds["feeds"].as_array().unwrap() {
        let path = feed["path"].as_str().unwrap();
        let text = fs::read_to_string(out.path().join(path))
            .unwrap_or_else(|_| panic!("zola: no {path} written"));
        let ours = match feed["format"].as_str() {
            Some("rss") => rss_entries(&text),
            _ => atom_entries(&text),
        };
        assert_eq!(ours, zola_entries(&listed, path), "zola: {path}");
    }
    // The German page's feed declares its language.
    let german = fs::read_to_string(out.path().join("de/atom.xml")).unwrap();
    assert!(german.contains(r#"xml:lang="de""#), "{german}");
}

#[test]
fn drafts_unpublished_and_excluded_pages_stay_out() {
    // The titles of each fixture's draft, `published: false`, `_drafts/`
    // and `eleventyExcludeFromCollections` pages.
    for (name, left_out) in [
        ("hugo", &["Ideas We Have Not Agreed On"][..]),
        ("jekyll", &["Budget Notes", "Ideas for Autumn"]),
        ("zola", &["Committee Notes"]),
        ("eleventy", &["Wishlist (draft)", "Member Survey Results"]),
    ] {
        for entry in built(name) {
            assert!(
                !left_out.contains(&entry.title.as_str()),
                "{name}: {entry:?}"
            );
        }
    }
}

#[test]
fn drafts_and_future_posts_on_request() {
    let site = repo().join("tests/sites/jekyll");
    let titles = |flags: &[&str]| -> Vec<String> {
        let out = tempfile::tempdir().unwrap();
        let mut args = vec![
            "build",
            "--source",
            site.to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
            "--now",
            "2026-12-02T12:00:00Z",
            "--quiet",
        ];
        args.extend(flags);
        let output = almanac(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        let atom = fs::read_to_string(out.path().join("atom.xml")).unwrap();
        atom_entries(&atom).into_iter().map(|e| e.title).collect()
    };
    let future = "Ten Years of Repairs".to_string();
    assert!(!titles(&[]).contains(&future));
    assert!(titles(&["--future"]).contains(&future));
    // A draft without a date has none to publish under, even with --drafts.
    assert!(!titles(&["--drafts"]).contains(&"Ideas for Autumn".to_string()));
}

#[test]
fn pages_of_one_name_undated_pages_and_bare_files_build() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("hugo.toml", "baseURL = 'https://h.example/'\ntitle = 'H'\n"),
            ("content/talks/intro.md", POST),
            ("content/workshops/intro.md", POST),
            ("content/docs/setup.md", "---\ntitle: Setup\n---\nHow to.\n"),
            ("content/LICENSE.md", "Permission is granted.\n"),
        ],
    );
    let site = dir.path().to_str().unwrap();
    let output = almanac(&["build", "-s", site, "--now", NOW]);
    assert!(output.status.success(), "{}", stderr(&output));
    let events = dir.path().join("feeds/atom.xml");
    let atom = fs::read_to_string(events).unwrap();
    // Hugo lists an undated page too, last, at its zero time; a file
    // without front matter is no page.
    assert_eq!(atom.matches("<entry>").count(), 3, "{atom}");
    assert!(atom.contains("<title>Setup</title>"), "{atom}");
    assert!(
        atom.contains("<published>0001-01-01T00:00:00+00:00</published>"),
        "{atom}"
    );
    assert!(!atom.contains("Permission"), "{atom}");
}

#[test]
fn init_writes_what_it_read_commented_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "_config.yml",
                "title: Bench\nurl: https://j.example\ntimezone: Europe/Oslo\n",
            ),
            ("_posts/2024-03-01-first.md", POST),
        ],
    );
    let site = dir.path().to_str().unwrap();
    let output = almanac(&["init", "--source", site]);
    assert!(output.status.success(), "{}", stderr(&output));
    let written = fs::read_to_string(dir.path().join("almanac.yaml")).unwrap();
    assert!(written.contains("# title: \"Bench\""), "{written}");
    assert!(written.contains("# timezone: \"Europe/Oslo\""), "{written}");
    assert!(written.contains("# feed_limit: 10"), "{written}");
    // As written it changes nothing; a line uncommented wins.
    let checked = almanac(&["check", "-s", site, "--now", NOW]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    let changed = written.replace("# title: \"Bench\"", "title: \"Own\"");
    fs::write(dir.path().join("almanac.yaml"), changed).unwrap();
    let built = almanac(&["build", "-s", site, "--now", NOW]);
    assert!(built.status.success(), "{}", stderr(&built));
    let atom = fs::read_to_string(dir.path().join("feeds/atom.xml")).unwrap();
    assert!(atom.contains("<title>Own</title>"), "{atom}");
    assert_eq!(almanac(&["init", "-s", site]).status.code(), Some(2));
}

#[test]
fn a_jekyll_permalink_without_a_slash_is_published_as_written() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "_config.yml",
                "url: https://j.example\npermalink: /:title\n",
            ),
            ("_posts/2024-3-1-first.md", POST),
        ],
    );
    let site = dir.path().to_str().unwrap();
    let output = almanac(&["build", "-s", site, "--now", NOW]);
    assert!(output.status.success(), "{}", stderr(&output));
    let atom = fs::read_to_string(dir.path().join("feeds/atom.xml")).unwrap();
    assert!(atom.contains(r#"href="https://j.example/first""#), "{atom}");
}
