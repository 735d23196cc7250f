//! `almanac init --source DIR`: an almanac.yaml for a generator's site,
//! each key it read written out, commented, with where it came from.

use crate::cli::config_path;
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::generator::{self, Source};
use std::fmt::Write;

/// Writes the almanac.yaml of the site in `source` (at `config`, else in
/// `source`); never over an existing one.
pub fn init(source: &std::path::PathBuf, config: Option<&std::path::PathBuf>) -> Result {
    let path = config_path(config, Some(source));
    if path.exists() {
        return Err(Error::Config(format!(
            "{}: already exists; almanac init never overwrites it",
            path.display()
        )));
    }
    let found = generator::detect(source).map_err(|error| Error::Config(error.0))?;
    std::fs::write(&path, text(&found))?;
    say!(
        "{}: written from {}",
        path.display(),
        found.config_file.display()
    );
    Ok(())
}

/// The file: what the generator's config gave, commented out (it stays the
/// source of truth), then almanac's own keys with their defaults.
pub fn text(found: &Source) -> String {
    let from = found
        .config_file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut out = format!(
        "# almanac.yaml for this {} site (docs/sources.md).\n\
         # `almanac build --source .` reads {from} itself; a key set here wins over it.\n\
         # Uncomment a line to change what almanac publishes.\n\n\
         # Read from {from}:\n",
        found.kind
    );
    for (key, value) in read_keys(&found.settings) {
        let _ = writeln!(out, "# {key}: {value}");
    }
    out.push_str(
        "\n# almanac's own keys, with their defaults (docs/format.md):\n\
         # default_slot_minutes: 30\n\
         # refresh_minutes: 60\n\
         # keep_going: false\n",
    );
    if !found.not_understood.is_empty() {
        let _ = writeln!(out, "\n# Not understood in {from}:");
        for sentence in &found.not_understood {
            let _ = writeln!(out, "# - {sentence}");
        }
    }
    out
}

/// Each key the generator's config set, its value as YAML.
fn read_keys(settings: &Settings) -> Vec<(&'static str, String)> {
    let quoted = |text: &String| serde_json::Value::String(text.clone()).to_string();
    let mut keys = Vec::new();
    for (key, value) in [
        ("title", &settings.title),
        ("base_url", &settings.base_url),
        ("description", &settings.description),
        ("language", &settings.language),
        ("timezone", &settings.timezone),
    ] {
        if let Some(value) = value {
            keys.push((key, quoted(value)));
        }
    }
    if let Some(author) = &settings.author {
        let email = author
            .email
            .as_ref()
            .map(|e| format!(", email: {}", quoted(e)));
        keys.push((
            "author",
            format!(
                "{{name: {}{}}}",
                quoted(&author.name),
                email.unwrap_or_default()
            ),
        ));
    }
    if let Some(limit) = settings.feed_limit {
        keys.push(("feed_limit", limit.to_string()));
    }
    keys
}
