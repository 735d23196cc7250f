//! The subscribed calendars' window (docs/outputs.md, "Calendar window"):
//! the site's and each tag's calendar hold the events from `past_days`
//! before the build's "now" on, capped by count and size with the oldest
//! leaving first. Each note's own calendar, and `archive.ics`, hold all.

use super::ics::EventRef;
use crate::config::Window;
use chrono::{DateTime, Duration, Utc};

/// How a cap cut into a calendar's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    /// Events the window holds.
    pub in_window: usize,
    /// Events the caps let stay.
    pub kept: usize,
}

/// The first instant a calendar keeps, at `now`.
pub fn cutoff(window: &Window, now: DateTime<Utc>) -> DateTime<Utc> {
    now.checked_sub_signed(past(window))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// `past_days` as a duration, at most the longest one there is.
fn past(window: &Window) -> Duration {
    Duration::try_days(i64::from(window.past_days)).unwrap_or(Duration::MAX)
}

/// Keeps of `sorted` (by start) the events in the window at `now`, before
/// caps.
pub fn in_window(window: &Window, now: DateTime<Utc>, sorted: &mut Vec<&EventRef>) {
    let cutoff = cutoff(window, now);
    let first = sorted.partition_point(|event| event.start < cutoff);
    sorted.drain(..first);
}

/// How many of `sorted`'s newest events fit `window`'s caps with `head`
/// bytes around them: the oldest leave first.
pub fn fitting(window: &Window, sorted: &[&EventRef], head: u64) -> usize {
    let room = match window.max_bytes {
        0 => u64::MAX,
        max => max.saturating_sub(head + super::ics::END.len() as u64),
    };
    let most = match window.max_events {
        0 => usize::MAX,
        max => max,
    };
    let mut bytes = 0u64;
    let mut kept = 0;
    for event in sorted.iter().rev() {
        bytes = bytes.saturating_add(event.text.len);
        if kept == most || bytes > room {
            break;
        }
        kept += 1;
    }
    kept
}

/// The span of "now" over which the window holds the same events as at
/// `now`, as seconds since the epoch: from the last start that left it to
/// the next that will. With the notes unchanged, a run whose "now" stays
/// within it writes the same calendars.
pub fn steady(
    window: &Window,
    now: DateTime<Utc>,
    starts: impl Iterator<Item = DateTime<Utc>>,
) -> (i64, i64) {
    let cutoff = cutoff(window, now);
    let past = past(window);
    let (mut from, mut until) = (i64::MIN, i64::MAX);
    for start in starts {
        let leaves = start
            .checked_add_signed(past)
            .map_or(i64::MAX, |at| at.timestamp());
        if start < cutoff {
            from = from.max(leaves);
        } else {
            until = until.min(leaves);
        }
    }
    (from, until)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Span;
    use chrono::TimeZone;

    fn event(day: u32, len: u64) -> EventRef {
        EventRef {
            start: Utc.with_ymd_and_hms(2024, 1, day, 10, 0, 0).unwrap(),
            uid: format!("e{day}"),
            zone: chrono_tz::UTC,
            years: (2024, 2024),
            text: Span { offset: 0, len },
        }
    }

    fn window(past_days: u32, max_events: usize, max_bytes: u64) -> Window {
        Window {
            past_days,
            max_events,
            max_bytes,
            archive: false,
            cancelled_days: 30,
        }
    }

    #[test]
    fn the_window_keeps_recent_and_upcoming_events() {
        let events: Vec<EventRef> = (1..=20).map(|day| event(day, 100)).collect();
        let mut kept: Vec<&EventRef> = events.iter().collect();
        let now = Utc.with_ymd_and_hms(2024, 1, 15, 0, 0, 0).unwrap();
        in_window(&window(5, 0, 0), now, &mut kept);
        assert_eq!(kept.first().unwrap().uid, "e10");
        assert_eq!(kept.len(), 11);
    }

    #[test]
    fn caps_drop_the_oldest_first() {
        let events: Vec<EventRef> = (1..=20).map(|day| event(day, 100)).collect();
        let sorted: Vec<&EventRef> = events.iter().collect();
        assert_eq!(fitting(&window(5, 7, 0), &sorted, 0), 7);
        // 1,000 bytes less the head and END: 8 events of 100.
        let head = 200 - crate::render::ics::END.len() as u64;
        assert_eq!(fitting(&window(5, 0, 1000), &sorted, head), 8);
        assert_eq!(fitting(&window(5, 0, 0), &sorted, head), 20);
    }

    #[test]
    fn the_window_is_steady_until_the_next_start_leaves() {
        let events: Vec<EventRef> = (1..=20).map(|day| event(day, 100)).collect();
        let now = Utc.with_ymd_and_hms(2024, 1, 15, 0, 0, 0).unwrap();
        let (from, until) = steady(&window(5, 0, 0), now, events.iter().map(|e| e.start));
        let at = |day| {
            Utc.with_ymd_and_hms(2024, 1, day, 10, 0, 0)
                .unwrap()
                .timestamp()
        };
        assert_eq!(from, at(14));
        assert_eq!(until, at(15));
        assert!(from <= now.timestamp() && now.timestamp() < until);
    }
}
