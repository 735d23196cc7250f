//! iCalendar (RFC 5545): one VEVENT per agenda slot, a VTIMEZONE for every
//! TZID used, and the calendar properties subscription clients read.

use super::ical::{Lines, param_value};
use super::vtimezone;
use super::window::Cut;
use super::{Calendar, Span};
use crate::config::{SiteConfig, Window};
use crate::model::{Note, Site, Slot, SlotText};
use chrono::{DateTime, Datelike, LocalResult, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Characters percent-encoded in a URL fragment (WHATWG URL: fragment set).
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`');

/// `PRODID` (§3.7.3): who made the file.
const PRODID: &str = concat!("-//almanac//almanac ", env!("CARGO_PKG_VERSION"), "//EN");

/// The last line of every calendar.
pub const END: &[u8] = b"END:VCALENDAR\r\n";

/// One slot's VEVENT, rendered once into the build's spool: a slot is in
/// its note's calendar, the site's and each of its tags', written the same
/// in all. This is what a calendar needs of it without its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRef {
    pub start: DateTime<Utc>,
    pub uid: String,
    pub zone: Tz,
    /// The years its start and end fall in, for the VTIMEZONE's span.
    pub years: (i32, i32),
    /// Its folded, CRLF-terminated lines, `BEGIN:VEVENT` to `END:VEVENT`.
    pub text: Span,
}

impl EventRef {
    /// The event of `slot`, one of `note`'s, its text at `text`.
    fn of(config: &SiteConfig, note: &Note, slot: &Slot, text: Span) -> Self {
        Self {
            start: slot.start_utc(),
            uid: uid(config, note, slot),
            zone: slot.start.timezone(),
            years: (slot.start.year(), slot.end.year()),
            text,
        }
    }

    /// This event, its text in a block that starts at `base`.
    pub fn within(&self, base: u64) -> Self {
        Self {
            text: self.text.within(base),
            ..self.clone()
        }
    }

    /// A note's events, their block of text placed at `base`.
    pub fn all_within(events: &[Self], base: u64) -> Vec<Self> {
        events.iter().map(|event| event.within(base)).collect()
    }
}

/// The events of every slot of `note`: their text as one block, and each
/// event with its place in that block. `None` if a slot lacks its text
/// (a note taken from the cache, whose events are rendered already).
pub fn render_events(config: &SiteConfig, note: &Note) -> Option<(String, Vec<EventRef>)> {
    let mut lines = Lines::default();
    let mut events = Vec::with_capacity(note.slots.len());
    for slot in &note.slots {
        let offset = lines.len() as u64;
        let mut placed = EventRef::of(config, note, slot, Span { offset, len: 0 });
        event(
            &mut lines,
            config,
            note,
            slot,
            slot.text.as_ref()?,
            &placed.uid,
        );
        placed.text.len = lines.len() as u64 - offset;
        events.push(placed);
    }
    Some((lines.finish(), events))
}

/// The events of `note` whose texts, `lengths` long, lie side by side in a
/// block of events: what [`render_events`] gave, without rendering them.
/// `None` if there is not one length a slot, or one is too short for an
/// event.
pub fn events_of(config: &SiteConfig, note: &Note, lengths: &[u64]) -> Option<Vec<EventRef>> {
    const SMALLEST: u64 = (b"BEGIN:VEVENT\r\n".len() + b"END:VEVENT\r\n".len()) as u64;
    if lengths.len() != note.slots.len() || lengths.iter().any(|&len| len < SMALLEST) {
        return None;
    }
    let mut offset = 0u64;
    let mut events = Vec::with_capacity(lengths.len());
    for (slot, &len) in note.slots.iter().zip(lengths) {
        events.push(EventRef::of(config, note, slot, Span { offset, len }));
        offset = offset.checked_add(len)?;
    }
    Some(events)
}

/// A calendar named `name` holding `events`: its header, and where the
/// events' bytes are, in order. With a `window`, only the events it holds
/// at the site's "now" (see [`super::window`]).
pub fn calendar(
    site: &Site,
    name: &str,
    mut events: Vec<&EventRef>,
    zones: &vtimezone::Zones,
    window: Option<&Window>,
) -> Calendar {
    // Slots by start, then UID: a total order independent of input order.
    events.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.uid.cmp(&b.uid)));
    let (head, cut) = match window {
        None => (head(site, name, &events, zones), None),
        Some(window) => fit(site, name, &mut events, zones, window),
    };
    // A note's events lie side by side where they were rendered, and mostly
    // follow each other in time too: each run of neighbours is read at once.
    let mut runs: Vec<Span> = Vec::new();
    for event in &events {
        match runs.last_mut() {
            Some(run) if run.offset + run.len == event.text.offset => run.len += event.text.len,
            _ => runs.push(event.text),
        }
    }
    Calendar { head, runs, cut }
}

/// Keeps of `events` (by start) those `window` holds at the site's "now",
/// the oldest leaving first while the caps are exceeded; the header of
/// what is kept, and how the caps cut the window, if they did.
fn fit(
    site: &Site,
    name: &str,
    events: &mut Vec<&EventRef>,
    zones: &vtimezone::Zones,
    window: &Window,
) -> (String, Option<Cut>) {
    super::window::in_window(window, site.now, events);
    let in_window = events.len();
    // The header's VTIMEZONEs span the kept events' years: fitted again
    // until the file is within its size cap.
    loop {
        let head = head(site, name, events, zones);
        let kept = super::window::fitting(window, events, head.len() as u64);
        if kept == events.len() {
            let cut = (kept < in_window).then_some(Cut { in_window, kept });
            return (head, cut);
        }
        events.drain(..events.len() - kept);
    }
}

/// The calendar's properties and the VTIMEZONE of every zone `events` use.
fn head(site: &Site, name: &str, events: &[&EventRef], zones: &vtimezone::Zones) -> String {
    let mut lines = Lines::default();
    lines.raw("BEGIN", "VCALENDAR");
    lines.raw("VERSION", "2.0");
    lines.text("PRODID", PRODID);
    lines.raw("CALSCALE", "GREGORIAN");
    // No METHOD:PUBLISH: without an ORGANIZER, Outlook treats it as an invitation.
    lines.text("NAME", name);
    lines.text("X-WR-CALNAME", name);
    // Google Calendar labels a subscribed calendar GMT without it.
    lines.text("X-WR-TIMEZONE", site.config.timezone.name());
    if let Some(description) = &site.config.description {
        lines.text("X-WR-CALDESC", description);
    }
    let refresh = duration(site.config.refresh_minutes);
    lines.raw("REFRESH-INTERVAL;VALUE=DURATION", &refresh);
    lines.raw("X-PUBLISHED-TTL", &refresh);
    let spans = events.iter().map(|event| (event.zone, event.years));
    for (zone, (first, last)) in vtimezone::zone_years(spans) {
        vtimezone::write(
            &mut lines,
            zone,
            first,
            last,
            &zones.transitions(zone, first, last),
        );
    }
    lines.finish()
}

/// `{note slug}-{slot id}@{site host}` (docs/format.md): built from what a title
/// edit cannot change, so subscribers never see a duplicate
/// (emfcamp/Website#2097).
pub fn uid(config: &SiteConfig, note: &Note, slot: &Slot) -> String {
    format!("{}-{}@{}", note.slug, slot.id, config.host())
}

fn event(
    lines: &mut Lines,
    config: &SiteConfig,
    note: &Note,
    slot: &Slot,
    text: &SlotText,
    uid: &str,
) {
    lines.raw("BEGIN", "VEVENT");
    lines.text("UID", uid);
    // DTSTAMP and LAST-MODIFIED: when the event last changed, as the
    // published state says (else the note's lastmod), never the clock, so
    // an unchanged note gives unchanged bytes.
    let revision = revision(note, slot);
    let stamp = utc_stamp(revision.stamp);
    lines.raw("DTSTAMP", &stamp);
    lines.raw("LAST-MODIFIED", &stamp);
    times(lines, slot);
    let summary = summary(config, note, text);
    lines.text("SUMMARY", &summary);
    lines.text("DESCRIPTION", &description(note, text));
    location(lines, note);
    // The permalink is a valid URL without fragment; the slot id is encoded
    // as a fragment, as Url::set_fragment would, without reparsing the URL.
    let fragment = percent_encoding::utf8_percent_encode(&slot.id, FRAGMENT);
    lines.raw("URL", &format!("{}#{fragment}", note.permalink));
    lines.raw("SEQUENCE", &revision.sequence.to_string());
    lines.raw("STATUS", note.event.status.ical());
    categories(lines, note);
    if let Some(minutes) = note.event.alarm_minutes {
        // RFC 5545 §3.6.6: a DISPLAY alarm needs its DESCRIPTION.
        lines.raw("BEGIN", "VALARM");
        lines.raw("ACTION", "DISPLAY");
        lines.text("DESCRIPTION", &summary);
        lines.raw("TRIGGER", &format!("-{}", duration(minutes)));
        lines.raw("END", "VALARM");
    }
    lines.raw("END", "VEVENT");
}

fn location(lines: &mut Lines, note: &Note) {
    if let Some(location) = &note.event.location {
        lines.text("LOCATION", location);
    }
}

/// The slot's revision, else the note's `event.sequence` and `lastmod`.
fn revision(note: &Note, slot: &Slot) -> crate::model::Revision {
    slot.revision.unwrap_or(crate::model::Revision {
        sequence: note.event.sequence,
        stamp: note.updated.with_timezone(&Utc),
    })
}

/// The properties whose change is a new revision of an event (RFC 5545
/// §3.8.7.4), as written: its start line, its SUMMARY line, and all of
/// them (DTSTART, DTEND, SUMMARY, LOCATION, STATUS), each hashed.
/// [`crate::ledger`] reads the same lines back from published files.
pub fn significant(config: &SiteConfig, note: &Note, slot: &Slot, text: &SlotText) -> Significant {
    let written = |write: &dyn Fn(&mut Lines)| {
        let mut lines = Lines::default();
        write(&mut lines);
        lines.finish()
    };
    let start = written(&|lines| times(lines, slot));
    let (dtstart, dtend) = start.split_at(start.find("\r\n").map_or(0, |at| at + 2));
    let summary = written(&|lines| lines.text("SUMMARY", &summary(config, note, text)));
    let location = written(&|lines| location(lines, note));
    let status = written(&|lines| lines.raw("STATUS", note.event.status.ical()));
    Significant::of(dtstart, dtend, &summary, &location, &status)
}

/// An event's significant properties, hashed (see [`significant`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Significant {
    pub start: u64,
    pub title: u64,
    pub fields: u64,
}

impl Significant {
    /// From each property's lines as written (empty when absent).
    pub fn of(dtstart: &str, dtend: &str, summary: &str, location: &str, status: &str) -> Self {
        let all = [dtstart, dtend, summary, location, status].concat();
        Self {
            start: crate::digest::fnv1a(dtstart.as_bytes()),
            title: crate::digest::fnv1a(summary.as_bytes()),
            fields: crate::digest::fnv1a(all.as_bytes()),
        }
    }
}

/// DTSTART and DTEND: dates for an all-day event, else local times.
fn times(lines: &mut Lines, slot: &Slot) {
    if slot.all_day {
        // RFC 5545 §3.6.1: an all-day event is a DATE, its DTEND the day
        // after its last (exclusive).
        lines.raw(
            "DTSTART;VALUE=DATE",
            &slot.start.format("%Y%m%d").to_string(),
        );
        lines.raw("DTEND;VALUE=DATE", &slot.end.format("%Y%m%d").to_string());
    } else {
        date_time(lines, "DTSTART", &slot.start);
        date_time(lines, "DTEND", &slot.end);
    }
}

/// The note's page first: Google Calendar and Outlook show no URL
/// property, so the description is the only way back to the note. Then the
/// slot's own text, then `event.url`.
fn description(note: &Note, text: &SlotText) -> String {
    let mut description = note.permalink.to_string();
    let event_url = note.event.url.as_ref().map(|url| url.as_str());
    for part in [Some(text.description.as_str()), event_url]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
    {
        description.push_str("\n\n");
        description.push_str(part);
    }
    description
}

/// §3.8.1.2: CATEGORIES is a list of TEXT; commas inside a term are escaped.
fn categories(lines: &mut Lines, note: &Note) {
    let categories = note.all_categories();
    if !categories.is_empty() {
        let escaped: Vec<String> = categories
            .iter()
            .map(|c| super::ical::escape_text(c))
            .collect();
        lines.raw("CATEGORIES", &escaped.join(","));
    }
}

/// The event's title, as `event_title` says: the note's title and the
/// slot's (its speaker too), on one line. A slot titled like its note (a
/// note's one event) is not named twice.
pub fn summary(config: &SiteConfig, note: &Note, text: &SlotText) -> String {
    let slot = text.summary();
    if slot == note.title {
        return slot;
    }
    // One pass over the template: a title holding `{slot}` stays as it is.
    let mut title = String::with_capacity(config.event_title.len() + slot.len() + note.title.len());
    let mut rest = config.event_title.as_str();
    while let Some(at) = rest.find('{') {
        title.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("{note}") {
            title.push_str(&note.title);
            rest = after;
        } else if let Some(after) = rest.strip_prefix("{slot}") {
            title.push_str(&slot);
            rest = after;
        } else {
            title.push('{');
            rest = &rest[1..];
        }
    }
    title.push_str(rest);
    // Calendar titles are single lines (see `SlotText::summary`).
    title
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `DTSTART;TZID=Asia/Tokyo:20191126T190000`. A local time that a DST change
/// repeats is written in UTC instead: RFC 5545 §3.3.5 says such a time means
/// its first occurrence, but khal reads the second, so only UTC is read the
/// same by every client.
fn date_time(lines: &mut Lines, name: &str, at: &DateTime<Tz>) {
    let zone = at.timezone();
    let local = at.naive_local();
    if let LocalResult::Single(_) = zone.from_local_datetime(&local) {
        let property = format!("{name};TZID={}", param_value(zone.name()));
        lines.raw(&property, &basic(local));
    } else {
        lines.raw(name, &utc_stamp(at.with_timezone(&Utc)));
    }
}

fn utc_stamp(at: DateTime<Utc>) -> String {
    let mut stamp = basic(at.naive_utc());
    stamp.push('Z');
    stamp
}

/// §3.3.5 DATE-TIME in its basic form, `20191126T190000` (written by hand:
/// chrono's `format` parses its pattern anew on every call, thousands of
/// times a build).
fn basic(at: chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// §3.3.6 DURATION for a number of minutes: `PT1H`, `PT90M` → `PT1H30M`.
fn duration(minutes: u32) -> String {
    let (hours, minutes) = (minutes / 60, minutes % 60);
    match (hours, minutes) {
        (0, m) => format!("PT{m}M"),
        (h, 0) => format!("PT{h}H"),
        (h, m) => format!("PT{h}H{m}M"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(at: DateTime<Tz>) -> String {
        let mut lines = Lines::default();
        date_time(&mut lines, "DTSTART", &at);
        lines.finish()
    }

    #[test]
    fn local_times_carry_their_tzid() {
        let at = chrono_tz::Asia::Tokyo
            .with_ymd_and_hms(2019, 11, 26, 19, 0, 0)
            .unwrap();
        assert_eq!(written(at), "DTSTART;TZID=Asia/Tokyo:20191126T190000\r\n");
    }

    #[test]
    fn times_a_dst_change_repeats_are_written_in_utc() {
        let berlin = chrono_tz::Europe::Berlin;
        let (first, second) = match berlin.with_ymd_and_hms(2024, 10, 27, 2, 30, 0) {
            LocalResult::Ambiguous(first, second) => (first, second),
            other => panic!("02:30 is ambiguous that night: {other:?}"),
        };
        assert_eq!(written(first), "DTSTART:20241027T003000Z\r\n");
        assert_eq!(written(second), "DTSTART:20241027T013000Z\r\n");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(60), "PT1H");
        assert_eq!(duration(15), "PT15M");
        assert_eq!(duration(90), "PT1H30M");
    }
}
