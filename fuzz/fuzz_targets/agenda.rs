//! Any text as a note body: the agenda reader finds slots whose end is
//! after their start and whose lines are in the body, and never panics.
#![no_main]

use almanac::note::agenda::{self, Rules};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
    let markers: Vec<String> = almanac::config::DEFAULT_END_MARKERS.iter().map(|m| m.to_string()).collect();
    // The event's own day, and a publication day that prose, spans and
    // labelled lines may move.
    for (zone, day_is_event) in [
        (chrono_tz::Asia::Tokyo, true),
        (chrono_tz::America::New_York, true),
        (chrono_tz::Europe::Berlin, false),
    ] {
        let rules = Rules {
            day: NaiveDate::from_ymd_opt(2024, 3, 10).unwrap(),
            day_is_event,
            zone,
            default_minutes: 30,
            end_markers: &markers,
            title: "Meetup",
        };
        let found = agenda::agenda(body, 5, &rules);
        let lines = body.lines().count() + 5;
        for slot in &found.slots {
            assert!(slot.end > slot.start, "{slot:?}");
            assert!(slot.line >= 5 && slot.line <= lines, "{slot:?}");
            assert!(!slot.id.is_empty());
        }
    }
});
