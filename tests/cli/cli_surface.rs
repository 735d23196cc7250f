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
