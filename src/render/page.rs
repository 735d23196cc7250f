//! The subscribe page, `index.html` in the output folder: every feed with
//! its URL to copy, every calendar with `webcal://`, Google Calendar and
//! download links, the meetups of the next 30 days, and the `<head>` lines
//! to paste into the site's own template. Static HTML, no script, readable
//! on a phone; every text escaped; the same bytes for the same site and
//! "now".

use super::{Format, Planned, Scope, Selection};
use crate::model::{Note, Site};
use chrono::{Duration, Utc};
use std::fmt::Write;
use url::Url;

/// How far ahead the page lists meetups.
const UPCOMING_DAYS: i64 = 30;

/// The page for `site`, whose files are `plan`.
pub fn page(site: &Site, plan: &[Planned]) -> String {
    let config = &site.config;
    let mut out = String::with_capacity(16 << 10);
    let title = escape(&config.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Subscribe: {title}</title>\n{}<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>{title}</h1>\n",
        escape(&config.language),
        alternate_links(site, plan),
    );
    if let Some(description) = &config.description {
        let _ = writeln!(out, "<p class=\"lead\">{}</p>", escape(description));
    }
    feeds(&mut out, site, plan);
    calendars(&mut out, site, plan);
    upcoming(&mut out, site);
    let _ = write!(
        out,
        "<section>\n<h2>On your own site</h2>\n<p>Paste into your pages' <code>&lt;head&gt;</code> so \
         feed readers find the feeds:</p>\n<pre>{}</pre>\n</section>\n</main>\n</body>\n</html>\n",
        escape(&alternate_links(site, plan))
    );
    out
}

/// The `<link rel="alternate">` lines of the site-wide feeds.
fn alternate_links(site: &Site, plan: &[Planned]) -> String {
    let mut links = String::new();
    for planned in site_files(plan).filter(|p| p.format != Format::Calendar) {
        let (kind, name) = feed_kind(planned.format);
        let _ = writeln!(
            links,
            "<link rel=\"alternate\" type=\"{kind}\" title=\"{} ({name})\" href=\"{}\">",
            escape(&site.config.title),
            escape(planned.selection.url(site, file_name(planned)).as_str())
        );
    }
    links
}

fn feeds(out: &mut String, site: &Site, plan: &[Planned]) {
    out.push_str("<section>\n<h2>Feeds</h2>\n<p>For feed readers: copy a URL into yours.</p>\n<ul class=\"files\">\n");
    for planned in site_files(plan).filter(|p| p.format != Format::Calendar) {
        let url = planned.selection.url(site, file_name(planned));
        let (_, name) = feed_kind(planned.format);
        let _ = writeln!(
            out,
            "<li><strong>{name}</strong> <a href=\"{}\">open</a><input readonly value=\"{}\" aria-label=\"{name} URL\"></li>",
            escape(&relative(planned)),
            escape(url.as_str())
        );
    }
    out.push_str("</ul>\n</section>\n");
}

fn calendars(out: &mut String, site: &Site, plan: &[Planned]) {
    out.push_str(
        "<section>\n<h2>Calendars</h2>\n<p>For calendar apps: subscribe, and they follow every change.</p>\n<ul class=\"calendars\">\n",
    );
    let now = site.now;
    let soon = |selection: &Selection| match &selection.scope {
        Scope::Note(note) => note.slots.iter().any(|slot| slot.end_utc() >= now),
        _ => true,
    };
    for planned in plan
        .iter()
        .filter(|p| p.format == Format::Calendar && soon(&p.selection))
    {
        let url = planned.selection.url(site, file_name(planned));
        let webcal = format!(
            "webcal://{}",
            url.as_str().split_once("://").map_or("", |(_, rest)| rest)
        );
        let google = format!(
            "https://calendar.google.com/calendar/r?cid={}",
            percent_encoding::utf8_percent_encode(&webcal, percent_encoding::NON_ALPHANUMERIC)
        );
        let _ = writeln!(
            out,
            "<li><strong>{}</strong> <span class=\"links\"><a href=\"{}\">Subscribe</a> \
             <a href=\"{}\">Add to Google Calendar</a> <a href=\"{}\" download>Download</a></span>\
             <input readonly value=\"{}\" aria-label=\"calendar URL\"></li>",
            escape(&planned.selection.title),
            escape(&webcal),
            escape(&google),
            escape(&relative(planned)),
            escape(url.as_str())
        );
    }
    out.push_str("</ul>\n</section>\n");
}

/// The notes with a slot in the next [`UPCOMING_DAYS`], soonest first, with
/// their first start and last end in the site's zone, the zone named.
fn upcoming(out: &mut String, site: &Site) {
    // "now" may be the last instant there is (tests, fuzzing).
    let until = site
        .now
        .checked_add_signed(Duration::days(UPCOMING_DAYS))
        .unwrap_or(chrono::DateTime::<Utc>::MAX_UTC);
    let now = site.now;
    let zone = site.config.timezone;
    let mut soon: Vec<(&Note, chrono::DateTime<Utc>, chrono::DateTime<Utc>)> = site
        .notes
        .iter()
        .filter_map(|note| {
            let start = note.slots.iter().map(|s| s.start_utc()).min()?;
            let end = note.slots.iter().map(|s| s.end_utc()).max()?;
            (end >= now && start < until).then_some((note, start, end))
        })
        .collect();
    soon.sort_by(|a, b| (a.1, &a.0.permalink).cmp(&(b.1, &b.0.permalink)));
    let _ = writeln!(
        out,
        "<section>\n<h2>The next {UPCOMING_DAYS} days</h2>\n<p class=\"zone\">Times in {}.</p>",
        escape(zone.name())
    );
    if soon.is_empty() {
        out.push_str("<p>Nothing planned yet.</p>\n</section>\n");
        return;
    }
    out.push_str("<ul class=\"upcoming\">\n");
    for (note, start, end) in soon {
        let (start, end) = (start.with_timezone(&zone), end.with_timezone(&zone));
        let until = if end.date_naive() == start.date_naive() {
            end.format("%H:%M").to_string()
        } else {
            end.format("%a %-d %b %H:%M").to_string()
        };
        let _ = writeln!(
            out,
            "<li><time datetime=\"{}\">{} – {until} {}</time> <a href=\"{}\">{}</a></li>",
            start.to_rfc3339(),
            start.format("%a %-d %b %Y, %H:%M"),
            escape(&start.format("%Z").to_string()),
            escape(note.permalink.as_str()),
            escape(&note.title)
        );
    }
    out.push_str("</ul>\n</section>\n");
}

/// The site-wide files of the plan, in its order.
fn site_files<'p, 'a>(plan: &'p [Planned<'a>]) -> impl Iterator<Item = &'p Planned<'a>> {
    plan.iter().filter(|p| {
        p.selection.scope == Scope::Site
            && matches!(
                p.format,
                Format::Atom | Format::Rss | Format::JsonFeed | Format::Calendar
            )
    })
}

fn feed_kind(format: Format) -> (&'static str, &'static str) {
    match format {
        Format::Atom => ("application/atom+xml", "Atom"),
        Format::Rss => ("application/rss+xml", "RSS"),
        _ => ("application/feed+json", "JSON Feed"),
    }
}

/// The file name of a planned file, within its folder.
fn file_name<'p>(planned: &'p Planned) -> &'p str {
    planned.path.rsplit('/').next().unwrap_or(&planned.path)
}

/// A planned file's path, relative to the page (which is at the root).
fn relative(planned: &Planned) -> String {
    Url::parse("https://x/")
        .and_then(|base| base.join(&planned.path))
        .map_or_else(|_| planned.path.clone(), |url| url.path()[1..].to_string())
}

/// Text for HTML and XML, in content and in quoted attributes.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's whole style: system fonts, one column that fits a phone.
pub(super) const STYLE: &str = "\
body{margin:0;font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",\"Noto Sans\",\"Noto Sans CJK JP\",sans-serif;color:#1d232a;background:#f6f7f9}\
main{max-width:44rem;margin:0 auto;padding:1.5rem 1rem 3rem}\
h1{font-size:1.8rem;margin:.5rem 0}h2{font-size:1.2rem;margin:2rem 0 .5rem}\
.lead,.zone{color:#4a5562}\
ul{list-style:none;padding:0;margin:0}\
li{background:#fff;border:1px solid #dde2e8;border-radius:.5rem;padding:.75rem;margin:.5rem 0;overflow-wrap:anywhere}\
input{display:block;width:100%;box-sizing:border-box;margin-top:.4rem;font:inherit;font-size:.85rem;padding:.3rem;border:1px solid #c8cfd8;border-radius:.3rem;background:#f9fafb}\
a{color:#0b5cad}.links{display:block;margin-top:.25rem}.links a{margin-right:.75rem;white-space:nowrap}\
pre{background:#fff;border:1px solid #dde2e8;border-radius:.5rem;padding:.75rem;overflow-x:auto;font-size:.8rem}\
time{display:block;color:#4a5562;font-size:.9rem}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_everywhere() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
