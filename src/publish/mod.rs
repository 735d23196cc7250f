//! Writing output files: only those whose bytes changed, each atomically.
//!
//! An unchanged file is left alone, so its mtime stays and static servers
//! keep answering 304 (jekyll-feed#90, hugo#9283). A changed file is written
//! to a temporary file in the same directory, fsynced, and renamed over the
//! old one: a reader sees the old bytes or the new, never half a file.
//! Files an earlier run published and this one does not (a removed tag's
//! feeds, a deleted note's calendar) are removed; the list of what almanac
//! published lives in `.almanac/files`, so nothing else in the folder, and
//! nothing outside it, is ever touched.

pub mod folder;
pub mod lock;
mod staging;

pub use folder::{STATE_DIR, intact, present};
pub use staging::Sink;
pub(crate) use staging::{LEDGER_FILE, Naming, read_at, temporary};

#[cfg(test)]
use crate::render::Output;
use anyhow::{Context, Result};
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What a publish did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Why each stale file that should have gone is still there.
    pub kept: Vec<String>,
    /// The files written, by path under the output folder.
    pub written_paths: Vec<String>,
}

/// Publishes `outputs` under `out_dir` and removes what an earlier run
/// published that is no longer produced.
#[cfg(test)]
pub fn publish(out_dir: &Path, outputs: &[Output]) -> Result<Report> {
    let paths: Vec<String> = outputs.iter().map(|output| output.path.clone()).collect();
    let render =
        |index: usize, out: &mut dyn Sink| out.write_all(&outputs[index].bytes).map(|()| true);
    publish_rendered(out_dir, &paths, &present(out_dir), render, || {})
}

/// Publishes the files named by `paths`, asking `render` to write each (by
/// index) only when it is written: files are rendered, compared and staged
/// in parallel, and never all held in memory at once. A file past
/// [`SPILL_BYTES`] goes to its temporary file as it is rendered, so a large
/// site's calendars stream to disk. `render` returns `false`, writing
/// nothing, for a file it knows is current; that file is kept as it is.
/// A file is compared with its published copy only if it is in
/// `compared` (of what [`present`] gave for `out_dir`): one not there is
/// new, or known to differ, and is written without looking. `rendered` is
/// called once every file is rendered, before anything is synced: what
/// only rendering needed can go then, unwritten.
pub fn publish_rendered(
    out_dir: &Path,
    paths: &[String],
    compared: &HashSet<String>,
    render: impl Fn(usize, &mut dyn Sink) -> std::io::Result<bool> + Sync,
    rendered: impl FnOnce(),
) -> Result<Report> {
    // Refuse any path that could leave the output folder before writing anything.
    let targets: Vec<PathBuf> = paths
        .iter()
        .map(|path| folder::safe_relative(path).map(|relative| out_dir.join(relative)))
        .collect::<Result<_>>()?;
    let previous = prepare(out_dir, paths, &targets)?;
    let staged = staging::stage_all(out_dir, paths, &targets, compared, render);
    rendered();
    let staged = staged?;
    let mut report = Report {
        unchanged: staged.iter().filter(|s| s.is_none()).count(),
        ..Report::default()
    };
    let staged: Vec<_> = staged.into_iter().flatten().collect();
    let renamed = staging::rename_all(out_dir, staged)?;
    report.written = renamed.len();
    report.written_paths = renamed
        .iter()
        .filter_map(|path| path.strip_prefix(out_dir).ok())
        .map(|path| path.to_string_lossy().replace('\\', "/"))
        .collect();
    (report.removed, report.kept) = folder::record(out_dir, paths, &previous)?;
    Ok(report)
}

/// Makes the output folder, its state folder and every folder `targets`
/// go in, and sweeps what a killed run left; returns what the last run
/// published.
fn prepare(out_dir: &Path, paths: &[String], targets: &[PathBuf]) -> Result<Vec<String>> {
    fs::create_dir_all(out_dir)
        .with_context(|| format!("creating output folder {}", out_dir.display()))?;
    // Before anything is swept or written: no folder through a link.
    folder::refuse_links(out_dir, Path::new(STATE_DIR))?;
    let relatives: BTreeSet<&Path> = targets
        .iter()
        .filter_map(|path| path.strip_prefix(out_dir).ok()?.parent())
        .collect();
    for relative in relatives {
        folder::refuse_links(out_dir, relative)?;
    }
    let state = out_dir.join(STATE_DIR);
    fs::create_dir_all(&state).with_context(|| format!("creating {}", state.display()))?;
    let previous = folder::published_before(&state);
    folder::sweep_temporaries(out_dir, paths);
    // Each folder once, before the files: a `create_dir_all` per file was a
    // `mkdir` and a `stat` of its folder, under the folder's lock, for each
    // of ten thousand calendars.
    let folders: BTreeSet<&Path> = targets.iter().filter_map(|path| path.parent()).collect();
    for folder in folders {
        fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    }
    Ok(previous)
}

#[cfg(test)]
mod tests {
    use super::folder::FILES;
    use super::staging::{SPILL_BUFFER, SPILL_BYTES};
    use super::*;
    use crate::render::Span;
    const SHARE_BYTES: u64 = staging::SHARE_BYTES;

    fn output(path: &str, bytes: &str) -> Output {
        Output {
            path: path.into(),
            bytes: bytes.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_then_leaves_unchanged_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = [output("atom.xml", "a"), output("events/x.ics", "b")];
        assert_eq!(
            publish(dir.path(), &outputs).unwrap(),
            Report {
                written: 2,
                unchanged: 0,
                removed: 0,
                written_paths: vec!["atom.xml".into(), "events/x.ics".into()],
                ..Report::default()
            }
        );
        let before = fs::metadata(dir.path().join("atom.xml"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(
            publish(dir.path(), &outputs).unwrap(),
            Report {
                written: 0,
                unchanged: 2,
                removed: 0,
                ..Report::default()
            }
        );
        let after = fs::metadata(dir.path().join("atom.xml"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        let changed = [output("atom.xml", "c"), output("events/x.ics", "b")];
        assert_eq!(
            publish(dir.path(), &changed).unwrap(),
            Report {
                written: 1,
                unchanged: 1,
                removed: 0,
                written_paths: vec!["atom.xml".into()],
                ..Report::default()
            }
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("atom.xml")).unwrap(),
            "c"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn pieces_of_a_file_are_copied_whole_in_memory_and_past_the_spill_size() {
        let dir = tempfile::tempdir().unwrap();
        // A spool-like source: every byte tells its position.
        let source_path = dir.path().join("source");
        let source: Vec<u8> = (0..SPILL_BYTES * 2 + 12_345)
            .map(|i| (i % 251) as u8)
            .collect();
        fs::write(&source_path, &source).unwrap();
        let source_file = fs::File::open(&source_path).unwrap();
        let out = dir.path().join("out");
        // Small pieces, one piece larger than the write buffer, text between.
        let pieces = [
            (5, 100),
            (1_000, 3 * SPILL_BUFFER + 7),
            (SPILL_BYTES, SPILL_BYTES),
        ];
        let paths = ["small.ics".to_string(), "big.ics".to_string()];
        let render = |index: usize, sink: &mut dyn Sink| {
            let wanted = if index == 0 {
                &pieces[..1]
            } else {
                &pieces[..]
            };
            for &(offset, len) in wanted {
                sink.write_all(b"<")?;
                sink.append_from(&source_file, offset as u64, len as u64)?;
            }
            Ok(true)
        };
        publish_rendered(&out, &paths, &present(&out), render, || {}).unwrap();
        let expected = |wanted: &[(usize, usize)]| {
            let mut bytes = Vec::new();
            for &(offset, len) in wanted {
                bytes.push(b'<');
                bytes.extend_from_slice(&source[offset..offset + len]);
            }
            bytes
        };
        assert_eq!(
            fs::read(out.join("small.ics")).unwrap(),
            expected(&pieces[..1])
        );
        assert_eq!(fs::read(out.join("big.ics")).unwrap(), expected(&pieces));
        // A piece past the source's end fails the file, not the process.
        let past_the_end = |_: usize, sink: &mut dyn Sink| {
            sink.append_from(&source_file, source.len() as u64 - 1, 2)
                .map(|()| true)
        };
        let failed = publish_rendered(&out, &paths[..1], &present(&out), past_the_end, || {});
        assert!(failed.is_err());
        assert_eq!(
            fs::read(out.join("small.ics")).unwrap(),
            expected(&pieces[..1])
        );
    }

    #[test]
    fn files_past_the_spill_size_stream_and_are_compared_like_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let big = |last: u8| {
            let mut bytes = vec![b'x'; SPILL_BYTES + 100];
            *bytes.last_mut().unwrap() = last;
            output("calendar.ics", std::str::from_utf8(&bytes).unwrap())
        };
        let path = dir.path().join("calendar.ics");
        let report = |outputs: &[Output]| publish(dir.path(), outputs).unwrap();
        assert_eq!(report(&[big(b'a')]).written, 1);
        assert_eq!(fs::read(&path).unwrap(), big(b'a').bytes);
        let inode = |path: &Path| {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(path).unwrap().ino()
        };
        let before = inode(&path);
        assert_eq!(report(&[big(b'a')]).unchanged, 1, "same bytes: kept");
        assert_eq!(inode(&path), before);
        assert_eq!(report(&[big(b'b')]).written, 1, "last byte differs");
        assert_eq!(fs::read(&path).unwrap(), big(b'b').bytes);
        let shorter = output("calendar.ics", &"x".repeat(SPILL_BYTES + 99));
        assert_eq!(report(std::slice::from_ref(&shorter)).written, 1);
        assert_eq!(fs::read(&path).unwrap(), shorter.bytes);
        let temporaries = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_string_lossy().ends_with(".tmp")
            })
            .count();
        assert_eq!(
            temporaries, 0,
            "a spilled file that was not needed is removed"
        );
    }

    #[test]
    fn large_runs_are_copied_in_parallel_to_their_places_or_compared_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let source_path = dir.path().join("source");
        let source: Vec<u8> = (0..3 * SPILL_BYTES).map(|i| (i % 253) as u8).collect();
        fs::write(&source_path, &source).unwrap();
        let source_file = fs::File::open(&source_path).unwrap();
        // Runs of every size, out of order in the source, one past a share.
        let mut runs = Vec::new();
        let mut offset = 2 * SPILL_BYTES as u64;
        for len in (1..2_000u64).chain([SHARE_BYTES + 3, SPILL_BYTES as u64 / 2, 7]) {
            offset = (offset + len * 7_919) % (source.len() as u64 - len);
            runs.push(Span { offset, len });
        }
        let expected: Vec<u8> = b"head"
            .iter()
            .copied()
            .chain(runs.iter().flat_map(|run| {
                source[run.offset as usize..(run.offset + run.len) as usize].to_vec()
            }))
            .chain(*b"tail")
            .collect();
        assert!(expected.len() > SPILL_BYTES);
        let out = dir.path().join("out");
        let paths = ["calendar.ics".to_string()];
        let publish_runs = |runs: &[Span]| {
            let present = present(&out);
            let render = |_: usize, sink: &mut dyn Sink| {
                sink.write_all(b"head")?;
                sink.append_runs(&source_file, runs)?;
                sink.write_all(b"tail").map(|()| true)
            };
            publish_rendered(&out, &paths, &present, render, || {}).unwrap()
        };
        // New: copied in parallel.
        assert_eq!(publish_runs(&runs).written, 1);
        assert_eq!(fs::read(out.join("calendar.ics")).unwrap(), expected);
        // Published: compared as written, in order, and kept.
        assert_eq!(publish_runs(&runs).unchanged, 1);
        // One run fewer: differs, and written.
        assert_eq!(publish_runs(&runs[1..]).written, 1);
        let shorter = [&expected[..4], &expected[4 + runs[0].len as usize..]].concat();
        assert_eq!(fs::read(out.join("calendar.ics")).unwrap(), shorter);
    }

    #[test]
    fn files_no_longer_produced_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("index.html"), "not ours").unwrap();
        let first = [
            output("atom.xml", "a"),
            output("tags/old/atom.xml", "b"),
            output("events/gone.ics", "c"),
        ];
        publish(dir.path(), &first).unwrap();
        let report = publish(dir.path(), &[output("atom.xml", "a")]).unwrap();
        assert_eq!(
            report,
            Report {
                written: 0,
                unchanged: 1,
                removed: 2,
                ..Report::default()
            }
        );
        assert!(!dir.path().join("tags").exists(), "empty folders go too");
        assert!(!dir.path().join("events").exists());
        assert!(
            dir.path().join("index.html").exists(),
            "files almanac never wrote stay"
        );
    }

    #[test]
    fn temporary_files_of_a_killed_run_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("events")).unwrap();
        fs::write(dir.path().join("events/.almanac-x1.tmp"), "half").unwrap();
        fs::write(dir.path().join(".almanac-y2.tmp"), "half").unwrap();
        publish(
            dir.path(),
            &[output("atom.xml", "a"), output("events/a.ics", "b")],
        )
        .unwrap();
        assert!(!dir.path().join("events/.almanac-x1.tmp").exists());
        assert!(!dir.path().join(".almanac-y2.tmp").exists());
    }

    #[test]
    fn a_tampered_file_list_cannot_reach_outside() {
        let outer = tempfile::tempdir().unwrap();
        let out = outer.path().join("feeds");
        fs::create_dir_all(out.join(STATE_DIR)).unwrap();
        fs::write(outer.path().join("precious"), "keep").unwrap();
        fs::write(
            out.join(STATE_DIR).join(FILES),
            "../precious\n/etc/passwd\n",
        )
        .unwrap();
        publish(&out, &[output("atom.xml", "a")]).unwrap();
        assert!(outer.path().join("precious").exists());
    }

    #[cfg(unix)]
    #[test]
    fn published_files_are_world_readable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        publish(dir.path(), &[output("rss.xml", "x")]).unwrap();
        let mode = fs::metadata(dir.path().join("rss.xml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn paths_leaving_the_folder_are_refused_before_any_write() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "a\\b", ""] {
            let result = publish(dir.path(), &[output("ok.xml", "x"), output(bad, "y")]);
            assert!(result.is_err(), "{bad}");
        }
        assert!(!dir.path().join("ok.xml").exists());
    }
}
