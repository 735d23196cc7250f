//! A note body as feed content: HTML that is sanitized and whose links work
//! from any reader, and a plain-text summary.

use crate::agenda::blocks::{self, Kind};
use pulldown_cmark::{Parser, html};
use url::Url;

/// Renders `body` to HTML for `content type=html`, `content:encoded` and
/// `content_html`.
///
/// Raw HTML passes through ammonia (no `<script>`, `<style>`, `on*=`,
/// `javascript:` or `data:` URLs), and relative links and images are made
/// absolute against the note's permalink: readers resolve them against the
/// feed's URL otherwise (hugo#8200, jekyll-feed#185, zola#2190).
pub fn content_html(body: &str, permalink: &Url) -> String {
    let mut raw = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(body, blocks::options()));
    sanitizer(permalink).clean(&raw).to_string()
}

fn sanitizer(base: &Url) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    // Keep heading ids so slot anchors (`#k8s-navi`) resolve in the content.
    builder
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags(["input"])
        .url_relative(ammonia::UrlRelative::RewriteWithBase(base.clone()));
    builder
}

/// The first paragraph of the body as plain text, for notes without a
/// `description`/`summary`.
pub fn first_paragraph(body: &str) -> String {
    blocks::blocks(body)
        .into_iter()
        .find(|block| block.kind == Kind::Paragraph && !block.text.trim().is_empty())
        .map(|block| block.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn permalink() -> Url {
        Url::parse("https://notes.example.org/posts/meetup/").unwrap()
    }

    #[test]
    fn relative_links_and_images_become_absolute() {
        let html = content_html(
            "[next](../other/) ![map](map.png) <a href=\"/about\">a</a>",
            &permalink(),
        );
        assert!(
            html.contains("href=\"https://notes.example.org/posts/other/\""),
            "{html}"
        );
        assert!(
            html.contains("src=\"https://notes.example.org/posts/meetup/map.png\""),
            "{html}"
        );
        assert!(
            html.contains("href=\"https://notes.example.org/about\""),
            "{html}"
        );
    }

    #[test]
    fn raw_html_is_sanitized() {
        let html = content_html(
            "<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">x</a><style>p{}</style><a href=\"data:text/html,x\">d</a>",
            &permalink(),
        );
        for forbidden in ["<script", "onerror", "javascript:", "<style", "data:"] {
            assert!(!html.contains(forbidden), "{forbidden} in {html}");
        }
    }

    #[test]
    fn heading_ids_survive() {
        let html = content_html("## 19:35 Talk {#k8s-navi}\n", &permalink());
        assert!(html.contains("<h2 id=\"k8s-navi\">"), "{html}");
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        assert_eq!(
            first_paragraph("## 19:00 x\n\nSome *emphasis*\nand more.\n\nNext"),
            "Some emphasis and more."
        );
        assert_eq!(first_paragraph("## only headings\n"), "");
    }
}
