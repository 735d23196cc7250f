//! Help, version and exit codes.

use crate::support::*;
use std::fs;

#[test]
fn help_documents_exit_codes_and_version_prints() {
    let help = almanac(&["--help"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("Exit codes:") && text.contains("2  usage or configuration error"),
        "{text}"
    );
    let version = almanac(&["--version"]);
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("almanac "));
}

#[test]
fn usage_and_config_errors_exit_2() {
    assert_eq!(almanac(&["build", "--now", "soon"]).status.code(), Some(2));
    let site = site(
        "title: x\nbase_url: https://x.example/\ntimezone: Nowhere/City\n",
        &[],
    );
    let output = build(site.path(), &site.path().join("feeds"));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("almanac.yaml:3: unknown time zone `Nowhere/City`"),
        "{}",
        stderr(&output)
    );
    let missing = almanac(&[
        "build",
        "--config",
        site.path().join("nope.yaml").to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn check_reports_without_writing() {
    let output = almanac(&[
        "check",
        "--config",
        repo().join("almanac.yaml").to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("no problems"));
}

#[test]
fn slots_prints_a_table() {
    let output = almanac(&[
        "slots",
        "--config",
        repo().join("almanac.yaml").to_str().unwrap(),
        repo()
            .join("content/posts/backend-night-7.md")
            .to_str()
            .unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("2024-11-26 19:35 JST\t2024-11-26 19:55 JST\t配送ルート計算をk8sに載せ替えた話\t佐藤 恵美 (@emi_sato), 例示運輸株式会社\tbackend-night-7-route-k8s@notes.example.org"), "{text}");
}

#[test]
fn notes_over_the_size_limit_are_refused_unread() {
    let site = site(
        "title: x\nbase_url: https://x.example/\nmax_note_bytes: 100\n",
        &[],
    );
    fs::write(
        site.path().join("content/big.md"),
        format!(
            "---\ntitle: Big\ndate: 2024-01-01\n---\n{}\n",
            "x".repeat(200)
        ),
    )
    .unwrap();
    let output = build(site.path(), &site.path().join("feeds"));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("content/big.md:1: the note is"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("over max_note_bytes (100)"));
}

#[test]
fn symlinks_out_of_the_content_folder_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\ndate: 2024-01-01\n---\n## 10:00 Leak\n",
    )
    .unwrap();
    let site = site(
        "title: x\nbase_url: https://x.example/\n",
        &[("ok.md", "---\ntitle: Ok\ndate: 2024-01-01\n---\n")],
    );
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path().join("content/linked.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/linked-dir")).unwrap();
    let out = site.path().join("feeds");
    let output = build(site.path(), &out);
    assert!(output.status.success(), "{}", stderr(&output));
    let atom = fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(atom.contains("Ok") && !atom.contains("Secret"));
}

#[test]
fn deeply_nested_front_matter_is_an_error_not_a_crash() {
    let deep = format!(
        "---\ntitle: Deep\ndate: 2024-01-01\nparams: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let site = site(
        "title: x\nbase_url: https://x.example/\n",
        &[("deep.md", &deep)],
    );
    let output = build(site.path(), &site.path().join("feeds"));
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("content/deep.md:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn init_makes_a_site_that_builds_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let run = almanac(&["init", dir.path().to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let config = dir.path().join("almanac.yaml");
    let built = almanac(&["build", "--config", config.to_str().unwrap(), "--now", NOW]);
    assert!(built.status.success(), "{}", stderr(&built));
    let calendar = std::fs::read_to_string(dir.path().join("feeds/calendar.ics")).unwrap();
    assert_eq!(calendar.matches("BEGIN:VEVENT").count(), 3);
    std::fs::write(&config, "title: mine\n").unwrap();
    let again = almanac(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exist"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&config).unwrap(), "title: mine\n");
}

#[test]
fn new_writes_a_draft_note_named_by_its_title_once() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        almanac(&["init", dir.path().to_str().unwrap()])
            .status
            .success()
    );
    let config = dir.path().join("almanac.yaml");
    let args = [
        "new",
        "Rust Night #5",
        "--config",
        config.to_str().unwrap(),
        "--date",
        "2026-02-03",
        "--event",
    ];
    let run = almanac(&args);
    assert!(run.status.success(), "{}", stderr(&run));
    let note = std::fs::read_to_string(dir.path().join("content/rust-night-5.md")).unwrap();
    assert!(
        note.starts_with("---\ntitle: \"Rust Night #5\"\ndate: 2026-02-03\n"),
        "{note}"
    );
    assert!(note.contains("draft: true\n") && note.contains("## 19:00 Doors open"));
    assert_eq!(almanac(&args).status.code(), Some(2), "never overwritten");
    let japanese = almanac(&[
        "new",
        "勉強会のまとめ",
        "--config",
        config.to_str().unwrap(),
        "--date",
        "2026-02-03",
    ]);
    assert!(japanese.status.success());
    assert!(dir.path().join("content/2026-02-03-note.md").exists());
}

#[test]
fn completions_and_the_manual_come_from_the_command_line() {
    let bash = almanac(&["completions", "bash"]);
    assert!(bash.status.success());
    let script = String::from_utf8_lossy(&bash.stdout);
    assert!(script.contains("almanac") && script.contains("--lock-timeout"));
    let man = almanac(&["man"]);
    assert!(man.status.success());
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH almanac"),
        "{}",
        &page[..80]
    );
}

/// One HTTP/1.1 request to `port` on 127.0.0.1; the status line and
/// headers, and the body.
fn http(port: u16, request: &str) -> (String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (
        String::from_utf8_lossy(&answer[..split]).into_owned(),
        answer[split + 4..].to_vec(),
    )
}

#[test]
fn serve_answers_with_types_and_304s_and_nothing_outside() {
    use std::io::BufRead;
    let site = sample_copy();
    let config = site.path().join("almanac.yaml");
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args([
            "serve",
            "--port",
            "0",
            "--config",
            config.to_str().unwrap(),
            "--now",
            NOW,
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(server.stderr.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines
            .next()
            .expect("the server says where it listens")
            .unwrap();
        if let Some(at) = line.split("http://127.0.0.1:").nth(1) {
            break at
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .split('/')
                .next()
                .unwrap()
                .parse()
                .unwrap();
        }
    };
    let get = |path: &str, extra: &str| {
        http(
            port,
            &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{extra}\r\n"),
        )
    };
    let (head, body) = get("/atom.xml", "");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.contains("Content-Type: application/atom+xml"),
        "{head}"
    );
    assert_eq!(body, fs::read(site.path().join("feeds/atom.xml")).unwrap());
    let (head, _) = get("/events/backend-night-7.ics", "");
    assert!(
        head.contains("Content-Type: text/calendar; charset=utf-8"),
        "{head}"
    );
    let etag = head
        .lines()
        .find_map(|line| line.strip_prefix("ETag: "))
        .expect("an ETag")
        .to_string();
    let (head, body) = get(
        "/events/backend-night-7.ics",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert!(head.starts_with("HTTP/1.1 304"), "{head}");
    assert!(body.is_empty());
    for outside in [
        "/../almanac.yaml",
        "/%2e%2e/almanac.yaml",
        "/.almanac/index.json",
        "/tags/../../almanac.yaml",
    ] {
        let (head, _) = get(outside, "");
        assert!(head.starts_with("HTTP/1.1 404"), "{outside}: {head}");
    }
    server.kill().unwrap();
    let _ = server.wait();
}

#[test]
fn a_reader_that_goes_away_is_no_panic() {
    for args in [
        &["check", "--json"][..],
        &["man"],
        &["completions", "zsh"],
        &["build", "--verbose", "--out"],
    ] {
        let out = tempfile::tempdir().unwrap();
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_almanac"));
        command.current_dir(repo()).args(args);
        if args[0] == "build" {
            command.arg(out.path()).args(["--now", NOW]);
        }
        let mut child = command
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader is gone before a byte is written
        let output = child.wait_with_output().unwrap();
        assert!(
            !stderr(&output).contains("panicked"),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}
