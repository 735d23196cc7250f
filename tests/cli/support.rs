//! Running the binary and walking output folders.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixed "now" of every fixture build.
pub const NOW: &str = "2026-01-01T00:00:00Z";

pub fn almanac(args: &[&str]) -> Output {
    almanac_in(args, "Pacific/Chatham", "C")
}

/// The binary under a given `TZ` and locale, neither of which may matter.
pub fn almanac_in(args: &[&str], tz: &str, locale: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args(args)
        .env("TZ", tz)
        .env("LC_ALL", locale)
        .output()
        .expect("the almanac binary runs")
}

/// `almanac build` of a site folder (with `almanac.yaml` and `content/`) into `out`.
pub fn build(site: &Path, out: &Path) -> Output {
    build_at(site, out, NOW)
}

/// [`build`] at another "now".
pub fn build_at(site: &Path, out: &Path, now: &str) -> Output {
    almanac(&[
        "build",
        "--config",
        site.join("almanac.yaml").to_str().unwrap(),
        "--content",
        site.join("content").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--now",
        now,
    ])
}

/// A clean build of `site` (no cache) beside the published state of
/// `published`, its ledger: same notes and same state give the same
/// bytes, whatever cache there was.
pub fn clean_build(site: &Path, published: &Path) -> tempfile::TempDir {
    let clean = tempfile::tempdir().unwrap();
    let ledger = published.join(".almanac/ledger");
    if ledger.exists() {
        fs::create_dir_all(clean.path().join(".almanac")).unwrap();
        fs::copy(&ledger, clean.path().join(".almanac/ledger")).unwrap();
    }
    let built = build(site, clean.path());
    assert!(built.status.success(), "{}", stderr(&built));
    clean
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `root`, by `/`-separated relative path.
pub fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    collect(root, root, &mut found);
    found
}

fn collect(root: &Path, dir: &Path, found: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name() == ".almanac" {
            continue; // almanac's bookkeeping, not published output
        }
        if path.is_dir() {
            collect(root, &path, found);
        } else {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            found.insert(relative, fs::read(&path).unwrap());
        }
    }
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A site in a temporary folder: `almanac.yaml` holding `config`, and each
/// `(path, text)` of `notes` under `content/`.
///
/// Its subscribed calendars hold a century of events, so that tests of
/// what events say need not date them near [`NOW`], unless `config` sets
/// the window itself.
pub fn site(config: &str, notes: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = match config.contains("calendar_past_days") {
        true => config.to_string(),
        false => format!("{config}\ncalendar_past_days: 36500\n"),
    };
    fs::write(dir.path().join("almanac.yaml"), config).unwrap();
    fs::create_dir(dir.path().join("content")).unwrap();
    for (path, text) in notes {
        let target = dir.path().join("content").join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, text).unwrap();
    }
    dir
}

/// A copy of the sample site, built once into its `feeds/`: the site and
/// that output folder.
pub fn built_sample() -> (tempfile::TempDir, PathBuf) {
    let site = sample_copy();
    let out = site.path().join("feeds");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    (site, out)
}

/// A copy of the sample site (config and content) in a temporary folder,
/// its notes last modified an hour ago, as a cron job finds them: a note
/// modified within seconds of a run is read again by the next run whatever
/// its size and mtime say (a coarse clock cannot tell its edits apart).
pub fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(repo().join("almanac.yaml"), dir.path().join("almanac.yaml")).unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    age(
        &dir.path().join("content"),
        std::time::Duration::from_secs(3600),
    );
    dir
}

/// Sets the mtime of every file under `dir` to `ago` before now.
pub fn age(dir: &Path, ago: std::time::Duration) {
    let then = std::time::SystemTime::now() - ago;
    for entry in fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            age(&entry.path(), ago);
        } else {
            let file = fs::File::options().write(true).open(entry.path()).unwrap();
            file.set_modified(then).unwrap();
        }
    }
}

/// Overwrites each of `paths` under `out` with a mark. A published file
/// keeps its mark until a run renders it again: the marks tell which files
/// a run rendered.
pub fn mark(out: &Path, paths: &[&str]) {
    for path in paths {
        fs::write(out.join(path), "marked").unwrap();
    }
}

/// Whether `path` under `out` still holds the mark [`mark`] left.
pub fn marked(out: &Path, path: &str) -> bool {
    fs::read(out.join(path)).unwrap() == b"marked"
}

/// A small deterministic generator (an LCG): the same sequence every run.
pub struct Dice(pub u64);

impl Dice {
    pub fn roll(&mut self, sides: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % sides as u64) as usize
    }
}

/// A site of one meetup night a month from January 2025 (`n0.md` …), each
/// tagged `rust` with a `## 19:00 Doors` slot and `body` below it, and a
/// 40-day calendar window.
pub fn monthly_nights(count: usize, body: &str) -> tempfile::TempDir {
    let notes: Vec<(String, String)> = (0..count)
        .map(|month| {
            let text = format!(
                "---\ntitle: Night {month}\ndate: 2025-{:02}-10\ntags: [rust]\n---\n## 19:00 Doors\n{body}",
                month + 1
            );
            (format!("n{month}.md"), text)
        })
        .collect();
    let notes: Vec<(&str, &str)> = notes
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    site(
        "title: W\nbase_url: https://w.example.org/\ntimezone: UTC\ncalendar_past_days: 40\n",
        &notes,
    )
}
