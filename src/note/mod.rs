//! One note file's text → a `Note`: front matter resolved (dates in the
//! note's zone, permalink, id, summary), body rendered, agenda extracted.
//! Pure: the caller reads the file; nothing here depends on the clock, so a
//! parsed note can be cached until its file changes.

pub mod agenda;
pub mod front_matter;
pub mod markdown;

use crate::config::{Author, SiteConfig};
use crate::model::{EventInfo, Note, Slot, SlotText, Status};
use crate::problem::LineProblem;
use crate::source::{self, clean_text};
use agenda::Rules;
use chrono::{DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use front_matter::{AuthorField, DateValue, FrontMatter, Text};
use std::path::Path;
use url::Url;

/// What reading one note gave.
#[derive(Debug)]
pub enum Outcome {
    Note(Box<Note>, Vec<LineProblem>),
    Draft,
    Invalid(Vec<LineProblem>),
    /// Invalid now (the problems), and published before: its last valid
    /// version, as the cache keeps it, for `--keep-going` to publish
    /// (docs/cron.md, "Keep going").
    Kept(Box<Note>, Vec<LineProblem>),
}

/// Longest slug accepted: it becomes a file name (`events/<slug>.ics`).
const MAX_SLUG_BYTES: usize = 200;
/// Longest summary (and slot title) kept: it is in every feed of the
/// note's tags, and a first paragraph can be a whole note.
const MAX_SUMMARY_BYTES: usize = 2_000;
/// Longest slot description kept: the event is in the note's, the site's
/// and each tag's calendar.
const MAX_DESCRIPTION_BYTES: usize = 8_000;

/// Cuts `text` to at most `max` bytes at a character boundary, ending it
/// with `…` when something was cut.
fn cap(text: &mut String, max: usize) {
    if text.len() <= max {
        return;
    }
    let mut cut = max - '…'.len_utf8();
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text.push('…');
}

/// Parses one decoded note. `relative` is its path under the content folder.
pub fn parse(path: &Path, relative: &str, text: &str, config: &SiteConfig) -> Outcome {
    let parts = match source::split(text) {
        Ok(parts) => parts,
        // A generator's page without front matter (a licence, a readme)
        // has no date, so it is no post.
        Err(_) if config.rules.is_some() && !opens_front_matter(text) => return Outcome::Draft,
        Err(problem) => return Outcome::Invalid(vec![problem]),
    };
    let mut fm = match front_matter::parse(parts.front_matter, parts.format) {
        Ok(fm) => fm,
        Err(error) => {
            let line = parts.front_matter_line + error.line.unwrap_or(1) - 1;
            return Outcome::Invalid(vec![LineProblem::error(
                line,
                format!("front matter: {}", error.message),
            )]);
        }
    };
    if fm.draft.is_some_and(|flag| flag.0) && !config.drafts {
        return Outcome::Draft;
    }
    let mut future = config.future;
    let mut page = None;
    if let Some(rules) = &config.rules {
        let Some(placed) = placed(rules, relative, &parts, &mut fm, &config.base_url) else {
            return Outcome::Draft;
        };
        if placed.draft && !config.drafts {
            return Outcome::Draft;
        }
        future |= placed.future;
        page = Some(placed);
    }
    let mut reader = Reader {
        fm_text: parts.front_matter,
        fm_line: parts.front_matter_line,
        problems: Vec::new(),
        future,
    };
    let body = body_text(parts.body, config.rules.as_ref());
    if config.rules.is_some() {
        let (_, unknown) = crate::generator::render_templates(parts.body);
        for (name, index) in unknown {
            reader.problems.push(LineProblem::warning(
                parts.body_line + index,
                format!("shortcode `{name}` is not rendered: it is the site's own template, which almanac does not run"),
            ));
        }
    }
    match reader.note(path, relative, &fm, &body, parts.body_line, config) {
        Some(mut note) if !reader.problems.iter().any(is_error) => {
            if let Some(page) = page {
                note.language = page.language;
                note.lists = page.lists;
            }
            Outcome::Note(Box::new(note), reader.problems)
        }
        _ => Outcome::Invalid(reader.problems),
    }
}

/// `meetups/rust-night.md` → `rust night`: a title for a note with none.
fn file_title(relative: &str) -> String {
    let file = relative.rsplit('/').next().unwrap_or(relative);
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    stem.replace(['-', '_'], " ").trim().to_string()
}

/// The date a Jekyll post's file name starts with (`2019-11-26-meetup.md`,
/// or its bundle's folder `2019-11-26-meetup/index.md`).
fn file_name_day(relative: &str) -> Option<NaiveDate> {
    let mut parts = relative.rsplit('/');
    let file = parts.next()?;
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let name = match stem {
        "index" | "_index" => parts.next()?,
        stem => stem,
    };
    // `2024-2-24-meetup` too: Jekyll takes one-digit months and days.
    let (day, _) = crate::generator::jekyll_dated(name);
    NaiveDate::parse_from_str(&day?, "%Y-%m-%d").ok()
}

/// Whether `text` starts like front matter in any format (after blank lines).
fn opens_front_matter(text: &str) -> bool {
    let first = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    first.starts_with("---") || first.starts_with("+++") || first.starts_with('{')
}

/// The page as the `--source` generator places it, its file-name date and
/// path put into `fm`; `None` when it is not a post of the feed.
fn placed(
    rules: &crate::generator::Rules,
    relative: &str,
    parts: &source::Parts,
    fm: &mut FrontMatter,
    base_url: &Url,
) -> Option<crate::generator::Page> {
    let value = front_matter::value(parts.front_matter, parts.format).unwrap_or_default();
    let mut page = rules.page(relative, &value);
    if page.skip.is_some() {
        return None;
    }
    if fm.date.is_none() {
        fm.date = page.date.take().map(Text);
    }
    // A page with no date at all is no post: documentation, an about page
    // (docs/sources.md, "Pages").
    fm.date.as_ref()?;
    if fm.url.is_none() {
        fm.url = page.path.take().map(Text);
    }
    if fm.id.is_none() {
        // Made absolute as the generator's feed prints it.
        let absolute = |id: String| {
            base_url
                .join(id.trim_start_matches('/'))
                .map_or(id, |url| url.to_string())
        };
        fm.id = page.id.take().map(absolute).map(Text);
    }
    if let Some(tags) = page.tags.take() {
        fm.tags = Some(front_matter::TextList(tags));
    }
    if let Some(categories) = page.categories.take() {
        fm.categories = Some(front_matter::TextList(categories));
    }
    Some(page)
}

/// A body as the notes stage reads it: with `--source`, template tags
/// taken out (they are the generator's code).
fn body_text<'a>(
    body: &'a str,
    rules: Option<&crate::generator::Rules>,
) -> std::borrow::Cow<'a, str> {
    match rules {
        Some(rules) => match rules.internal_links(body) {
            std::borrow::Cow::Borrowed(body) => crate::generator::strip_templates(body),
            std::borrow::Cow::Owned(linked) => {
                std::borrow::Cow::Owned(crate::generator::strip_templates(&linked).into_owned())
            }
        },
        None => std::borrow::Cow::Borrowed(body),
    }
}

/// The feed HTML of a note's body, from the note's text as [`parse`] read
/// it (see [`Note::content_html`]).
pub fn content_html(text: &str, permalink: &Url) -> Result<String, LineProblem> {
    let parts = source::split(text)?;
    Ok(markdown::content_html(parts.body, permalink))
}

/// The content a feed entry carries for `note`, from its text: its HTML,
/// or past `limit` bytes its summary and a link to it.
pub fn feed_html(
    text: &str,
    note: &Note,
    limit: usize,
    rules: Option<&crate::generator::Rules>,
) -> Result<String, LineProblem> {
    let parts = source::split(text)?;
    let html = markdown::content_html(&body_text(parts.body, rules), &note.permalink);
    if html.len() <= limit {
        return Ok(html);
    }
    use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
    let link = Tag::Link {
        link_type: LinkType::Inline,
        dest_url: note.permalink.as_str().into(),
        title: "".into(),
        id: "".into(),
    };
    let events = [
        Event::Start(Tag::Paragraph),
        Event::Text(note.summary.as_str().into()),
        Event::End(TagEnd::Paragraph),
        Event::Start(Tag::Paragraph),
        Event::Start(link),
        Event::Text(note.permalink.as_str().into()),
        Event::End(TagEnd::Link),
        Event::End(TagEnd::Paragraph),
    ];
    let mut short = String::new();
    pulldown_cmark::html::push_html(&mut short, events.into_iter());
    Ok(short)
}

fn is_error(problem: &LineProblem) -> bool {
    problem.severity == crate::problem::Severity::Error
}

struct Reader<'a> {
    fm_text: &'a str,
    fm_line: usize,
    problems: Vec<LineProblem>,
    /// The note is in the feeds before its date: `--future`, or a generator
    /// that publishes so (docs/sources.md).
    future: bool,
}

impl Reader<'_> {
    /// The file line of a front matter key (its parent's, or the fence's, if absent).
    fn line(&self, path: &[&str]) -> usize {
        let found = front_matter::key_line(self.fm_text, path)
            .or_else(|| front_matter::key_line(self.fm_text, &path[..1]));
        match found {
            Some(line) => self.fm_line + line - 1,
            None => self.fm_line - 1,
        }
    }

    fn error(&mut self, key: &[&str], message: String) {
        let line = self.line(key);
        self.problems.push(LineProblem::error(line, message));
    }

    /// The note `fm` and `body` describe, or `None` with the reasons in
    /// `self.problems`.
    fn note(
        &mut self,
        path: &Path,
        relative: &str,
        fm: &FrontMatter,
        body: &str,
        body_line: usize,
        config: &SiteConfig,
    ) -> Option<Note> {
        // Without `title` (a Jekyll page whose layout prints none), the
        // first heading names the note, else its file name, with a warning.
        let title = text(&fm.title).or_else(|| {
            let found = markdown::first_heading(body);
            if found.is_none() {
                let line = self.line(&["title"]);
                self.problems.push(LineProblem::warning(
                    line,
                    "no `title` and no heading: the note is titled by its file name",
                ));
            }
            found.or_else(|| Some(file_title(relative)))
        });
        let zone = self.zone(fm, config);
        let event_day = self.agenda_day(fm);
        // Without `date`: the date of a Jekyll post's file name
        // (`2019-11-26-meetup.md`), else the note is a page that is in no
        // feed, whose agenda's day is the event's or the first date its text
        // writes with a year (docs/format.md, "Notes without a date").
        let file_day = fm.date.is_none().then(|| file_name_day(relative)).flatten();
        let undated = fm.date.is_none() && file_day.is_none();
        let page_day = undated
            .then(|| event_day.or_else(|| agenda::day::first_full_date(body)))
            .flatten();
        // A page that names no day at all still is one, in no feed and
        // with no event.
        let dayless = undated && page_day.is_none();
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1);
        let dates = self.dates(
            fm,
            zone,
            file_day.or(page_day).or(epoch.filter(|_| dayless)),
        );
        let in_no_feed = undated;
        let permalink = self.permalink(relative, fm, config)?;
        let slug = self.slug(&permalink, fm, config.rules.is_some())?;
        let (title, (date, updated, publish, expiry)) = (title?, dates?);
        let image = self.image(fm, &permalink);
        let info = self.event_info(fm, zone, &permalink, config);
        let published = date.date_naive();
        // A page without a date has expired from the feeds since ever.
        let expiry = match in_no_feed {
            true => Some(DateTime::<chrono::Utc>::UNIX_EPOCH.fixed_offset()),
            false => expiry,
        };
        // Without `event.date`, a date in the title (`Meetup #31 27/02/2025`)
        // is the event's day (docs/format.md, "Agendas").
        // A title dated like the post (`07/03/2019 - RubyFloripa`, posted
        // that day) names the post's day, and the text may still name the
        // event's.
        let event_day = event_day.or_else(|| {
            agenda::day::heading_date(&title, published)
                .or_else(|| agenda::day::named_date(&title, published))
                .filter(|&day| day != published)
        });
        let day = event_day.unwrap_or(published);
        let rules = Rules {
            day,
            day_is_event: event_day.is_some(),
            zone,
            default_minutes: config.default_slot_minutes,
            end_markers: &config.end_markers,
            title: &title,
        };
        let before_agenda = self.problems.len();
        let (mut slots, first_paragraph) = self.agenda(body, body_line, &rules);
        // A page without a day publishes no event: one warning says so when
        // it has an agenda (its `date` may be forgotten), instead of the
        // agenda's own doubts; a page without one is what it seems.
        if dayless && !slots.is_empty() {
            let mut index = 0;
            self.problems.retain(|problem| {
                index += 1;
                index <= before_agenda || is_error(problem)
            });
            let line = self.line(&["date"]);
            self.problems.push(LineProblem::warning(
                line,
                format!(
                    "no `date`, and the text names no day with its year: the page's {} agenda slot(s) are not published; set date or event.date",
                    slots.len()
                ),
            ));
            slots.clear();
        }
        // A generator's summary marker wins over its `summary` key, as in
        // Hugo (docs/sources.md, "Pages").
        let excerpt = config.rules.as_ref().and_then(|rules| rules.excerpt(body));
        let excerpt = excerpt.map(markdown::plain_text).filter(|t| !t.is_empty());
        let summary = text(&fm.description)
            .or(excerpt)
            .or_else(|| text(&fm.summary))
            .unwrap_or_else(|| clean_text(&first_paragraph));
        // A whole-day span is an event beside any agenda; a timed
        // `event.start` stands for an agenda the note does not have.
        if let Some(mut span) = self.all_day(fm, zone, &title, &summary) {
            if slots.iter().any(|slot| slot.id == span.id) {
                span.id = "allday".into(); // an agenda slot at midnight has its id
            }
            slots.insert(0, span);
        } else if slots.is_empty()
            && let Some(slot) = self.single_event(fm, day, zone, config, &title, &summary)
        {
            slots.push(slot);
        }
        let (tags, categories) = self.terms(fm, config)?;
        let id = entry_id(fm, config, &permalink, date);
        Some(Note {
            path: path.to_path_buf(),
            slug,
            permalink,
            id,
            id_given: text(&fm.id).is_some(),
            title,
            date,
            updated,
            publish,
            expiry,
            tags,
            categories,
            summary: {
                let mut summary = clean_text(summary.trim());
                cap(&mut summary, MAX_SUMMARY_BYTES);
                summary
            },
            image,
            author: author(fm, config),
            event: info,
            slots,
            language: None,
            lists: Vec::new(),
        })
    }

    /// The slots of the body's agenda, their texts cleaned and capped, and
    /// the body's first paragraph.
    fn agenda(&mut self, body: &str, body_line: usize, rules: &Rules) -> (Vec<Slot>, String) {
        let found = agenda::agenda(body, body_line, rules);
        self.problems.extend(found.problems);
        let mut slots = found.slots;
        for text in slots.iter_mut().filter_map(|slot| slot.text.as_mut()) {
            source::clean_in_place(&mut text.title);
            source::clean_in_place(&mut text.description);
            cap(&mut text.title, MAX_SUMMARY_BYTES);
            cap(&mut text.description, MAX_DESCRIPTION_BYTES);
        }
        (slots, found.first_paragraph)
    }

    /// `tags` and `categories`, each within `max_tags`.
    fn terms(
        &mut self,
        fm: &FrontMatter,
        config: &SiteConfig,
    ) -> Option<(Vec<String>, Vec<String>)> {
        let (tags, categories) = (terms(fm.tags.as_ref()), terms(fm.categories.as_ref()));
        for (key, terms) in [("tags", &tags), ("categories", &categories)] {
            if terms.len() > config.max_tags {
                self.error(
                    &[key],
                    format!(
                        "{} {key}, over max_tags ({}); keep the telling ones or raise the limit",
                        terms.len(),
                        config.max_tags
                    ),
                );
                return None;
            }
        }
        Some((tags, categories))
    }

    /// `event.timezone`, else the site's.
    fn zone(&mut self, fm: &FrontMatter, config: &SiteConfig) -> Tz {
        match fm.event.as_ref().and_then(|e| e.timezone.as_ref()) {
            None => config.timezone,
            Some(Text(name)) => match name.trim().parse::<Tz>() {
                Ok(zone) => zone,
                Err(_) => {
                    self.error(
                        &["event", "timezone"],
                        format!(
                            "unknown time zone `{name}` (use an IANA name such as Europe/Berlin)"
                        ),
                    );
                    config.timezone
                }
            },
        }
    }

    /// `date` (else midnight of `day`), `lastmod` (else `date`),
    /// `publishDate` (else `date`) and `expiryDate`, each read in `zone`;
    /// `None` without a valid `date` or `day`.
    #[allow(clippy::type_complexity)]
    fn dates(
        &mut self,
        fm: &FrontMatter,
        zone: Tz,
        day: Option<NaiveDate>,
    ) -> Option<(
        DateTime<FixedOffset>,
        DateTime<FixedOffset>,
        DateTime<FixedOffset>,
        Option<DateTime<FixedOffset>>,
    )> {
        let date = match (&fm.date, day) {
            (Some(value), _) => self.instant(&["date"], value, zone),
            (None, Some(day)) => self.instant(&["date"], &Text(day.to_string()), zone),
            (None, None) => {
                self.error(&["date"], "missing `date` in front matter".into());
                None
            }
        };
        let mut optional = |key: &str, value: &Option<Text>| {
            value.as_ref().and_then(|v| self.instant(&[key], v, zone))
        };
        let updated = optional("lastmod", &fm.lastmod);
        let publish = optional("publishDate", &fm.publish_date);
        let expiry = optional("expiryDate", &fm.expiry_date);
        let date = date?;
        // A generator that publishes future pages shows them from the start.
        let always = DateTime::<chrono::Utc>::UNIX_EPOCH.fixed_offset();
        let publish = match self.future {
            true => always,
            false => publish.unwrap_or(date),
        };
        Some((date, updated.unwrap_or(date), publish, expiry))
    }

    /// `thumbnail`, else `image`, else `images[0]`, made absolute.
    fn image(&mut self, fm: &FrontMatter, permalink: &Url) -> Option<Url> {
        ["thumbnail", "image"]
            .into_iter()
            .zip([&fm.thumbnail, &fm.image])
            .find_map(|(key, value)| text(value).map(|v| (key, v)))
            .or_else(|| {
                fm.images
                    .as_ref()
                    .and_then(|list| list.0.first())
                    .map(|first| ("images", clean_text(first.trim())))
            })
            .and_then(|(key, value)| self.url(&[key], &value, permalink))
    }

    /// What the `event` map says of every slot.
    fn event_info(
        &mut self,
        fm: &FrontMatter,
        zone: Tz,
        permalink: &Url,
        config: &SiteConfig,
    ) -> EventInfo {
        let event = fm.event.as_ref();
        let status = match event.and_then(|e| text(&e.status)) {
            None => Status::Confirmed,
            Some(status) => match status.to_lowercase().as_str() {
                "confirmed" => Status::Confirmed,
                "tentative" => Status::Tentative,
                "cancelled" | "canceled" => Status::Cancelled,
                _ => {
                    self.error(
                        &["event", "status"],
                        format!(
                            "unknown event status `{status}` (confirmed, tentative or cancelled)"
                        ),
                    );
                    Status::Confirmed
                }
            },
        };
        let sequence = event.and_then(|e| e.sequence).unwrap_or(0);
        let url = event
            .and_then(|e| text(&e.url))
            .and_then(|url| self.url(&["event", "url"], &url, permalink));
        EventInfo {
            timezone: zone,
            location: event.and_then(|e| text(&e.location)),
            url,
            status,
            // RFC 5545 §3.8.7.4: a cancellation is a revision, so subscribers
            // that already hold the event must see a higher SEQUENCE.
            sequence: sequence.saturating_add(u32::from(status == Status::Cancelled)),
            alarm_minutes: event.and_then(|e| e.alarm_minutes).or(config.alarm_minutes),
        }
    }

    /// `event.date`, the agenda's day when it is not the note's.
    fn agenda_day(&mut self, fm: &FrontMatter) -> Option<NaiveDate> {
        let Some(value) = fm.event.as_ref().and_then(|event| event.date.as_ref()) else {
            // An event theme's own start key, when it holds a date.
            return [&fm.event_date, &fm.start_date, &fm.start_time]
                .into_iter()
                .filter_map(|hint| hint.as_ref()?.0.as_deref())
                .find_map(|text| match front_matter::parse_date(text)? {
                    DateValue::Day(day) => Some(day),
                    DateValue::Local(local) => Some(local.date()),
                    DateValue::Instant(instant) => Some(instant.date_naive()),
                });
        };
        match front_matter::parse_date(&value.0) {
            Some(DateValue::Day(day)) => Some(day),
            Some(DateValue::Local(local)) => Some(local.date()),
            // An instant written with an offset names that offset's day.
            Some(DateValue::Instant(instant)) => Some(instant.date_naive()),
            None => {
                self.error(
                    &["event", "date"],
                    format!("event.date `{}` is not a date (use YYYY-MM-DD)", value.0),
                );
                None
            }
        }
    }

    /// `event.start`/`event.end` for a note without agenda: one event titled like the note.
    fn single_event(
        &mut self,
        fm: &FrontMatter,
        day: NaiveDate,
        zone: Tz,
        config: &SiteConfig,
        title: &str,
        summary: &str,
    ) -> Option<Slot> {
        let event = fm.event.as_ref()?;
        let start_text = event.start.as_ref()?;
        let start = self.event_time(&["event", "start"], &start_text.0, day, zone)?;
        let end = match &event.end {
            Some(end_text) => {
                let end =
                    self.event_time(&["event", "end"], &end_text.0, start.date_naive(), zone)?;
                if end > start {
                    end
                } else {
                    end + Duration::days(1)
                }
            }
            None => start + Duration::minutes(i64::from(config.default_slot_minutes)),
        };
        if end <= start {
            self.error(
                &["event", "end"],
                "event.end is not after event.start".into(),
            );
            return None;
        }
        use chrono::Timelike;
        Some(Slot {
            id: format!("{:02}{:02}", start.hour(), start.minute()),
            line: self.line(&["event", "start"]),
            start,
            end,
            all_day: false,
            text: Some(Box::new(SlotText {
                title: title.to_string(),
                speaker: None,
                description: summary.to_string(),
            })),
            revision: None,
        })
    }

    /// `event.start` (and `event.end`) given as dates: one all-day event
    /// from the first day through the last, `None` when `event.start` is
    /// no date.
    fn all_day(&mut self, fm: &FrontMatter, zone: Tz, title: &str, summary: &str) -> Option<Slot> {
        let event = fm.event.as_ref()?;
        let day = |text: &Option<Text>| match front_matter::parse_time_or_date(&text.as_ref()?.0) {
            Some(Err(DateValue::Day(day))) => Some(day),
            _ => None,
        };
        let first = day(&event.start)?;
        let last = match &event.end {
            None => first,
            Some(_) => match day(&event.end) {
                Some(last) if last >= first => last,
                _ => {
                    self.error(
                        &["event", "end"],
                        "event.end must be a date on or after event.start (YYYY-MM-DD) for an all-day event".into(),
                    );
                    return None;
                }
            },
        };
        let midnight = |day: NaiveDate| match zone.from_local_datetime(&day.and_hms_opt(0, 0, 0)?) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at),
            // A zone that skips midnight on a DST change: the day's first instant.
            LocalResult::None => zone
                .from_local_datetime(&day.and_hms_opt(1, 0, 0)?)
                .earliest(),
        };
        Some(Slot {
            // As the timed midnight event it once was: subscribers keep it.
            id: "0000".into(),
            line: self.line(&["event", "start"]),
            start: midnight(first)?,
            end: midnight(last.succ_opt()?)?,
            all_day: true,
            text: Some(Box::new(SlotText {
                title: title.to_string(),
                speaker: None,
                description: summary.to_string(),
            })),
            revision: None,
        })
    }

    fn event_time(
        &mut self,
        key: &[&str],
        value: &str,
        day: NaiveDate,
        zone: Tz,
    ) -> Option<DateTime<Tz>> {
        let local = match front_matter::parse_time_or_date(value) {
            Some(Ok(time)) => day.and_time(time),
            Some(Err(DateValue::Local(local))) => local,
            Some(Err(DateValue::Day(day))) => day.and_hms_opt(0, 0, 0)?,
            Some(Err(DateValue::Instant(instant))) => return Some(instant.with_timezone(&zone)),
            None => {
                self.error(
                    key,
                    format!("`{value}` is neither a time (19:00) nor a date-time"),
                );
                return None;
            }
        };
        match zone.from_local_datetime(&local) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at),
            LocalResult::None => {
                self.error(
                    key,
                    format!(
                        "{local} does not exist in {} (clocks go forward then)",
                        zone.name()
                    ),
                );
                None
            }
        }
    }

    /// A front matter date as an instant; dates without offset are local to `zone`.
    fn instant(&mut self, key: &[&str], value: &Text, zone: Tz) -> Option<DateTime<FixedOffset>> {
        let Some(parsed) = front_matter::parse_date(&value.0) else {
            self.error(
                key,
                format!(
                    "`{}: {}` is not a date (use 2019-11-26, 2019-11-26 19:00 or RFC 3339)",
                    key.join("."),
                    value.0
                ),
            );
            return None;
        };
        let local = match parsed {
            DateValue::Instant(instant) => return Some(instant),
            DateValue::Local(local) => local,
            DateValue::Day(day) => day.and_hms_opt(0, 0, 0)?,
        };
        Some(local_instant(zone, local).fixed_offset())
    }

    fn permalink(&mut self, relative: &str, fm: &FrontMatter, config: &SiteConfig) -> Option<Url> {
        let path = if let Some(url) = text(&fm.url) {
            url.trim_start_matches('/').to_string()
        } else {
            let stem = relative.rsplit_once('.').map_or(relative, |(stem, _)| stem);
            let (dir, name) = stem.rsplit_once('/').map_or(("", stem), |(d, n)| (d, n));
            let name = match text(&fm.slug) {
                Some(slug) => slug,
                None if name == "index" => String::new(),
                None => name.to_string(),
            };
            [dir, name.as_str()]
                .iter()
                .filter(|part| !part.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("/")
        };
        let mut path = path;
        // Jekyll and Eleventy publish a permalink as written: `/:title`
        // is `/my-post`, no folder (docs/sources.md, "Pages").
        let as_written = config.rules.as_ref().is_some_and(|rules| {
            matches!(
                rules.kind,
                crate::generator::Kind::Jekyll | crate::generator::Kind::Eleventy
            )
        });
        if !path.is_empty()
            && !as_written
            && !path.ends_with('/')
            && !path.rsplit('/').next().unwrap_or("").contains('.')
        {
            path.push('/');
        }
        let key = if fm.url.is_some() { "url" } else { "slug" };
        if path.split('/').any(|segment| segment == "..") || path.contains('\\') {
            self.error(&[key], format!("`{path}` may not contain `..` or `\\`"));
            return None;
        }
        match config.base_url.join(&path) {
            Ok(url) if url.as_str().starts_with(config.base_url.as_str()) => Some(url),
            _ => {
                self.error(
                    &[key],
                    format!("`{path}` does not make a URL under base_url"),
                );
                None
            }
        }
    }

    /// The last segment of the permalink path: the note's calendar file name
    /// and the left part of its calendar UIDs.
    fn slug(&mut self, permalink: &Url, fm: &FrontMatter, whole_path: bool) -> Option<String> {
        let key = if fm.url.is_some() { "url" } else { "slug" };
        let mut segments = permalink.path_segments().into_iter().flatten();
        let segment = match whole_path {
            // A generator's pages are told apart by their whole path (a
            // translation, another section), so the slug is all of it.
            true => segments
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("-"),
            false => segments.rfind(|s| !s.is_empty()).unwrap_or("").to_string(),
        };
        let segment = segment.as_str();
        let decoded = percent_decode(segment);
        let decoded = decoded
            .rsplit_once('.')
            .filter(|(_, ext)| ext.eq_ignore_ascii_case("html"))
            .map_or(decoded.as_str(), |(stem, _)| stem)
            .to_string();
        // Windows device names cannot be files there, whatever the extension.
        let stem = decoded.split('.').next().unwrap_or("").to_ascii_uppercase();
        let device = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
            || (stem.len() == 4
                && (stem.starts_with("COM") || stem.starts_with("LPT"))
                && stem.as_bytes()[3].is_ascii_digit());
        let unsafe_name = decoded.is_empty()
            || device
            || decoded.starts_with('.')
            || decoded == "."
            || decoded == ".."
            || decoded.len() > MAX_SLUG_BYTES
            || decoded.chars().any(|c| {
                c.is_control()
                    || is_format_char(c)
                    || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
            });
        if unsafe_name {
            self.error(
                &[key],
                format!(
                    "the permalink `{}` does not end in a usable slug (letters, digits, `-`, `_`)",
                    permalink.path()
                ),
            );
            return None;
        }
        Some(decoded)
    }

    fn url(&mut self, key: &[&str], value: &str, base: &Url) -> Option<Url> {
        match base.join(value) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url),
            _ => {
                self.error(key, format!("`{value}` is not an http(s) URL"));
                None
            }
        }
    }
}

/// A local time in `zone`; midnight skipped by a DST change (some zones
/// change at 00:00) moves to the first instant after the gap.
pub fn local_instant(zone: Tz, local: NaiveDateTime) -> DateTime<Tz> {
    let mut probe = local;
    for _ in 0..48 {
        match zone.from_local_datetime(&probe) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => return at,
            LocalResult::None => probe += Duration::minutes(30),
        }
    }
    zone.from_utc_datetime(&local)
}

/// The feed entry id: `id`, else the generator's (the permalink), else an
/// RFC 4151 tag URI of the site's host, the note's first day and its path.
/// Titles and feed locations can change; this cannot.
fn entry_id(
    fm: &FrontMatter,
    config: &SiteConfig,
    permalink: &Url,
    date: DateTime<FixedOffset>,
) -> String {
    text(&fm.id).unwrap_or_else(|| match config.rules {
        // A generator's feed ids are the permalink (docs/sources.md,
        // "Switching"): kept, so its subscribers see no entry twice.
        Some(_) => permalink.to_string(),
        None => format!(
            "tag:{},{}:{}",
            config.host(),
            date.format("%Y-%m-%d"),
            permalink.path()
        ),
    })
}

/// `author`, else the site's.
fn author(fm: &FrontMatter, config: &SiteConfig) -> Author {
    match &fm.author {
        None => config.author.clone(),
        Some(AuthorField::Name(name)) => Author {
            name: clean_text(name.0.trim()),
            email: None,
            url: None,
        },
        Some(AuthorField::Full { name, email, url }) => Author {
            name: clean_text(name.0.trim()),
            email: email.as_ref().map(|e| clean_text(e.0.trim())),
            url: url.as_ref().map(|u| clean_text(u.0.trim())),
        },
    }
}

/// Unicode format characters (general category Cf) and the other
/// invisible marks a file name must not hide: a right-to-left override
/// makes `evil\u{202e}gpj.ics` read as `evilsci.jpg`.
fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}' | '\u{8e2}'
        | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}' | '\u{110bd}' | '\u{110cd}' | '\u{13430}'..='\u{1343f}'
        | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0001}'
        | '\u{e0020}'..='\u{e007f}')
}

fn text(value: &Option<Text>) -> Option<String> {
    value
        .as_ref()
        .map(|text| clean_text(text.0.trim()))
        .filter(|text| !text.is_empty())
}

/// A tag or category as one line of text: XML attribute normalization
/// (Atom's `term`) turns a newline into a space anyway, and a folder name
/// cannot hold one.
pub fn term(text: &str) -> String {
    clean_text(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn terms(list: Option<&front_matter::TextList>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for term in list.map(|l| l.0.as_slice()).unwrap_or_default() {
        let term = self::term(term);
        if !term.is_empty() && !out.contains(&term) {
            out.push(term);
        }
    }
    out
}

fn percent_decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests;
