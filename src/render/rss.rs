//! RSS 2.0 through the `rss` crate, with the namespaces readers look for:
//! `atom` (self link), `content` (full HTML), `dc` (author names), `media`.

use super::{Selection, atom::MEDIA_NS, image_type, updated};
use crate::model::{Note, Site};
use chrono::{DateTime, FixedOffset};
use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Guid, Item};
use std::collections::BTreeMap;

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
    let mut namespaces = BTreeMap::new();
    for (prefix, uri) in [
        ("atom", "http://www.w3.org/2005/Atom"),
        ("content", "http://purl.org/rss/1.0/modules/content/"),
        ("dc", "http://purl.org/dc/elements/1.1/"),
        ("media", MEDIA_NS),
    ] {
        namespaces.insert(prefix.to_string(), uri.to_string());
    }
    let last = updated(entries, selection);
    let channel = Channel {
        title: selection.title.clone(),
        link: selection.home(site).to_string(),
        description: config
            .description
            .clone()
            .unwrap_or_else(|| selection.title.clone()),
        language: Some(selection.language(site).to_string()),
        generator: Some(super::GENERATOR.into()),
        // From content, never the clock: a rebuild must not change the bytes.
        last_build_date: Some(rfc822(last)),
        pub_date: entries.first().map(|note| rfc822(note.date)),
        atom_ext: Some(AtomExtension {
            links: [Link {
                href: Selection::file_url(site, path).to_string(),
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..Link::default()
            }]
            .into_iter()
            // WebSub §4: the hub a subscriber may subscribe at.
            .chain(config.websub_hub.iter().map(|hub| Link {
                href: hub.to_string(),
                rel: "hub".into(),
                ..Link::default()
            }))
            .collect(),
        }),
        items: entries
            .iter()
            .zip(contents)
            .map(|(note, html)| item(note, html))
            .collect(),
        namespaces,
        ..Channel::default()
    };
    let mut out = channel
        .pretty_write_to(Vec::new(), b' ', 2)
        .expect("writing to a Vec cannot fail");
    // The writer emits UTF-8 (it writes only `str`s): taken as the file's
    // bytes, not validated again (a fifth of an edit run's feed rendering).
    out.push(b'\n');
    out
}

/// RFC 822 (as updated by RFC 1123) with a numeric zone: `Tue, 26 Nov 2019
/// 00:00:00 +0900`. Named zones such as `UTC` are rejected by validators and
/// misread by some readers.
pub fn rfc822(at: DateTime<FixedOffset>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

fn item(note: &Note, html: &str) -> Item {
    let mut extensions = ExtensionMap::default();
    if let Some(image) = &note.image {
        let mut media = BTreeMap::new();
        let mut thumbnail = BTreeMap::new();
        thumbnail.insert("url".to_string(), image.to_string());
        media.insert(
            "thumbnail".to_string(),
            vec![Extension {
                name: "media:thumbnail".into(),
                attrs: thumbnail,
                ..Extension::default()
            }],
        );
        let mut content = BTreeMap::new();
        content.insert("url".to_string(), image.to_string());
        content.insert("medium".to_string(), "image".to_string());
        content.insert("type".to_string(), image_type(image).to_string());
        media.insert(
            "content".to_string(),
            vec![Extension {
                name: "media:content".into(),
                attrs: content,
                ..Extension::default()
            }],
        );
        extensions.insert("media".to_string(), media);
    }
    Item {
        title: Some(note.title.clone()),
        link: Some(note.permalink.to_string()),
        description: (!note.summary.is_empty()).then(|| note.summary.clone()),
        // RSS `author` must be an e-mail address; names go in dc:creator.
        author: note
            .author
            .email
            .as_ref()
            .map(|email| format!("{email} ({})", note.author.name)),
        categories: note
            .all_categories()
            .into_iter()
            .map(|term| Category {
                name: term.to_string(),
                domain: None,
            })
            .collect(),
        guid: Some(Guid {
            permalink: note.id.starts_with("http://") || note.id.starts_with("https://"),
            value: note.id.clone(),
        }),
        pub_date: Some(rfc822(note.date)),
        content: Some(html.to_string()),
        dublin_core_ext: (!note.author.name.is_empty()).then(|| DublinCoreExtension {
            creators: vec![note.author.name.clone()],
            ..DublinCoreExtension::default()
        }),
        extensions,
        ..Item::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc822_uses_numeric_zones() {
        let at = DateTime::parse_from_rfc3339("2019-11-26T00:00:00+09:00").unwrap();
        assert_eq!(rfc822(at), "Tue, 26 Nov 2019 00:00:00 +0900");
        let utc = DateTime::parse_from_rfc3339("2019-11-26T00:00:00Z").unwrap();
        assert_eq!(rfc822(utc), "Tue, 26 Nov 2019 00:00:00 +0000");
    }
}
