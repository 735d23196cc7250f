//! Faults a run must survive: links inside the output, damaged and shared
//! caches, pipes and vanishing notes, failed renames and removals, coarse
//! and pre-1970 clocks, and inputs built to blow up the output. After each,
//! every published file is what a clean build writes, and nothing outside
//! the output folder is touched.

use crate::support::*;
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// `almanac build` of `site` into `out` with `extra` arguments and `env`.
fn build_with(site: &Path, out: &Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_almanac"));
    command
        .arg("build")
        .args(["--config", site.join("almanac.yaml").to_str().unwrap()])
        .args(["--content", site.join("content").to_str().unwrap()])
        .args(["--out", out.to_str().unwrap(), "--now", NOW])
        .args(extra)
        .env("TZ", "Pacific/Chatham");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

/// The files a clean build of `site` publishes.
fn clean(site: &Path, published: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    files(clean_build(site, published).path())
}

/// Replaces `from` by `to` in the note at `path`.
fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    fs::write(path, text.replace(from, to)).unwrap();
}

fn berlin(site: &Path) -> std::path::PathBuf {
    site.join("content/posts/rust-night-berlin.md")
}

#[test]
fn a_linked_folder_inside_the_output_is_never_written_or_emptied_through() {
    let (site, out) = built_sample();
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("rust-night-berlin.ics"), "theirs").unwrap();
    fs::write(elsewhere.path().join("keep.txt"), "theirs too").unwrap();
    let before = files(elsewhere.path());
    fs::remove_dir_all(out.join("events")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), out.join("events")).unwrap();
    // The file list names a calendar under the link that no run makes now.
    let list = out.join(".almanac/files");
    let mut listed = fs::read_to_string(&list).unwrap();
    listed.push_str("events/keep.txt\n");
    fs::write(&list, listed).unwrap();
    edit(&berlin(site.path()), "Doors open", "Doors open wide");
    let run = build(site.path(), &out);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(stderr(&run).contains("symbolic link"), "{}", stderr(&run));
    assert!(stderr(&run).contains("events"), "{}", stderr(&run));
    assert_eq!(
        files(elsewhere.path()),
        before,
        "nothing written or removed there"
    );
    // A linked state folder is refused too, before the lock is made in it.
    let other = tempfile::tempdir().unwrap();
    let out2 = other.path().join("feeds");
    fs::create_dir(&out2).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), out2.join(".almanac")).unwrap();
    let run = build(site.path(), &out2);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert_eq!(files(elsewhere.path()), before);
}

/// Builds the sample, damages its notes file with `damage`, edits an
/// agenda (so calendars are copied from the cache), and checks the run
/// publishes what a clean build does, then again after every note is touched.
fn survives_notes_damage(damage: impl Fn(&mut Vec<u8>)) {
    let (site, out) = built_sample();
    let notes = out.join(".almanac/notes");
    let mut bytes = fs::read(&notes).unwrap();
    damage(&mut bytes);
    fs::write(&notes, &bytes).unwrap();
    let tokyo = site.path().join("content/posts/backend-night-7.md");
    edit(&tokyo, "懇親会", "懇親会と片付け");
    let run = build(site.path(), &out);
    assert!(run.status.success(), "{}", stderr(&run));
    let calendar = fs::read(out.join("calendar.ics")).unwrap();
    assert!(!calendar.contains(&0), "no NUL byte published");
    assert_eq!(files(&out), clean(site.path(), &out));
    age(&site.path().join("content"), Duration::from_secs(60));
    let run = build(site.path(), &out);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(files(&out), clean(site.path(), &out));
}

#[test]
fn a_zeroed_block_in_the_notes_file_is_never_published() {
    survives_notes_damage(|bytes| {
        let at = bytes.len() / 3;
        let end = (at + 4096).min(bytes.len());
        bytes[at..end].fill(0);
    });
}

#[test]
fn flipped_bytes_in_the_notes_file_are_never_published() {
    survives_notes_damage(|bytes| {
        for at in [bytes.len() / 2, bytes.len() / 2 + 7, bytes.len() - 40] {
            bytes[at] ^= 0x20;
        }
        // A CRLF made a bare LF inside an event.
        if let Some(at) = bytes.windows(2).position(|w| w == b"\r\n") {
            bytes[at] = b' ';
        }
    });
}

#[test]
fn an_index_with_swapped_spans_is_a_miss_not_a_note_error() {
    let (site, out) = built_sample();
    let index_path = out.join(".almanac/index.json");
    let sealed = fs::read(&index_path).unwrap();
    let mut index: serde_json::Value = serde_json::from_slice(&sealed[17..]).unwrap();
    let entries = index["entries"].as_array_mut().unwrap();
    let (a, b) = (entries[0].clone(), entries[1].clone());
    for key in ["stored_at", "events_at"] {
        entries[0][key] = b[key].clone();
        entries[1][key] = a[key].clone();
    }
    let json = serde_json::to_vec(&index).unwrap();
    // Once with its checksum as it was (the index is refused whole), once
    // with a checksum made to fit (each record is checked against its own).
    let refit = format!("{:016x}\n", xxhash_rust::xxh3::xxh3_64(&json));
    for (head, edited) in [
        (sealed[..17].to_vec(), "Doors opening"),
        (refit.into_bytes(), "Doors opened"),
    ] {
        fs::write(&index_path, [head, json.clone()].concat()).unwrap();
        edit(&berlin(site.path()), "Doors open", edited);
        let run = build(site.path(), &out);
        assert!(run.status.success(), "{}", stderr(&run));
        assert!(!stderr(&run).contains("already used"), "{}", stderr(&run));
        assert_eq!(files(&out), clean(site.path(), &out));
    }
}

#[test]
fn outputs_sharing_a_cache_each_get_what_a_clean_build_writes() {
    let site = sample_copy();
    let cache = tempfile::tempdir().unwrap();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let shared = ["--cache", cache.path().to_str().unwrap()];
    for out in [a.path(), b.path()] {
        assert!(build_with(site.path(), out, &shared, &[]).status.success());
    }
    edit(&berlin(site.path()), "Doors open", "Doors opening");
    for out in [a.path(), b.path()] {
        let run = build_with(site.path(), out, &shared, &[]);
        assert!(run.status.success(), "{}", stderr(&run));
    }
    let expected = clean(site.path(), a.path());
    assert_eq!(files(a.path()), expected);
    assert_eq!(
        files(b.path()),
        expected,
        "the second output is not left stale"
    );
    // At once: the cache folder's lock makes one wait for the other.
    edit(&berlin(site.path()), "Doors opening", "Doors opened");
    let runs: Vec<_> = [a.path(), b.path()]
        .into_iter()
        .map(|out| {
            Command::new(env!("CARGO_BIN_EXE_almanac"))
                .arg("build")
                .args([
                    "--config",
                    site.path().join("almanac.yaml").to_str().unwrap(),
                ])
                .args(["--out", out.to_str().unwrap(), "--now", NOW])
                .args(shared)
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut run in runs {
        assert!(run.wait().unwrap().success());
    }
    let expected = clean(site.path(), a.path());
    assert_eq!(files(a.path()), expected);
    assert_eq!(files(b.path()), expected);
}

#[test]
fn a_pipe_named_like_a_note_is_refused_without_waiting_for_it() {
    let (site, out) = built_sample();
    let pipe = site.path().join("content/posts/pipe.md");
    let made = Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success());
    let before = files(&out);
    let mut run = Command::new(env!("CARGO_BIN_EXE_almanac"))
        .arg("build")
        .args([
            "--config",
            site.path().join("almanac.yaml").to_str().unwrap(),
        ])
        .args(["--out", out.to_str().unwrap(), "--now", NOW])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = run.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            run.kill().unwrap();
            panic!("the run waits on the pipe");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut message = String::new();
    std::io::Read::read_to_string(run.stderr.as_mut().unwrap(), &mut message).unwrap();
    assert_eq!(status.code(), Some(1), "{message}");
    assert!(
        message.contains("pipe.md:1: not a regular file"),
        "{message}"
    );
    assert_eq!(files(&out), before, "nothing published");
}

#[test]
fn an_unreadable_subfolder_is_named_and_fails_like_a_note() {
    let (site, out) = built_sample();
    let run = build_with(site.path(), &out, &[], &[("ALMANAC_FAULT", "list:posts")]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("content/posts:1: cannot read the folder"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn notes_vanishing_while_the_folder_is_listed_are_simply_gone() {
    let site = sample_copy();
    let out = tempfile::tempdir().unwrap();
    let posts = site.path().join("content/posts");
    for round in 0..30 {
        let extra: Vec<_> = (0..40)
            .map(|i| posts.join(format!("gone-{round}-{i}.txt")))
            .collect();
        for path in &extra {
            fs::write(path, "not a note").unwrap();
        }
        let remover = std::thread::spawn(move || {
            for path in extra {
                let _ = fs::remove_file(path);
            }
        });
        let run = build(site.path(), out.path());
        remover.join().unwrap();
        assert!(run.status.success(), "round {round}: {}", stderr(&run));
    }
}

#[test]
fn a_failed_rename_leaves_the_old_output_all_of_it() {
    let (site, out) = built_sample();
    let before = files(&out);
    edit(&berlin(site.path()), "Doors open", "Doors open early");
    let run = build_with(site.path(), &out, &[], &[("ALMANAC_FAULT", "rename:3")]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert_eq!(files(&out), before, "every file as the last run left it");
    let leftovers = fs::read_dir(out.join("events"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .count();
    assert_eq!(leftovers, 0, "no kept copy left behind");
    let run = build(site.path(), &out);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(files(&out), clean(site.path(), &out));
}

#[test]
fn a_stale_file_whose_removal_fails_stays_listed_and_goes_later() {
    let (site, out) = built_sample();
    fs::remove_file(site.path().join("content/posts/online-office-hours.md")).unwrap();
    let fault = [("ALMANAC_FAULT", "remove:events/online-office-hours.ics")];
    let run = build_with(site.path(), &out, &[], &fault);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("warning: cannot remove"),
        "{}",
        stderr(&run)
    );
    assert!(out.join("events/online-office-hours.ics").exists());
    // Nothing changed since, and still the removal is tried again.
    let run = build(site.path(), &out);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!out.join("events/online-office-hours.ics").exists());
    assert!(!out.join(".almanac/stale").exists());
    assert_eq!(files(&out), clean(site.path(), &out));
}

/// Sets the mtime of `path` to `at`.
fn set_mtime(path: &Path, at: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(at)
        .unwrap();
}

#[test]
fn a_same_second_edit_on_a_coarse_clock_is_published() {
    let site = sample_copy();
    let out = tempfile::tempdir().unwrap();
    let note = berlin(site.path());
    // Whole seconds only, as FAT or ext4 with small inodes keep them.
    let second = SystemTime::UNIX_EPOCH
        + Duration::from_secs(
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
        );
    set_mtime(&note, second);
    assert!(build(site.path(), out.path()).status.success());
    edit(&note, "Doors open", "Doors shut");
    set_mtime(&note, second);
    let run = build(site.path(), out.path());
    assert!(run.status.success(), "{}", stderr(&run));
    let calendar = fs::read_to_string(out.path().join("calendar.ics")).unwrap();
    assert!(calendar.contains("Doors shut"));
}

#[test]
fn edits_between_mtimes_before_1970_are_told_apart() {
    let site = sample_copy();
    let out = tempfile::tempdir().unwrap();
    let note = berlin(site.path());
    set_mtime(
        &note,
        SystemTime::UNIX_EPOCH - Duration::from_secs(10 * 365 * 86_400),
    );
    assert!(build(site.path(), out.path()).status.success());
    edit(&note, "Doors open", "Doors shut");
    set_mtime(
        &note,
        SystemTime::UNIX_EPOCH - Duration::from_secs(5 * 365 * 86_400),
    );
    let run = build(site.path(), out.path());
    assert!(run.status.success(), "{}", stderr(&run));
    let calendar = fs::read_to_string(out.path().join("calendar.ics")).unwrap();
    assert!(calendar.contains("Doors shut"));
}

#[test]
fn verify_heals_a_damaged_or_restored_file_and_writes_nothing_when_all_is_well() {
    let (site, out) = built_sample();
    let calendar = out.join("calendar.ics");
    let whole = fs::read(&calendar).unwrap();
    fs::write(&calendar, &whole[..whole.len() / 2]).unwrap();
    fs::write(out.join("atom.xml"), "<feed/>").unwrap();
    let run = build(site.path(), &out);
    assert!(run.status.success());
    assert_ne!(
        fs::read(&calendar).unwrap(),
        whole,
        "a plain run trusts the cache"
    );
    let run = build_with(site.path(), &out, &["--verify"], &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(String::from_utf8_lossy(&run.stdout).contains(" 2 files written"));
    assert_eq!(files(&out), clean(site.path(), &out));
    let run = build_with(site.path(), &out, &["--verify"], &[]);
    assert!(String::from_utf8_lossy(&run.stdout).contains(" 0 files written"));
}

#[test]
fn identical_runs_leave_identical_caches() {
    let site = sample_copy();
    let out = tempfile::tempdir().unwrap();
    let state = |out: &Path| {
        ["index.json", "notes", "files"]
            .map(|name| fs::read(out.join(".almanac").join(name)).unwrap())
    };
    assert!(build(site.path(), out.path()).status.success());
    let first = state(out.path());
    for name in ["index.json", "notes", "files"] {
        fs::remove_file(out.path().join(".almanac").join(name)).unwrap();
    }
    assert!(build(site.path(), out.path()).status.success());
    assert_eq!(state(out.path()), first);
}

/// A site of one note with `front` in its front matter and `body`.
fn one_note(config_extra: &str, front: &str, body: &str) -> tempfile::TempDir {
    let config =
        format!("title: T\nbase_url: https://x.example/\ntimezone: Europe/Berlin\n{config_extra}");
    let note = format!("---\ntitle: Big\ndate: 2025-05-01\n{front}---\n{body}");
    site(&config, &[("n.md", &note)])
}

#[test]
fn a_note_with_thousands_of_tags_is_refused_with_its_line() {
    let tags: Vec<String> = (0..2_000).map(|i| format!("t{i}")).collect();
    let site = one_note("", &format!("tags: [{}]\n", tags.join(", ")), "x\n");
    let out = tempfile::tempdir().unwrap();
    let run = build(site.path(), out.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("n.md:4: 2000 tags, over max_tags (100)"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn deeply_nested_raw_html_is_kept_as_text() {
    let body = "<div>".repeat(10_000) + &"</div>".repeat(10_000) + "\n";
    let site = one_note("", "", &body);
    let out = tempfile::tempdir().unwrap();
    let run = build(site.path(), out.path());
    assert!(run.status.success(), "{}", stderr(&run));
    let feed = fs::read_to_string(out.path().join("atom.xml")).unwrap();
    let parsed = atom_syndication::Feed::read_from(feed.as_bytes()).unwrap();
    let content = parsed.entries[0]
        .content
        .as_ref()
        .unwrap()
        .value
        .clone()
        .unwrap();
    assert!(
        content.starts_with("&lt;div&gt;&lt;div&gt;"),
        "{}",
        &content[..40]
    );
}

#[test]
fn one_huge_note_keeps_every_entry_readable() {
    let links: String = (0..60_000)
        .map(|i| format!("[link {i}](https://x.example/{i}) "))
        .collect();
    let site = one_note(
        "",
        "description: A note of many links.\n",
        &format!("{links}\n"),
    );
    fs::write(
        site.path().join("content/small.md"),
        "---\ntitle: Small\ndate: 2025-04-01\n---\nsmall\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = build(site.path(), out.path());
    assert!(run.status.success(), "{}", stderr(&run));
    let feed = fs::read_to_string(out.path().join("atom.xml")).unwrap();
    assert!(feed.len() < 1 << 20, "{} bytes", feed.len());
    let parsed = atom_syndication::Feed::read_from(feed.as_bytes()).unwrap();
    assert_eq!(parsed.entries.len(), 2);
    let content = parsed.entries[0]
        .content
        .as_ref()
        .unwrap()
        .value
        .clone()
        .unwrap();
    assert!(content.contains("A note of many links."));
    assert!(content.contains("href=\"https://x.example/n/\""));
}

#[test]
fn notes_built_to_amplify_stay_within_a_bound() {
    let site = one_note("", "tags: [a, b, c]\n", "");
    // Six notes just within max_note_bytes (4 MiB), each a single slot.
    let body = "<&".repeat(1_000_000);
    for i in 0..6 {
        let note = format!(
            "---\ntitle: Amp {i}\ndate: 2025-05-0{}\ntags: [a, b, c]\n---\n## 19:00 Talk\n\n{body}\n\n{body}\n",
            i + 1
        );
        fs::write(site.path().join(format!("content/amp-{i}.md")), note).unwrap();
    }
    let input: u64 = fs::read_dir(site.path().join("content"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    let out = tempfile::tempdir().unwrap();
    let (status, peak) = peak_memory(
        Command::new(env!("CARGO_BIN_EXE_almanac"))
            .arg("build")
            .args([
                "--config",
                site.path().join("almanac.yaml").to_str().unwrap(),
            ])
            .args(["--out", out.path().to_str().unwrap(), "--now", NOW]),
    );
    assert!(status.success());
    let written: u64 = files(out.path())
        .values()
        .map(|bytes| bytes.len() as u64)
        .sum();
    assert!(
        written < 2 * input,
        "{written} bytes written for {input} read"
    );
    assert!(peak < 1 << 20, "peak {peak} KiB");
}

/// Runs `command` to its end; its exit status and its peak resident
/// memory in KiB, as the kernel last reported it (`VmHWM`).
fn peak_memory(command: &mut Command) -> (std::process::ExitStatus, u64) {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = fs::read_to_string(&status_file)
            && let Some(line) = text.lines().find(|line| line.starts_with("VmHWM:"))
        {
            let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            return (status, peak);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_slug_hiding_a_right_to_left_override_is_refused() {
    let site = one_note("", "slug: \"evil\u{202e}gpj.ics\"\n", "x\n");
    let out = tempfile::tempdir().unwrap();
    let run = build(site.path(), out.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("n.md:4: the permalink"),
        "{}",
        stderr(&run)
    );
    assert!(files(out.path()).is_empty());
}

#[test]
fn watch_builds_for_changes_only_and_follows_a_content_folder_made_anew() {
    let site = sample_copy();
    let out = tempfile::tempdir().unwrap();
    let mut watch = Command::new(env!("CARGO_BIN_EXE_almanac"))
        .arg("build")
        .args([
            "--config",
            site.path().join("almanac.yaml").to_str().unwrap(),
        ])
        .args([
            "--out",
            out.path().to_str().unwrap(),
            "--now",
            NOW,
            "--watch",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = watch.stdout.take().unwrap();
    let (sender, builds) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines() {
            let _ = sender.send(line.unwrap());
        }
    });
    let next = |wait: u64| builds.recv_timeout(Duration::from_secs(wait)).ok();
    assert!(next(60).is_some(), "the first build");
    // Reading notes and the config is no change.
    for _ in 0..5 {
        fs::read(berlin(site.path())).unwrap();
        fs::read(site.path().join("almanac.yaml")).unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(next(2), None, "no build while idle");
    edit(&berlin(site.path()), "Doors open", "Doors shut");
    assert!(next(30).is_some(), "an edit builds");
    // The content folder removed and made again, then edited.
    let content = site.path().join("content");
    let moved = site.path().join("moved");
    fs::rename(&content, &moved).unwrap();
    copy_tree(&moved, &content);
    fs::remove_dir_all(&moved).unwrap();
    while next(3).is_some() {}
    edit(&berlin(site.path()), "Doors shut", "Doors ajar");
    let seen = next(30);
    watch.kill().unwrap();
    let _ = watch.wait();
    assert!(seen.is_some(), "the new folder is watched");
    let calendar = fs::read_to_string(out.path().join("calendar.ics")).unwrap();
    assert!(calendar.contains("Doors ajar"));
}
