//! The sample site: its committed `feeds/` is what a build produces, and a
//! rebuild changes nothing.

use crate::support::*;
use std::fs;

#[test]
fn committed_feeds_match_a_fresh_build_byte_for_byte() {
    let out = tempfile::tempdir().unwrap();
    // Exactly the README's command, minus the clock: the sample has no
    // publishDate or expiryDate that "now" could change.
    let output = almanac(&[
        "build",
        "--config",
        repo().join("almanac.yaml").to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--quiet",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "--quiet prints nothing");
    let fresh = files(out.path());
    let committed = files(&repo().join("feeds"));
    assert_eq!(
        fresh.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>(),
        "feeds/ is stale: run `cargo run --release -- build` and commit feeds/"
    );
    for (path, bytes) in &fresh {
        assert!(
            committed[path] == *bytes,
            "feeds/{path} is stale: run `cargo run --release -- build` and commit feeds/"
        );
    }
}

#[test]
fn a_rebuild_writes_nothing_and_keeps_mtimes() {
    let site = sample_copy();
    let out = site.path().join("feeds");
    let first = build(site.path(), &out);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = files(&out);
    let stamp = |path: &String| {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::metadata(out.join(path)).unwrap();
        (meta.modified().unwrap(), meta.ino())
    };
    let mtimes: Vec<_> = before.keys().map(stamp).collect();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let second = build(site.path(), &out);
    assert!(second.status.success());
    let summary = String::from_utf8_lossy(&second.stdout);
    assert!(summary.contains(" 0 files written"), "{summary}");
    assert_eq!(files(&out), before);
    let after: Vec<_> = before.keys().map(stamp).collect();
    assert_eq!(mtimes, after, "mtimes and inodes are kept");
}

#[test]
fn editing_a_slot_title_keeps_every_uid() {
    let (site, out) = built_sample();
    let uids = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_string)
            .collect()
    };
    let before = fs::read_to_string(out.join("calendar.ics")).unwrap();
    let note = site.path().join("content/posts/backend-night-7.md");
    let text = fs::read_to_string(&note).unwrap();
    let edited = text
        .replace(
            "オンプレのクラスタを3年運用して学んだこと",
            "オンプレのクラスタを4年運用して学んだこと",
        )
        .replace("懇親会", "懇親会（会費あり）");
    assert_ne!(text, edited);
    fs::write(&note, edited).unwrap();
    assert!(build(site.path(), &out).status.success());
    let after = fs::read_to_string(out.join("calendar.ics")).unwrap();
    assert_ne!(before, after, "the titles changed");
    assert!(after.contains("4年運用"));
    assert_eq!(uids(&before), uids(&after));
}

#[test]
fn directory_order_and_tz_do_not_change_bytes() {
    // Same notes, written in the reverse order into a fresh folder.
    let site = sample_copy();
    let reversed = tempfile::tempdir().unwrap();
    fs::copy(
        site.path().join("almanac.yaml"),
        reversed.path().join("almanac.yaml"),
    )
    .unwrap();
    let mut notes: Vec<_> = files(&site.path().join("content")).into_iter().collect();
    notes.reverse();
    for (path, bytes) in notes {
        let target = reversed.path().join("content").join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, bytes).unwrap();
    }
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    assert!(build(site.path(), a.path()).status.success());
    let other = almanac_in(
        &[
            "build",
            "--config",
            reversed.path().join("almanac.yaml").to_str().unwrap(),
            "--out",
            b.path().to_str().unwrap(),
            "--now",
            NOW,
        ],
        "America/Los_Angeles",
        "ja_JP.UTF-8",
    );
    assert!(other.status.success());
    assert_eq!(files(a.path()), files(b.path()));
}
