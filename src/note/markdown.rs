//! A note body as feed content: HTML that is sanitized and whose links work
//! from any reader, and a plain-text summary.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};
use std::borrow::Cow;
use std::cell::Cell;
use url::Url;

/// Markdown extensions used wherever a body is read.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What `prepare` puts in an empty bullet.
const EMPTY_BULLET_MARK: &str = "<!-- -->";

/// The body as CommonMark should read it. Notes carry empty bullets (`  - `
/// alone on a line) under list items; CommonMark reads such a line as a
/// setext underline and turns the item above into an `<h2>`. An empty HTML
/// comment keeps it an empty item; line numbers do not move.
pub fn prepare(body: &str) -> Cow<'_, str> {
    let is_empty_bullet = |line: &str| {
        let trimmed = line.trim();
        matches!(trimmed, "-" | "*" | "+") && line.len() - line.trim_start().len() < 16
    };
    if !body.lines().any(is_empty_bullet) {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len() + 64);
    let mut in_fence: Option<&str> = None;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let fence = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        match (in_fence, fence) {
            (None, Some(f)) => in_fence = Some(f),
            (Some(open), Some(f)) if open == f => in_fence = None,
            _ => {}
        }
        if in_fence.is_none() && is_empty_bullet(line) {
            out.push_str(line.trim_end());
            out.push(' ');
            out.push_str(EMPTY_BULLET_MARK);
            out.push_str(&line[line.trim_end().len()..]);
        } else {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// Renders `body` to HTML for `content type=html`, `content:encoded` and
/// `content_html`.
///
/// Link and image URLs are made absolute against the note's permalink:
/// readers resolve them against the feed's URL otherwise (hugo#8200,
/// jekyll-feed#185, zola#2190); a URL with a scheme outside [`SAFE_SCHEMES`]
/// (`javascript:`, `data:` …) is dropped. Raw HTML in the Markdown goes
/// through ammonia (no `<script>`, `<style>`, `on*=` attributes or unsafe
/// URLs). Markdown without raw HTML needs no sanitizer: pulldown-cmark
/// escapes all text and attributes, and its URLs are checked here; that
/// saves ammonia's parse and reserialization of every note.
///
/// Raw HTML nested deeper than [`MAX_HTML_DEPTH`] is kept as text: the
/// sanitizer's HTML parser takes time quadratic in the depth (100,000
/// nested `<div>` took minutes), and no real note nests so deep.
/// The words of a Markdown fragment, without markup: a summary's text.
pub fn plain_text(fragment: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut words: Vec<String> = Vec::new();
    for event in Parser::new_ext(fragment, options()) {
        if let Event::Text(text) | Event::Code(text) = event {
            words.extend(text.split_whitespace().map(String::from));
        }
    }
    words.join(" ")
}

/// The text of the body's first Markdown heading, if it has one near the
/// top: the title of a note whose front matter gives none.
pub fn first_heading(body: &str) -> Option<String> {
    let mut inside = false;
    let mut words: Vec<String> = Vec::new();
    for event in Parser::new_ext(body, options()).take(400) {
        match event {
            Event::Start(Tag::Heading { .. }) => inside = true,
            Event::End(pulldown_cmark::TagEnd::Heading(_)) if inside => {
                let title = words.join(" ");
                if !title.is_empty() {
                    return Some(title);
                }
                inside = false;
            }
            Event::Text(text) | Event::Code(text) if inside => {
                words.extend(text.split_whitespace().map(String::from));
            }
            _ => {}
        }
    }
    None
}

pub fn content_html(body: &str, permalink: &Url) -> String {
    let prepared = prepare(body);
    let (out, has_raw_html) = render(&prepared, permalink, RawHtml::Keep);
    if !has_raw_html {
        out
    } else if html_depth(&out) > MAX_HTML_DEPTH {
        render(&prepared, permalink, RawHtml::AsText).0
    } else {
        sanitizer(permalink).clean(&out).to_string()
    }
}

/// How deep raw HTML may nest before it is kept as text.
pub const MAX_HTML_DEPTH: usize = 256;

/// What becomes of raw HTML in a note's Markdown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RawHtml {
    Keep,
    AsText,
}

/// The Markdown's HTML, and whether it kept any raw HTML.
fn render(prepared: &str, permalink: &Url, raw: RawHtml) -> (String, bool) {
    let has_raw_html = Cell::new(false);
    let events = Parser::new_ext(prepared, options()).filter_map(|event| {
        Some(match event {
            // Our own empty-bullet marker (see `prepare`) is no raw HTML.
            Event::Html(ref html) | Event::InlineHtml(ref html)
                if html.trim() == EMPTY_BULLET_MARK =>
            {
                return None;
            }
            Event::Html(html) | Event::InlineHtml(html) if raw == RawHtml::AsText => {
                Event::Text(html)
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html.set(true);
                event
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: absolute(&dest_url, permalink),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: absolute(&dest_url, permalink),
                title,
                id,
            }),
            other => other,
        })
    });
    let mut out = String::with_capacity(prepared.len() * 3 / 2);
    html::push_html(&mut out, events);
    (out, has_raw_html.get())
}

/// How deep the elements of `html` nest, counted from its tags alone: an
/// opening tag goes one deeper unless it is void or closes itself, a
/// closing tag one back. A bound, not a parse: enough to refuse the
/// pathological, in one pass.
fn html_depth(html: &str) -> usize {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let (mut depth, mut deepest) = (0usize, 0usize);
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(found) = bytes[at..].iter().position(|&b| b == b'<') {
        at += found + 1;
        let rest = &html[at..];
        if rest.starts_with('/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
            continue;
        }
        let name = rest[..name_len].to_ascii_lowercase();
        // The tag's end within a bounded reach: a run of `<` with no `>`
        // must not make each look far ahead.
        let reach = &rest.as_bytes()[..rest.len().min(4096)];
        let closes_itself = reach
            .iter()
            .position(|&b| b == b'>')
            .is_some_and(|end| end > 0 && reach[end - 1] == b'/');
        if VOID.contains(&name.as_str()) || closes_itself {
            continue;
        }
        depth += 1;
        deepest = deepest.max(depth);
    }
    deepest
}

/// URL schemes a feed may link to; anything else is dropped.
pub const SAFE_SCHEMES: [&str; 7] = ["http", "https", "mailto", "tel", "ftp", "ftps", "sftp"];

/// `dest` resolved against `base`, or empty when its scheme is unsafe.
fn absolute(dest: &str, base: &Url) -> CowStr<'static> {
    match base.join(dest.trim()) {
        Ok(url) if SAFE_SCHEMES.contains(&url.scheme()) => CowStr::from(url.to_string()),
        _ => CowStr::from(""),
    }
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
        .url_schemes(SAFE_SCHEMES.into_iter().collect())
        // Same links with or without raw HTML in the note.
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::RewriteWithBase(base.clone()));
    builder
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
    fn unsafe_markdown_links_are_dropped_without_raw_html() {
        let html = content_html(
            "[a](javascript:alert(1)) ![b](data:image/png;base64,xx) [c](JAVASCRIPT:x) [d](mailto:a@example.org)",
            &permalink(),
        );
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains("mailto:a@example.org"), "{html}");
    }

    #[test]
    fn markup_in_text_is_escaped_without_raw_html() {
        let html = content_html(
            "a &lt;b&gt; `<script>` [x](/a 't\" onmouseover=\"x')",
            &permalink(),
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("<a href=\"https://notes.example.org/a\""),
            "{html}"
        );
        assert!(!html.contains("\" onmouseover=\""), "{html}");
    }

    #[test]
    fn heading_ids_survive() {
        let html = content_html("## 19:35 Talk {#k8s-navi}\n", &permalink());
        assert!(html.contains("<h2 id=\"k8s-navi\">"), "{html}");
    }

    #[test]
    fn empty_bullets_stay_list_items() {
        let html = content_html("* 新システム\n  - \n* 次\n\n```\n-\n```\n", &permalink());
        assert!(!html.contains("<h2>"), "{html}");
        assert!(html.contains("<li>新システム"), "{html}");
        assert!(html.contains("<code>-\n</code>"), "{html}");
    }
}
