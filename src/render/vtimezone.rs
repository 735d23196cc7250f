//! VTIMEZONE components (RFC 5545 §3.6.5) generated from the tz database
//! compiled into the binary (chrono-tz), so the bytes never depend on the
//! machine's /usr/share/zoneinfo. Outlook and ical.js need a VTIMEZONE for
//! every TZID (ical-generator#680, pretalx#2588).
//!
//! chrono-tz has no transition iterator: transitions are found by stepping
//! through the years in half-day steps and bisecting each change of offset to
//! the second. Transitions that recur year after year on the same rule (the
//! second Sunday of March at 02:00) become one observance with a yearly
//! RRULE, as tzdb-derived exports write them: Outlook reduces a VTIMEZONE to
//! one yearly standard/daylight pair (MS-OXCICAL 2.1.3.1.1.19.2.1) and puts
//! events an hour off when it finds only dated onsets (iCalcreator#86, #106).
//! Any other transition is an observance of its own.

use super::ical::Lines;
use crate::model::Site;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The observable state of a zone at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    offset: i32,
    dst: bool,
    name: String,
}

fn state(zone: Tz, at: DateTime<Utc>) -> State {
    let offset = zone.offset_from_utc_datetime(&at.naive_utc());
    State {
        offset: offset.fix().local_minus_utc(),
        dst: !offset.dst_offset().is_zero(),
        name: offset.abbreviation().map_or_else(
            || format_offset(offset.fix().local_minus_utc()),
            str::to_string,
        ),
    }
}

/// One change of a zone's offset or name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub at: DateTime<Utc>,
    from: State,
    to: State,
}

/// Transitions of every zone a site uses, found once per build and shared by
/// its calendars: a large site has thousands of them, all in a few zones.
#[derive(Debug, Default)]
pub struct Zones {
    found: Mutex<BTreeMap<&'static str, Span>>,
}

/// The transitions of one zone over `first..=last`.
#[derive(Debug)]
struct Span {
    first: i32,
    last: i32,
    transitions: Vec<Transition>,
}

impl Zones {
    /// Prepares the years each zone's slots span in `site`.
    pub fn for_site(site: &Site) -> Self {
        let spans = zone_years(
            site.notes
                .iter()
                .flat_map(|note| &note.slots)
                .map(|slot| (slot.start.timezone(), (slot.start.year(), slot.end.year()))),
        );
        let found = spans
            .into_iter()
            .map(|(zone, (first, last))| {
                let name = zone.name();
                let transitions = transitions(zone, first, last);
                (
                    name,
                    Span {
                        first,
                        last,
                        transitions,
                    },
                )
            })
            .collect();
        Self {
            found: Mutex::new(found),
        }
    }

    /// The transitions of `zone` within `first_year..=last_year`.
    pub fn transitions(&self, zone: Tz, first_year: i32, last_year: i32) -> Vec<Transition> {
        let mut found = self
            .found
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let covered = found
            .get(zone.name())
            .is_some_and(|span| span.first <= first_year && span.last >= last_year);
        if !covered {
            // A calendar outside the prepared span (only in tests): find and keep.
            let span = Span {
                first: first_year,
                last: last_year,
                transitions: transitions(zone, first_year, last_year),
            };
            found.insert(zone.name(), span);
        }
        let (from, to) = window(first_year, last_year);
        found[zone.name()]
            .transitions
            .iter()
            .filter(|t| t.at > from && t.at < to)
            .cloned()
            .collect()
    }
}

/// The zones of some events (zone, first and last year), merged: by name,
/// for a stable order, each with the first and last year its events touch.
pub fn zone_years(spans: impl Iterator<Item = (Tz, (i32, i32))>) -> Vec<(Tz, (i32, i32))> {
    let mut years: BTreeMap<&'static str, (Tz, i32, i32)> = BTreeMap::new();
    for (zone, (first, last)) in spans {
        years
            .entry(zone.name())
            .and_modify(|entry| {
                entry.1 = entry.1.min(first);
                entry.2 = entry.2.max(last);
            })
            .or_insert((zone, first, last));
    }
    years
        .into_values()
        .map(|(zone, first, last)| (zone, (first, last)))
        .collect()
}

/// Transitions of `zone` from the start of `first_year` to the end of `last_year`.
pub fn transitions(zone: Tz, first_year: i32, last_year: i32) -> Vec<Transition> {
    let (from, to) = window(first_year, last_year);
    let step = Duration::hours(12);
    let mut found = Vec::new();
    let mut at = from;
    let mut current = state(zone, at);
    while at < to {
        let next = (at + step).min(to);
        let next_state = state(zone, next);
        if next_state != current {
            // Bisect (at, next] on whole seconds to the first one in the new state.
            let (mut low, mut high) = (at.timestamp(), next.timestamp());
            while high - low > 1 {
                let middle = low + (high - low) / 2;
                if state(zone, second(middle)) == current {
                    low = middle;
                } else {
                    high = middle;
                }
            }
            let high = second(high);
            let to_state = state(zone, high);
            found.push(Transition {
                at: high,
                from: current,
                to: to_state.clone(),
            });
            current = to_state;
            at = high;
            continue;
        }
        at = next;
    }
    found
}

fn second(timestamp: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(timestamp, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

fn window(first_year: i32, last_year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = NaiveDate::from_ymd_opt(first_year, 1, 1)
        .unwrap_or(NaiveDate::MIN)
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        - Duration::days(1);
    let end = NaiveDate::from_ymd_opt(last_year.saturating_add(1), 1, 1)
        .unwrap_or(NaiveDate::MAX)
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        + Duration::days(1);
    (start, end)
}

/// Writes the VTIMEZONE of `zone` covering `first_year..=last_year`, using
/// `known` transitions (from `transitions`) that fall in that window.
pub fn write(lines: &mut Lines, zone: Tz, first_year: i32, last_year: i32, known: &[Transition]) {
    let (from, to) = window(first_year, last_year);
    lines.raw("BEGIN", "VTIMEZONE");
    lines.text("TZID", zone.name());
    // The observance in force when the window opens, so the first event is
    // covered even in a zone that never changes (Asia/Tokyo).
    let initial = state(zone, from);
    observance(lines, &from, &initial, &initial, None);
    let within: Vec<&Transition> = known.iter().filter(|t| t.at > from && t.at < to).collect();
    for run in yearly_runs(&within, last_year) {
        let first = run.transitions[0];
        observance(lines, &first.at, &first.from, &first.to, run.rule.as_ref());
    }
    lines.raw("END", "VTIMEZONE");
}

/// Transitions that follow one rule: a single one (no rule), or one a year
/// for consecutive years, written as the first with a yearly RRULE.
struct Run<'a> {
    transitions: Vec<&'a Transition>,
    rule: Option<String>,
}

/// What makes two transitions the same yearly rule, apart from the day.
#[derive(PartialEq, Eq)]
struct Shape {
    from: State,
    to: State,
    month: u32,
    weekday: chrono::Weekday,
    time: chrono::NaiveTime,
}

/// The local onset of `transition` (in the offset before it) and its shape.
fn shape(transition: &Transition) -> (chrono::NaiveDateTime, Shape) {
    let local = transition.at.naive_utc() + Duration::seconds(i64::from(transition.from.offset));
    let shape = Shape {
        from: transition.from.clone(),
        to: transition.to.clone(),
        month: local.month(),
        weekday: local.weekday(),
        time: local.time(),
    };
    (local, shape)
}

/// `transitions` (in time order) grouped into runs: each transition joins
/// the run of the same shape whose last member was a year before it, if
/// the days of the run still fit one yearly rule.
fn yearly_runs<'a>(transitions: &[&'a Transition], last_year: i32) -> Vec<Run<'a>> {
    let mut runs: Vec<Vec<&'a Transition>> = Vec::new();
    for &transition in transitions {
        let (local, shape_now) = shape(transition);
        let joined = runs.iter_mut().find(|run| {
            let (last_local, last_shape) = shape(run[run.len() - 1]);
            last_shape == shape_now
                && last_local.year() + 1 == local.year()
                && day_rule(run.iter().copied().chain([transition])).is_some()
        });
        match joined {
            Some(run) => run.push(transition),
            None => runs.push(vec![transition]),
        }
    }
    let mut runs: Vec<Run<'a>> = runs
        .into_iter()
        .map(|transitions| {
            let rule = (transitions.len() > 1).then(|| {
                let byday = day_rule(transitions.iter().copied()).expect("checked as it grew");
                let (local, _) = shape(transitions[transitions.len() - 1]);
                // A rule still followed in the window's last year is the rule
                // in force: no end. One that stopped ends at its last onset.
                let until = if local.year() >= last_year {
                    String::new()
                } else {
                    let last = transitions[transitions.len() - 1].at;
                    format!(";UNTIL={}", last.format("%Y%m%dT%H%M%SZ"))
                };
                format!("FREQ=YEARLY;BYMONTH={}{byday}{until}", local.month())
            });
            Run { transitions, rule }
        })
        .collect();
    runs.sort_by_key(|run| run.transitions[0].at);
    runs
}

/// The day part of a yearly rule every one of `transitions` (same month and
/// weekday) follows: the nth weekday (`;BYDAY=2SU`), the last (`-1SU`), or
/// the first on or after a day (`;BYMONTHDAY=23,…,29;BYDAY=FR`, as in
/// "Fri>=23"); `None` if their days fit none.
fn day_rule<'a>(transitions: impl Iterator<Item = &'a Transition>) -> Option<String> {
    let locals: Vec<chrono::NaiveDateTime> = transitions.map(|t| shape(t).0).collect();
    let weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
        [locals[0].weekday().num_days_from_monday() as usize];
    let days: Vec<u32> = locals.iter().map(|local| local.day()).collect();
    let is_last =
        |local: &chrono::NaiveDateTime| (*local + Duration::days(7)).month() != local.month();
    let nth = (days[0] - 1) / 7 + 1;
    if nth <= 4 && days.iter().all(|day| (day - 1) / 7 + 1 == nth) {
        Some(format!(";BYDAY={nth}{weekday}"))
    } else if locals.iter().all(is_last) {
        Some(format!(";BYDAY=-1{weekday}"))
    } else {
        let (low, high) = (*days.iter().min()?, *days.iter().max()?);
        // A day past the month's end in some year is no date, and skipped
        // (RFC 5545 §3.3.10).
        (high - low <= 6).then(|| {
            let list: Vec<String> = (low..=low + 6).map(|day| day.to_string()).collect();
            format!(";BYMONTHDAY={};BYDAY={weekday}", list.join(","))
        })
    }
}

fn observance(
    lines: &mut Lines,
    at: &DateTime<Utc>,
    from: &State,
    to: &State,
    rule: Option<&String>,
) {
    let kind = if to.dst { "DAYLIGHT" } else { "STANDARD" };
    lines.raw("BEGIN", kind);
    // §3.6.5: DTSTART of an observance is the local time of the onset in the
    // offset that was in force before it (TZOFFSETFROM).
    let local = at.naive_utc() + Duration::seconds(i64::from(from.offset));
    lines.raw("DTSTART", &local.format("%Y%m%dT%H%M%S").to_string());
    if let Some(rule) = rule {
        lines.raw("RRULE", rule);
    }
    lines.raw("TZOFFSETFROM", &format_offset(from.offset));
    lines.raw("TZOFFSETTO", &format_offset(to.offset));
    lines.text("TZNAME", &to.name);
    lines.raw("END", kind);
}

/// §3.3.14 UTC-OFFSET: `+0900`, `-0330`, with seconds only when present.
pub fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let total = seconds.unsigned_abs();
    let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60);
    if secs == 0 {
        format!("{sign}{hours:02}{minutes:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}{secs:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_york_2024_changes_twice_at_the_right_seconds() {
        let found = transitions(chrono_tz::America::New_York, 2024, 2024);
        let instants: Vec<String> = found.iter().map(|t| t.at.to_rfc3339()).collect();
        assert_eq!(
            instants,
            ["2024-03-10T07:00:00+00:00", "2024-11-03T06:00:00+00:00"]
        );
        let mut lines = Lines::default();
        write(&mut lines, chrono_tz::America::New_York, 2024, 2024, &found);
        let text = lines.finish();
        assert!(text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20240310T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n"), "{text}");
        assert!(text.contains("BEGIN:STANDARD\r\nDTSTART:20241103T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\n"), "{text}");
    }

    #[test]
    fn tokyo_has_one_standard_observance() {
        let found = transitions(chrono_tz::Asia::Tokyo, 2019, 2019);
        assert!(found.is_empty());
        let mut lines = Lines::default();
        write(&mut lines, chrono_tz::Asia::Tokyo, 2019, 2019, &found);
        assert_eq!(
            lines.finish(),
            "BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\nDTSTART:20181231T090000\r\n\
             TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        );
    }

    /// The VTIMEZONE of `zone` over `first..=last`.
    fn written(zone: Tz, first: i32, last: i32) -> String {
        let mut lines = Lines::default();
        write(
            &mut lines,
            zone,
            first,
            last,
            &transitions(zone, first, last),
        );
        lines.finish()
    }

    #[test]
    fn the_rule_in_force_is_one_yearly_pair() {
        let text = written(chrono_tz::America::New_York, 2015, 2035);
        assert_eq!(text.matches("BEGIN:DAYLIGHT").count(), 1, "{text}");
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 2, "{text}");
        assert!(text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20150308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nTZOFFSETFROM:-0500\r\n"), "{text}");
        assert!(
            text.contains("DTSTART:20151101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"),
            "{text}"
        );
        let berlin = written(chrono_tz::Europe::Berlin, 2015, 2035);
        assert!(
            berlin.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"),
            "{berlin}"
        );
        assert!(
            berlin.contains("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"),
            "{berlin}"
        );
    }

    #[test]
    fn a_rule_that_ended_ends_at_its_last_onset() {
        // Brazil observed daylight time until February 2019.
        let text = written(chrono_tz::America::Sao_Paulo, 2015, 2025);
        for rule in text.lines().filter(|line| line.starts_with("RRULE:")) {
            assert!(rule.contains(";UNTIL="), "{rule} in {text}");
        }
        assert!(
            !text.contains("DTSTART:2020"),
            "no change after 2019: {text}"
        );
    }

    #[test]
    fn offsets_format_with_seconds_only_when_needed() {
        assert_eq!(format_offset(9 * 3600), "+0900");
        assert_eq!(format_offset(-(3 * 3600 + 30 * 60)), "-0330");
        assert_eq!(format_offset(4 * 3600 + 51 * 60 + 40), "+045140");
    }
}
