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
