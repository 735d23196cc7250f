//! Runs as cron makes them: repeated, overlapping, interrupted.

use crate::support::*;
use std::fs::{self, File};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

/// Rewrites a file with other bytes of the same length and restores its
/// mtime: a run that trusts its cache cannot tell, one that reads the file can.
fn swap_unseen(path: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let modified = fs::metadata(path).unwrap().modified().unwrap();
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from));
    fs::write(path, text.replace(from, to)).unwrap();
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
}

#[test]
fn an_unchanged_run_reads_no_note_and_one_edit_reparses_only_that_note() {
    let (site, out) = built_sample();
    let berlin = site.path().join("content/posts/rust-night-berlin.md");
    swap_unseen(&berlin, "Doors open", "Doors shut");
    let rerun = build(site.path(), &out);
    assert!(String::from_utf8_lossy(&rerun.stdout).contains(" 0 files written"));
    assert!(
        !fs::read_to_string(out.join("calendar.ics"))
            .unwrap()
            .contains("Doors shut"),
        "the note was not read"
    );

    // Edit another note for real: it is parsed again, the swapped one is not.
    let tokyo = site.path().join("content/posts/backend-night-7.md");
    let text = fs::read_to_string(&tokyo).unwrap();
    fs::write(&tokyo, text.replace("懇親会", "懇親会と片付け")).unwrap();
    let rerun = build(site.path(), &out);
    assert!(rerun.status.success());
    let calendar = fs::read_to_string(out.join("calendar.ics")).unwrap();
    assert!(calendar.contains("懇親会と片付け"));
    assert!(!calendar.contains("Doors shut"));
}

#[test]
fn a_relative_and_an_absolute_content_path_share_the_cache() {
    let (site, out) = built_sample();
    let berlin = site.path().join("content/posts/rust-night-berlin.md");
    swap_unseen(&berlin, "Doors open", "Doors shut");
    // The same site named from inside it, as a hand run would.
    let rerun = Command::new(env!("CARGO_BIN_EXE_almanac"))
        .current_dir(site.path())
        .args(["build", "--config", "almanac.yaml", "--content", "content"])
        .args(["--out", "feeds", "--now", NOW])
        .output()
        .unwrap();
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    let calendar = fs::read_to_string(out.join("calendar.ics")).unwrap();
    assert!(!calendar.contains("Doors shut"), "the note was read again");
}

#[test]
fn a_corrupt_cache_is_ignored_and_rebuilt() {
    let (site, out) = built_sample();
    let clean = files(&out);
    let cache = out.join(".almanac/index.json");
    fs::write(&cache, b"\x00\x01 not a cache").unwrap();
    // A note changed unseen is now read again: the cache is not trusted.
    swap_unseen(
        &site.path().join("content/posts/rust-night-berlin.md"),
        "Doors open",
        "Doors shut",
    );
    let rerun = build(site.path(), &out);
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    assert!(
        fs::read_to_string(out.join("calendar.ics"))
            .unwrap()
            .contains("Doors shut")
    );
    assert_ne!(files(&out), clean);
    let index = fs::read(&cache).unwrap();
    assert!(
        index.len() > 17
            && index[..16].iter().all(u8::is_ascii_hexdigit)
            && index[16..].starts_with(b"\n{"),
        "the cache is rewritten, its checksum first"
    );
}

#[test]
fn a_damaged_notes_file_is_not_trusted() {
    let (site, out) = built_sample();
    // Same header (generation), every note and event block past it garbled.
    let notes = out.join(".almanac/notes");
    let bytes = fs::read(&notes).unwrap();
    let header = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let mut damaged = bytes[..header].to_vec();
    damaged.extend(bytes[header..].iter().map(|_| b'#'));
    fs::write(&notes, damaged).unwrap();
    swap_unseen(
        &site.path().join("content/posts/rust-night-berlin.md"),
        "Doors open",
        "Doors shut",
    );
    // Another note changes, so the run cannot skip reading.
    let tokyo = site.path().join("content/posts/backend-night-7.md");
    let text = fs::read_to_string(&tokyo).unwrap();
    fs::write(&tokyo, text.replace("懇親会", "懇親会2")).unwrap();
    let rerun = build(site.path(), &out);
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    let calendar = fs::read_to_string(out.join("calendar.ics")).unwrap();
    assert!(calendar.contains("Doors shut"), "the notes were read again");
    assert!(!calendar.contains("###"));
    let clean = clean_build(site.path(), &out);
    assert_eq!(files(&out), files(clean.path()));
}

#[test]
fn outputs_that_no_longer_belong_are_removed_and_others_kept() {
    let (site, out) = built_sample();
    fs::write(out.join("index.html"), "a file almanac never wrote").unwrap();
    assert!(out.join("tags/rust/atom.xml").exists());
    fs::remove_file(site.path().join("content/posts/rust-night-berlin.md")).unwrap();
    let rerun = build(site.path(), &out);
    assert!(rerun.status.success());
    assert!(String::from_utf8_lossy(&rerun.stdout).contains("removed"));
    assert!(!out.join("events/rust-night-berlin.ics").exists());
    assert!(
        !out.join("tags/rust").exists(),
        "a tag no note has any more"
    );
    assert!(out.join("index.html").exists());
}

#[test]
fn a_deleted_output_is_rebuilt_even_with_nothing_changed() {
    let (site, out) = built_sample();
    fs::remove_file(out.join("rss.xml")).unwrap();
    assert!(build(site.path(), &out).status.success());
    assert!(out.join("rss.xml").exists());
}

#[test]
fn a_second_run_waits_for_the_lock_then_exits_3() {
    let site = sample_copy();
    let out = site.path().join("feeds");
    fs::create_dir_all(out.join(".almanac")).unwrap();
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(out.join(".almanac/lock"))
        .unwrap();
    lock.lock().unwrap();
    let started = SystemTime::now();
    let output = almanac(&[
        "build",
        "--config",
        site.path().join("almanac.yaml").to_str().unwrap(),
        "--lock-timeout",
        "1",
    ]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("another almanac run"),
        "{}",
        stderr(&output)
    );
    assert!(started.elapsed().unwrap() >= Duration::from_secs(1));
    assert!(!out.join("atom.xml").exists());
    drop(lock);
    assert!(
        build(site.path(), &out).status.success(),
        "the lock dies with its holder"
    );
}

#[test]
fn a_failed_write_keeps_every_published_file() {
    let (site, out) = built_sample();
    let before = files(&out);
    // Make writing the note calendars impossible (a file where a folder must
    // be; permissions would not stop root), then change every output.
    fs::rename(out.join("events"), site.path().join("events-aside")).unwrap();
    fs::write(out.join("events"), "in the way").unwrap();
    let config = site.path().join("almanac.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        text.replace("title: Meetup notes", "title: Meetup notes 2"),
    )
    .unwrap();
    let failed = build(site.path(), &out);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(stderr(&failed).contains("events"), "{}", stderr(&failed));
    for (path, old) in &before {
        if path.starts_with("events/") {
            continue;
        }
        let now = fs::read(out.join(path)).unwrap();
        assert!(
            now == *old || String::from_utf8_lossy(&now).contains("Meetup notes 2"),
            "{path} is neither old nor new"
        );
    }
    // The next good run recovers.
    fs::remove_file(out.join("events")).unwrap();
    let recovered = build(site.path(), &out);
    assert!(recovered.status.success(), "{}", stderr(&recovered));
    assert!(out.join("events/backend-night-7.ics").exists());
}

#[test]
fn a_run_killed_midway_leaves_whole_files_and_the_next_run_recovers() {
    // A site big enough that a build takes a while.
    let site = tempfile::tempdir().unwrap();
    fs::copy(
        repo().join("almanac.yaml"),
        site.path().join("almanac.yaml"),
    )
    .unwrap();
    let template = fs::read_to_string(repo().join("content/posts/backend-night-7.md")).unwrap();
    let content = site.path().join("content");
    fs::create_dir_all(&content).unwrap();
    for i in 0..1500 {
        let note = template
            .replace("Backend Night #7", &format!("Backend Night #{i}"))
            .replace(
                "2024-11-26",
                &format!("2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
            )
            .replace("\"kubernetes\"", &format!("\"tag{}\"", i % 40));
        fs::write(content.join(format!("night-{i}.md")), note).unwrap();
    }
    let out = site.path().join("feeds");
    assert!(build(site.path(), &out).status.success());
    let first = files(&out);
    // Change every note, then kill builds at several moments.
    for path in fs::read_dir(&content).unwrap().flatten().map(|e| e.path()) {
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("懇親会", "懇親会2")).unwrap();
    }
    for delay in [5, 40, 120, 250] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_almanac"))
            .args([
                "build",
                "--quiet",
                "--now",
                NOW,
                "--config",
                site.path().join("almanac.yaml").to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        for (path, bytes) in files(&out) {
            let name = path.rsplit('/').next().unwrap_or(&path);
            if name.starts_with(".almanac-") && name.ends_with(".tmp") {
                // A staged file the kill left before its rename: no reader
                // asks for it, and the next run sweeps it (checked below).
                continue;
            }
            let text = String::from_utf8(bytes).unwrap();
            assert!(first.contains_key(&path), "{path} appeared from nowhere");
            let whole = if path.ends_with(".ics") {
                text.ends_with("END:VCALENDAR\r\n")
            } else {
                text.ends_with('\n') && text.len() > 20
            };
            assert!(whole, "{path} is cut short after a kill at {delay} ms");
        }
    }
    let recovered = build(site.path(), &out);
    assert!(recovered.status.success());
    let clean = clean_build(site.path(), &out);
    assert_eq!(
        files(&out),
        files(clean.path()),
        "the next run recovers fully"
    );
    assert!(
        walk_names(&out).iter().all(|n| !n.ends_with(".tmp")),
        "no temporary files remain"
    );
}

fn walk_names(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            names.extend(walk_names(&entry.path()));
        } else {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names
}

#[test]
fn watch_rebuilds_when_a_note_changes() {
    let site = sample_copy();
    let out = site.path().join("feeds");
    let mut child = Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args([
            "build",
            "--watch",
            "--quiet",
            "--config",
            site.path().join("almanac.yaml").to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let wait_for = |what: &dyn Fn() -> bool| {
        for _ in 0..200 {
            if what() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    };
    let calendar = out.join("calendar.ics");
    let built =
        wait_for(&|| fs::read_to_string(&calendar).is_ok_and(|t| t.ends_with("END:VCALENDAR\r\n")));
    std::thread::sleep(Duration::from_millis(300)); // let the watcher settle
    let note = site.path().join("content/posts/backend-night-7.md");
    let text = fs::read_to_string(&note).unwrap();
    fs::write(&note, text.replace("懇親会", "懇親会（watch）")).unwrap();
    let rebuilt =
        wait_for(&|| fs::read_to_string(&calendar).is_ok_and(|t| t.contains("懇親会（watch）")));
    let _ = child.kill();
    let _ = child.wait();
    assert!(built, "the first build ran");
    assert!(rebuilt, "the edit was published");
}

#[test]
fn an_incremental_run_publishes_exactly_what_a_full_build_does() {
    let (site, out) = built_sample();
    // Edit one note (its tags too), remove another, add a third.
    let tokyo = site.path().join("content/posts/backend-night-7.md");
    let text = fs::read_to_string(&tokyo).unwrap();
    fs::write(
        &tokyo,
        text.replace("懇親会", "懇親会2")
            .replace("\"kubernetes\"", "\"k8s\""),
    )
    .unwrap();
    fs::remove_file(site.path().join("content/posts/online-office-hours.md")).unwrap();
    fs::write(
        site.path().join("content/posts/new.md"),
        "---\ntitle: New\ndate: 2024-12-01\ntags: [rust]\n---\n## 10:00 Added\n",
    )
    .unwrap();
    assert!(build(site.path(), &out).status.success());
    let clean = clean_build(site.path(), &out);
    assert_eq!(files(&out), files(clean.path()));
}

#[test]
fn an_edit_appends_to_the_cache_and_a_mostly_stale_cache_is_written_anew() {
    let site = sample_copy();
    let out = site.path().join("feeds");
    let notes = out.join(".almanac/notes");
    assert!(build(site.path(), &out).status.success());
    let tokyo = site.path().join("content/posts/backend-night-7.md");
    let original = fs::read_to_string(&tokyo).unwrap();
    let mut previous = fs::read(&notes).unwrap();
    let mut compacted = false;
    for edit in 1..=40 {
        fs::write(&tokyo, original.replace("懇親会", &format!("懇親会{edit}"))).unwrap();
        let rerun = build(site.path(), &out);
        assert!(rerun.status.success(), "{}", stderr(&rerun));
        let now = fs::read(&notes).unwrap();
        if now.starts_with(&previous) {
            // Appended: what the last index pointed to is untouched.
            assert!(now.len() > previous.len(), "edit {edit} appended nothing");
        } else {
            // Written anew once most of it was stale: smaller than before.
            assert!(now.len() < previous.len(), "edit {edit}");
            compacted = true;
        }
        previous = now;
        let clean = clean_build(site.path(), &out);
        assert_eq!(files(&out), files(clean.path()), "edit {edit}");
        if compacted && edit % 2 == 0 {
            break;
        }
    }
    assert!(compacted, "the stale cache was never written anew");
}

#[test]
fn an_edit_outside_the_agenda_renders_no_calendar_and_one_inside_only_those_holding_it() {
    let (site, out) = built_sample();
    let calendars = [
        "calendar.ics",
        "events/backend-night-7.ics",
        "events/rust-night-berlin.ics",
        "tags/event/calendar.ics",
        "tags/kubernetes/calendar.ics",
        "tags/rust/calendar.ics",
    ];
    mark(&out, &calendars);
    let marked = |calendar: &str| marked(&out, calendar);
    let tokyo = site.path().join("content/posts/backend-night-7.md");
    let edit = |from: &str, to: &str| {
        let text = fs::read_to_string(&tokyo).unwrap();
        assert!(text.contains(from), "{from}");
        fs::write(&tokyo, text.replace(from, to)).unwrap();
        let rerun = build(site.path(), &out);
        assert!(rerun.status.success(), "{}", stderr(&rerun));
    };

    // The paragraph above the agenda is in the feeds' content, in no event.
    edit("二回目の参加です。", "三回目の参加です。");
    assert!(
        fs::read_to_string(out.join("atom.xml"))
            .unwrap()
            .contains("三回目の参加です。")
    );
    for calendar in calendars {
        assert!(marked(calendar), "{calendar} was rendered");
    }

    // A slot's title is in the note's calendar, the site's and its tags'.
    edit("オープニング・乾杯", "オープニング");
    for calendar in calendars {
        let holds_the_note = !calendar.contains("rust");
        assert_eq!(!marked(calendar), holds_the_note, "{calendar}");
        if holds_the_note {
            let text = fs::read_to_string(out.join(calendar)).unwrap();
            assert!(
                text.contains("SUMMARY:Backend Night #7: オープニング\r\n"),
                "{calendar}"
            );
        }
    }

    // Its title: the name of its own calendar, and in every event's title
    // (`event_title`), so every calendar holding it.
    mark(&out, &calendars);
    edit("\"Backend Night #7\"", "\"Backend Night #7 report\"");
    for calendar in calendars {
        let holds_the_note = !calendar.contains("rust");
        assert_eq!(!marked(calendar), holds_the_note, "{calendar}");
    }
    let own = fs::read_to_string(out.join("events/backend-night-7.ics")).unwrap();
    assert!(own.contains("X-WR-CALNAME:Backend Night #7 report\r\n"));

    // Its tags alone: the calendars of the tag it leaves and the one it joins.
    edit("\"kubernetes\"", "\"k8s\"");
    assert!(!out.join("tags/kubernetes/calendar.ics").exists());
    assert!(out.join("tags/k8s/calendar.ics").exists());
    assert!(!marked("tags/event/calendar.ics"));
    assert!(marked("tags/rust/calendar.ics"));

    // What is still marked is rendered again once deleted; then the output
    // is what a build from scratch gives.
    for calendar in calendars {
        if out.join(calendar).exists() && marked(calendar) {
            fs::remove_file(out.join(calendar)).unwrap();
        }
    }
    assert!(build(site.path(), &out).status.success());
    let clean = clean_build(site.path(), &out);
    assert_eq!(files(&out), files(clean.path()));
}

#[test]
fn keep_going_keeps_the_last_version_of_a_note_that_became_invalid() {
    let talk = "---\ntitle: Talk\ndate: 2024-01-05\n---\n\nFirst words.\n\n## 19:00 Doors\n";
    let other = "---\ntitle: Other\ndate: 2024-01-01\n---\nok\n";
    let site = site(
        "title: T\nbase_url: https://t.example/\ntimezone: UTC\nkeep_going: true\n",
        &[("talk.md", talk), ("other.md", other)],
    );
    let out = site.path().join("feeds");
    assert!(build(site.path(), &out).status.success());
    // Broken by an edit; a new note, broken from the start, beside it.
    let talk_path = site.path().join("content/talk.md");
    fs::write(
        &talk_path,
        talk.replace("2024-01-05", "2024-01-55")
            .replace("First", "Later"),
    )
    .unwrap();
    fs::write(
        site.path().join("content/new.md"),
        "---\ntitle: [New\n---\nx\n",
    )
    .unwrap();
    for _ in 0..2 {
        // Every run says what is wrong, and publishes what was there.
        let run = build(site.path(), &out);
        assert_eq!(run.status.code(), Some(4), "{}", stderr(&run));
        let said = stderr(&run);
        assert!(said.contains("talk.md:3: `date: 2024-01-55`"), "{said}");
        assert!(
            said.contains("talk.md:1: warning: its last valid version stays published"),
            "{said}"
        );
        assert!(said.contains("new.md:2: front matter"), "{said}");
        let atom = fs::read_to_string(out.join("atom.xml")).unwrap();
        assert!(
            atom.contains("First words.") && !atom.contains("Later"),
            "{atom}"
        );
        assert!(!atom.contains("<title>New</title>"), "{atom}");
        assert!(out.join("events/talk.ics").exists());
        assert!(
            fs::read_to_string(out.join("calendar.ics"))
                .unwrap()
                .contains("Doors")
        );
    }
    // Without keep-going, all or nothing still.
    let config = site.path().join("almanac.yaml");
    fs::write(
        &config,
        "title: T\nbase_url: https://t.example/\ntimezone: UTC\n",
    )
    .unwrap();
    assert_eq!(build(site.path(), &out).status.code(), Some(1));
    // Fixed, its new version replaces the kept one.
    fs::remove_file(site.path().join("content/new.md")).unwrap();
    fs::write(&talk_path, talk.replace("First", "Later")).unwrap();
    let fixed = build(site.path(), &out);
    assert!(fixed.status.success(), "{}", stderr(&fixed));
    let atom = fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(
        atom.contains("Later words.") && !atom.contains("First"),
        "{atom}"
    );
}

#[test]
fn keep_going_publishes_the_valid_notes_and_exits_4() {
    let good = "---\ntitle: Good\ndate: 2024-01-01\n---\nok\n";
    let bad = "---\ntitle: Bad\ndate: someday\n---\nx\n";
    let site = site(
        "title: T\nbase_url: https://t.example/\n",
        &[("good.md", good), ("bad.md", bad)],
    );
    let out = site.path().join("feeds");
    let all_or_nothing = build(site.path(), &out);
    assert_eq!(all_or_nothing.status.code(), Some(1));
    assert!(!out.join("atom.xml").exists());
    let config = site.path().join("almanac.yaml");
    let kept = almanac(&[
        "build",
        "--config",
        config.to_str().unwrap(),
        "--keep-going",
        "--now",
        NOW,
    ]);
    assert_eq!(kept.status.code(), Some(4), "{}", stderr(&kept));
    assert!(
        stderr(&kept).contains("bad.md:3: `date: someday`"),
        "{}",
        stderr(&kept)
    );
    let atom = fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(
        atom.contains("<title>Good</title>") && !atom.contains("Bad"),
        "{atom}"
    );
    // The key says the same, and a fixed note ends the exit code 4.
    fs::write(
        &config,
        "title: T\nbase_url: https://t.example/\nkeep_going: true\n",
    )
    .unwrap();
    assert_eq!(build(site.path(), &out).status.code(), Some(4));
    fs::write(
        site.path().join("content/bad.md"),
        bad.replace("someday", "2024-01-02"),
    )
    .unwrap();
    let fixed = build(site.path(), &out);
    assert!(fixed.status.success(), "{}", stderr(&fixed));
    assert!(
        fs::read_to_string(out.join("atom.xml"))
            .unwrap()
            .contains("<title>Bad</title>")
    );
}

#[test]
fn drafts_publish_on_request() {
    let draft = "---\ntitle: Half Done\ndate: 2024-01-01\ndraft: true\n---\nx\n";
    let site = site(
        "title: T\nbase_url: https://t.example/\n",
        &[("d.md", draft)],
    );
    let out = site.path().join("feeds");
    assert!(build(site.path(), &out).status.success());
    assert!(
        !fs::read_to_string(out.join("atom.xml"))
            .unwrap()
            .contains("Half Done")
    );
    let config = site.path().join("almanac.yaml");
    let output = almanac(&[
        "build",
        "--config",
        config.to_str().unwrap(),
        "--drafts",
        "--now",
        NOW,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        fs::read_to_string(out.join("atom.xml"))
            .unwrap()
            .contains("Half Done")
    );
}

#[test]
fn feed_html_is_kept_for_unchanged_notes_and_rendered_for_changed_ones() {
    let (site, out) = built_sample();
    let html_path = out.join(".almanac/html");
    let sealed = fs::read(&html_path).expect("the feed entries' HTML is kept");
    // Mark the kept HTML of every note, under a checksum made to fit: a
    // run that uses the kept HTML publishes the mark. Each entry is a
    // line (path, hash, length) and then its HTML.
    let text = String::from_utf8(sealed[17..].to_vec()).unwrap();
    let (header, mut rest) = text.split_once('\n').unwrap();
    let mut marked = format!("{header}\n");
    let mut entries = 0;
    while let Some((line, after)) = rest.split_once('\n') {
        let fields: Vec<&str> = line.split('\t').collect();
        let len: usize = fields[2].parse().unwrap();
        marked.push_str(&format!("{}\t{}\t11\n<p>kept</p>", fields[0], fields[1]));
        rest = &after[len..];
        entries += 1;
    }
    assert!(entries > 1, "{entries} entries kept");
    let head = format!("{:016x}\n", xxhash_rust::xxh3::xxh3_64(marked.as_bytes()));
    fs::write(&html_path, [head, marked].concat()).unwrap();
    // One note changes; the site's feed is rewritten with every entry.
    let tokyo = site.path().join("content/posts/backend-night-7.md");
    let text = fs::read_to_string(&tokyo).unwrap();
    fs::write(
        &tokyo,
        text.replace("二回目の参加です。", "三回目の参加です。"),
    )
    .unwrap();
    let run = build(site.path(), &out);
    assert!(run.status.success(), "{}", stderr(&run));
    let atom = fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(
        atom.contains("三回目の参加です。"),
        "the changed note is rendered anew"
    );
    assert!(
        atom.contains("&lt;p&gt;kept&lt;/p&gt;"),
        "an unchanged note's HTML is reused"
    );
    // Under another key (a changed config), nothing kept is used.
    let config = site.path().join("almanac.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, text.replace("feed_limit: 50", "feed_limit: 40")).unwrap();
    assert!(build(site.path(), &out).status.success());
    assert!(
        !fs::read_to_string(out.join("atom.xml"))
            .unwrap()
            .contains("kept")
    );
}
