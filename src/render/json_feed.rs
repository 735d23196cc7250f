//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>) through serde.

use super::Selection;
use crate::model::{Note, Site};
use serde::Serialize;

#[derive(Serialize)]
struct Feed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    language: &'a str,
    authors: Vec<Author<'a>>,
    /// JSON Feed 1.1 `hubs`: where a reader may subscribe for pushes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Hub<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    authors: Vec<Author<'a>>,
}

/// The feed of `selection`, its `entries` (newest first) with their
/// `contents` (content HTML), in order.
pub fn feed(
    site: &Site,
    selection: &Selection,
    path: &str,
    entries: &[&Note],
    contents: &[&str],
) -> String {
    let config = &site.config;
    let feed = Feed {
        version: "https://jsonfeed.org/version/1.1",
        title: &selection.title,
        home_page_url: selection.home(site).to_string(),
        feed_url: Selection::file_url(site, path).to_string(),
        description: config.description.as_deref(),
        language: selection.language(site),
        authors: author(&config.author.name, config.author.url.as_deref()),
        hubs: config
            .websub_hub
            .iter()
            .map(|hub| Hub {
                kind: "WebSub",
                url: hub.as_str(),
            })
            .collect(),
        items: entries
            .iter()
            .zip(contents)
            .map(|(note, html)| item(note, html))
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&feed).expect("serializing plain data cannot fail");
    text.push('\n');
    text
}

fn author<'a>(name: &'a str, url: Option<&'a str>) -> Vec<Author<'a>> {
    if name.is_empty() {
        Vec::new()
    } else {
        vec![Author { name, url }]
    }
}

fn item<'a>(note: &'a Note, html: &'a str) -> Item<'a> {
    Item {
        id: &note.id,
        url: note.permalink.as_str(),
        title: &note.title,
        content_html: html,
        summary: &note.summary,
        image: note.image.as_ref().map(|image| image.as_str()),
        date_published: note.date.to_rfc3339(),
        date_modified: note.updated.to_rfc3339(),
        tags: note.all_categories(),
        authors: author(&note.author.name, note.author.url.as_deref()),
    }
}
