//! Atom 1.0 (RFC 4287) through `atom_syndication`.

use super::{GENERATOR, Selection, image_type, updated};
use crate::config::Author;
use crate::model::{Note, Site};
use atom_syndication::extension::{Extension, ExtensionMap};
use atom_syndication::{
    Category, Content, Entry, Feed, Generator, Link, Person, Text, WriteConfig,
};
use std::collections::BTreeMap;

/// Media RSS, for `media:thumbnail` (jekyll-feed#170).
pub const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";

/// The feed of `selection`, its `entries` (newest first) with their
/// `contents` (content HTML), in order.
pub fn feed(
    site: &Site,
    selection: &Selection,
    path: &str,
    entries: &[&Note],
    contents: &[&str],
) -> Vec<u8> {
    let config = &site.config;
    let self_url = Selection::file_url(site, path);
    let mut namespaces = BTreeMap::new();
    namespaces.insert("media".to_string(), MEDIA_NS.to_string());
    let feed = Feed {
        title: Text::plain(selection.title.clone()),
        id: self_url.to_string(),
        updated: updated(entries, selection),
        authors: vec![person(&config.author)],
        links: [
            link(self_url.as_str(), "self", "application/atom+xml"),
            link(selection.home(site).as_str(), "alternate", "text/html"),
        ]
        .into_iter()
        // WebSub §4: the hub a subscriber may subscribe at.
        .chain(
            config
                .websub_hub
                .iter()
                .map(|hub| link(hub.as_str(), "hub", "")),
        )
        .collect(),
        generator: Some(Generator {
            value: "almanac".into(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        subtitle: config.description.clone().map(Text::plain),
        lang: Some(selection.language(site).to_string()),
        namespaces,
        entries: entries
            .iter()
            .zip(contents)
            .map(|(note, html)| entry(note, html))
            .collect(),
        ..Feed::default()
    };
    debug_assert!(GENERATOR.starts_with("almanac"));
    let mut out = Vec::new();
    feed.write_with_config(
        &mut out,
        WriteConfig {
            write_document_declaration: true,
            indent_size: Some(2),
        },
    )
    .expect("writing to a Vec cannot fail");
    // The writer emits UTF-8 (it writes only `str`s): taken as the file's
    // bytes, not validated again (a fifth of an edit run's feed rendering).
    out.push(b'\n');
    out
}

fn entry(note: &Note, html: &str) -> Entry {
    let mut links = vec![link(note.permalink.as_str(), "alternate", "text/html")];
    let mut extensions = ExtensionMap::default();
    if let Some(image) = &note.image {
        links.push(link(image.as_str(), "enclosure", image_type(image)));
        let mut attrs = BTreeMap::new();
        attrs.insert("url".to_string(), escape_attribute(image.as_str()));
        let thumbnail = Extension {
            name: "media:thumbnail".into(),
            attrs,
            ..Extension::default()
        };
        extensions
            .entry("media".into())
            .or_insert_with(BTreeMap::new)
            .insert("thumbnail".into(), vec![thumbnail]);
    }
    Entry {
        title: Text::plain(note.title.clone()),
        id: note.id.clone(),
        updated: note.updated,
        published: Some(note.date),
        authors: vec![person(&note.author)],
        links,
        categories: note
            .all_categories()
            .into_iter()
            .map(|term| Category {
                term: term.to_string(),
                scheme: None,
                label: None,
            })
            .collect(),
        summary: (!note.summary.is_empty()).then(|| Text::plain(note.summary.clone())),
        content: Some(Content {
            value: Some(html.to_string()),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        extensions,
        ..Entry::default()
    }
}

/// atom_syndication writes extension attributes verbatim (its own
/// attributes it escapes): an `&` in a thumbnail URL made the feed
/// ill-formed, as fuzzing found. Escape them here.
fn escape_attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn person(author: &Author) -> Person {
    Person {
        // RFC 4287 §3.2.1: a person construct needs a name.
        name: if author.name.is_empty() {
            "unknown".into()
        } else {
            author.name.clone()
        },
        email: author.email.clone(),
        uri: author.url.clone(),
        extensions: Default::default(),
    }
}

fn link(href: &str, rel: &str, mime_type: &str) -> Link {
    Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: (!mime_type.is_empty()).then(|| mime_type.to_string()),
        ..Link::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::note::{self, Outcome};
    use std::path::Path;

    #[test]
    fn thumbnail_urls_with_ampersands_stay_well_formed() {
        let config = SiteConfig::parse("title: T\nbase_url: https://x.example/\n").unwrap();
        let text = "---\ntitle: A\ndate: 2024-01-01\nthumbnail: \"/img/a&b.jpg?x=<1>\"\n---\nx\n";
        let Outcome::Note(note, _) = note::parse(Path::new("a.md"), "a.md", text, &config) else {
            panic!("a valid note");
        };
        let site = Site {
            config,
            now: chrono::DateTime::<chrono::Utc>::MAX_UTC,
            notes: vec![*note],
            drafts: 0,
        };
        let selection = Selection {
            title: "T".into(),
            scope: crate::render::Scope::Site,
            notes: site.notes.iter().collect(),
        };
        let xml = feed(
            &site,
            &selection,
            "atom.xml",
            &selection.notes,
            &["<p>x</p>"],
        );
        let parsed = atom_syndication::Feed::read_from(&xml[..]).expect("well-formed Atom");
        let url = &parsed.entries[0].extensions["media"]["thumbnail"][0].attrs["url"];
        assert_eq!(url, "https://x.example/img/a&b.jpg?x=%3C1%3E");
    }
}
