//! The agenda reader on every form it reads, and on what it must not read.

use super::*;
use chrono::Utc;

const MARKERS: [&str; crate::config::DEFAULT_END_MARKERS.len()] =
    crate::config::DEFAULT_END_MARKERS;

fn rules(day: (i32, u32, u32), zone: Tz) -> (NaiveDate, Tz, Vec<String>) {
    (
        NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap(),
        zone,
        MARKERS.iter().map(|m| m.to_string()).collect(),
    )
}

fn extract(body: &str, day: (i32, u32, u32), zone: Tz) -> Agenda {
    let (day, zone, markers) = rules(day, zone);
    agenda(
        body,
        1,
        &Rules {
            day,
            day_is_event: true,
            zone,
            default_minutes: 30,
            end_markers: &markers,
            title: "Meetup",
        },
    )
}

fn tokyo(body: &str) -> Agenda {
    extract(body, (2019, 11, 26), chrono_tz::Asia::Tokyo)
}

/// (start UTC, end UTC, summary) of every slot.
fn utc(agenda: &Agenda) -> Vec<(String, String, String)> {
    agenda
        .slots
        .iter()
        .map(|slot| {
            (
                slot.start
                    .with_timezone(&Utc)
                    .format("%Y-%m-%dT%H:%MZ")
                    .to_string(),
                slot.end
                    .with_timezone(&Utc)
                    .format("%Y-%m-%dT%H:%MZ")
                    .to_string(),
                slot.words().summary(),
            )
        })
        .collect()
}

fn row(start: &str, end: &str, summary: &str) -> (String, String, String) {
    (start.into(), end.into(), summary.into())
}

/// The house format: tabs after times, `◆` speakers, nested and empty
/// bullets, a code block, and an end marker.
const HOUSE: &str = "https://example.org/event/1\n\n初参加です。\n\n\n## 19:00\t開場・受付開始\t\n\n## 19:30\tイントロ・乾杯\t\n\n\n\
## 19:35\t地図検索をk8sに移した話\n### 山田 太郎(@taro) ◆ 例示株式会社\n* 背景\n  - 徒歩ナビ\n    - 深い項目\n* 資料\n  - [スライド](https://slides.example.org/a)\n  - \n\n\
## 19:50\tクラウド刷新の話\n### 鈴木花子 ◆ サンプル株式会社\n* 目的\n  - \n\n```\n## 20:00 code is not a slot\n```\n\n\
## 20:10\t懇親会\n\n## 21:00\t終了\t\n";

#[test]
fn house_format_instants_are_right_in_utc() {
    let agenda = tokyo(HOUSE);
    assert!(agenda.problems.is_empty(), "{:?}", agenda.problems);
    assert_eq!(
        utc(&agenda),
        vec![
            row("2019-11-26T10:00Z", "2019-11-26T10:30Z", "開場・受付開始"),
            row("2019-11-26T10:30Z", "2019-11-26T10:35Z", "イントロ・乾杯"),
            row(
                "2019-11-26T10:35Z",
                "2019-11-26T10:50Z",
                "地図検索をk8sに移した話 — 山田 太郎"
            ),
            row(
                "2019-11-26T10:50Z",
                "2019-11-26T11:10Z",
                "クラウド刷新の話 — 鈴木花子"
            ),
            row("2019-11-26T11:10Z", "2019-11-26T12:00Z", "懇親会"),
        ]
    );
}

#[test]
fn house_format_ids_lines_speakers_and_descriptions() {
    let agenda = tokyo(HOUSE);
    let ids: Vec<&str> = agenda.slots.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["1900", "1930", "1935", "1950", "2010"]);
    assert_eq!(agenda.slots[0].line, 6);
    let talk = &agenda.slots[2];
    let speaker = talk.words().speaker.as_ref().unwrap();
    assert_eq!(speaker.name, "山田 太郎");
    assert_eq!(speaker.handle.as_deref(), Some("taro"));
    assert_eq!(speaker.affiliation.as_deref(), Some("例示株式会社"));
    assert_eq!(
        talk.words().description,
        "Speaker: 山田 太郎 (@taro), 例示株式会社\n\n- 背景\n  - 徒歩ナビ\n    - 深い項目\n- 資料\n  - スライド <https://slides.example.org/a>"
    );
    // The code block's text is description, never a slot.
    assert!(
        agenda.slots[3]
            .words()
            .description
            .contains("## 20:00 code is not a slot"),
        "{:?}",
        agenda.slots[3]
    );
}

#[test]
fn last_slot_without_end_gets_the_default_length() {
    let agenda = tokyo("## 19:00 Doors\n## 19:30 Talk\n");
    assert_eq!(
        utc(&agenda)[1],
        row("2019-11-26T10:30Z", "2019-11-26T11:00Z", "Talk")
    );
}

#[test]
fn explicit_ranges_win_over_the_next_slot() {
    let agenda = tokyo("- 19:00〜19:10 Doors\n- 19:35-19:50 Talk\n- 20:00 Party\n");
    assert_eq!(
        utc(&agenda),
        vec![
            row("2019-11-26T10:00Z", "2019-11-26T10:10Z", "Doors"),
            row("2019-11-26T10:35Z", "2019-11-26T10:50Z", "Talk"),
            row("2019-11-26T11:00Z", "2019-11-26T11:30Z", "Party"),
        ]
    );
}

#[test]
fn times_going_backwards_roll_to_the_next_day() {
    let agenda = tokyo("## 23:30 Late talk\n## 00:30 After midnight\n## 01:00 終了\n");
    assert_eq!(
        utc(&agenda),
        vec![
            row("2019-11-26T14:30Z", "2019-11-26T15:30Z", "Late talk"),
            row("2019-11-26T15:30Z", "2019-11-26T16:00Z", "After midnight"),
        ]
    );
    let overnight = tokyo("## 23:30-00:30 Overnight\n");
    assert_eq!(
        utc(&overnight),
        vec![row("2019-11-26T14:30Z", "2019-11-26T15:30Z", "Overnight")]
    );
}

#[test]
fn end_markers_end_slots_and_are_not_events() {
    for marker in [
        "終了",
        "閉会",
        "解散",
        "撤収",
        "退館",
        "End",
        "CLOSE",
        "Closing",
        "Doors close",
    ] {
        let agenda = tokyo(&format!("## 19:00 Talk\n## 19:45 {marker}\n"));
        assert_eq!(
            utc(&agenda),
            vec![row("2019-11-26T10:00Z", "2019-11-26T10:45Z", "Talk")],
            "{marker}"
        );
    }
    let keynote = tokyo("## 19:00 Talk\n## 19:45 Closing keynote\n");
    assert_eq!(keynote.slots.len(), 2);
}

#[test]
fn site_end_markers_extend_the_defaults() {
    let (day, zone, mut markers) = rules((2019, 11, 26), chrono_tz::Asia::Tokyo);
    markers.push("お開き".into());
    let agenda = agenda(
        "## 19:00 Talk\n## 20:00 お開き\n",
        1,
        &Rules {
            day,
            day_is_event: true,
            zone,
            default_minutes: 30,
            end_markers: &markers,
            title: "Meetup",
        },
    );
    assert_eq!(
        utc(&agenda),
        vec![row("2019-11-26T10:00Z", "2019-11-26T11:00Z", "Talk")]
    );
}

#[test]
fn heading_attributes_give_ids_and_repeats_get_suffixes() {
    let agenda = tokyo(
        "## 19:35 Talk {#k8s-navi}\n## 20:00 A\n# 2019-11-27\n## 20:00 B\n- 21:00 C {#c-item}\n",
    );
    let ids: Vec<&str> = agenda.slots.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["k8s-navi", "2000", "2000-2", "c-item"]);
    assert_eq!(agenda.slots[3].words().title, "C");
}

#[test]
fn day_headings_move_the_agenda() {
    let agenda = extract(
        "# 2019-12-07\n## 10:00 Day one\n## Day 2 (12/8)\n## 10:00 Day two\n## 12月9日\n- 10:00 Day three\n",
        (2019, 12, 7),
        chrono_tz::Asia::Tokyo,
    );
    assert_eq!(
        utc(&agenda),
        vec![
            row("2019-12-07T01:00Z", "2019-12-07T01:30Z", "Day one"),
            row("2019-12-08T01:00Z", "2019-12-08T01:30Z", "Day two"),
            row("2019-12-09T01:00Z", "2019-12-09T01:30Z", "Day three"),
        ]
    );
}

#[test]
fn a_slot_ends_at_the_next_start_only_on_its_own_day() {
    let agenda = extract(
        "# 2019-12-07\n## 18:00 Party\n# 2019-12-08\n## 10:00 Talk\n",
        (2019, 12, 7),
        chrono_tz::UTC,
    );
    assert_eq!(
        utc(&agenda)[0],
        row("2019-12-07T18:00Z", "2019-12-07T18:30Z", "Party")
    );
}

#[test]
fn text_in_code_and_prose_is_never_a_slot() {
    let agenda = tokyo(
        "Doors open at 19:00.\n\n    ## 19:00 indented code\n\n- `19:00` is when\n\n```\n- 19:00 fenced\n```\n\nA 16:9 screen.\n",
    );
    assert!(agenda.slots.is_empty(), "{:?}", agenda.slots);
}

#[test]
fn speaker_lines_in_every_form() {
    let agenda = tokyo(
        "## 19:00 Talk A\nSpeaker: Jane Doe ◆ ACME\n\n- 19:30 Talk B\n  - 登壇者：山田（@yamada）\n  - detail\n",
    );
    assert_eq!(
        agenda.slots[0]
            .words()
            .speaker
            .as_ref()
            .unwrap()
            .affiliation
            .as_deref(),
        Some("ACME")
    );
    let b = &agenda.slots[1];
    assert_eq!(b.words().summary(), "Talk B — 山田");
    assert_eq!(b.words().description, "Speaker: 山田 (@yamada)\n\n- detail");
}

#[test]
fn table_rows_with_speaker_column() {
    let agenda = tokyo(
        "| 時間 | 内容 | 登壇者 | 備考 |\n|---|---|---|---|\n| 19:00 | 開場 | | |\n| 19:30-20:00 | Keynote | Jane ◆ ACME | 英語 |\n| 20:00 | 終了 | | |\n",
    );
    assert_eq!(
        utc(&agenda),
        vec![
            row("2019-11-26T10:00Z", "2019-11-26T10:30Z", "開場"),
            row("2019-11-26T10:30Z", "2019-11-26T11:00Z", "Keynote — Jane"),
        ]
    );
    assert_eq!(
        agenda.slots[1].words().description,
        "Speaker: Jane, ACME\n\n備考: 英語"
    );
    assert_eq!(agenda.slots[1].line, 4);
}

#[test]
fn full_width_japanese_and_twelve_hour_forms() {
    let agenda =
        tokyo("## １９：００　開場\n## 19時30分 乾杯\n## 8:00pm Talk\n## 8:30 p.m. Party\n");
    let starts: Vec<String> = utc(&agenda).into_iter().map(|r| r.0).collect();
    assert_eq!(
        starts,
        [
            "2019-11-26T10:00Z",
            "2019-11-26T10:30Z",
            "2019-11-26T11:00Z",
            "2019-11-26T11:30Z"
        ]
    );
}

#[test]
fn dst_gap_is_an_error_naming_the_line() {
    let agenda = extract(
        "intro\n\n## 01:30 Before\n## 02:30 In the gap\n",
        (2024, 3, 10),
        chrono_tz::America::New_York,
    );
    let errors: Vec<_> = agenda
        .problems
        .iter()
        .filter(|p| p.severity == crate::problem::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 4);
    assert!(
        errors[0]
            .message
            .contains("02:30 does not exist on 2024-03-10 in America/New_York")
    );
}

#[test]
fn dst_overlap_takes_the_first_occurrence_with_a_warning() {
    let agenda = extract(
        "## 01:30 Twice\n",
        (2024, 11, 3),
        chrono_tz::America::New_York,
    );
    assert_eq!(agenda.problems.len(), 1);
    assert_eq!(
        agenda.problems[0].severity,
        crate::problem::Severity::Warning
    );
    // 01:30 EDT (UTC-4), the first of the two.
    assert_eq!(utc(&agenda)[0].0, "2024-11-03T05:30Z");
}

#[test]
fn slots_across_dst_keep_wall_clock_and_real_length() {
    // Berlin leaves summer time at 03:00 on 2024-10-27: 23:30–04:00 is 5½ hours.
    let agenda = extract(
        "## 23:30-04:00 Overnight hack\n## 10:00 Breakfast\n",
        (2024, 10, 26),
        chrono_tz::Europe::Berlin,
    );
    assert_eq!(
        utc(&agenda),
        vec![
            row("2024-10-26T21:30Z", "2024-10-27T03:00Z", "Overnight hack"),
            row("2024-10-27T09:00Z", "2024-10-27T09:30Z", "Breakfast"),
        ]
    );
}

#[test]
fn too_many_slots_is_an_error_not_a_memory_problem() {
    let body: String = (0..=MAX_SLOTS)
        .map(|i| format!("- {:02}:{:02} s\n", (i / 60) % 24, i % 60))
        .collect();
    let agenda = tokyo(&body);
    assert!(agenda.slots.is_empty());
    assert!(agenda.problems[0].message.contains("more than"));
}

#[test]
fn near_misses_and_plain_agenda_lines_are_warned_about() {
    let agenda = tokyo(
        "## 19:0 Doors\n\n- 19.30 Talk\n\n19:00 開場\n\n19:00頃に集合しました。\n\n## 1. Intro\n",
    );
    assert!(agenda.slots.is_empty());
    let lines: Vec<usize> = agenda.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [1, 3, 5]);
    assert!(
        agenda
            .problems
            .iter()
            .all(|p| p.severity == crate::problem::Severity::Warning)
    );
    assert!(agenda.problems[2].message.contains("make it a list item"));
}

/// (zone, agenda day, body, expected (start, end) in UTC) on the days clocks change.
#[test]
fn dst_days_of_new_york_and_berlin() {
    let cases = [
        // New York springs forward at 02:00 EST → 03:00 EDT.
        (
            chrono_tz::America::New_York,
            (2024, 3, 10),
            "## 01:30-03:30 Across the gap\n",
            ("2024-03-10T06:30Z", "2024-03-10T07:30Z"),
        ),
        (
            chrono_tz::America::New_York,
            (2024, 3, 10),
            "## 03:00 After the gap\n",
            ("2024-03-10T07:00Z", "2024-03-10T07:30Z"),
        ),
        // New York falls back at 02:00 EDT → 01:00 EST; 01:30 happens twice.
        (
            chrono_tz::America::New_York,
            (2024, 11, 3),
            "## 00:30-03:00 Across the overlap\n",
            ("2024-11-03T04:30Z", "2024-11-03T08:00Z"),
        ),
        (
            chrono_tz::America::New_York,
            (2024, 11, 3),
            "## 02:00 After the overlap\n",
            ("2024-11-03T07:00Z", "2024-11-03T07:30Z"),
        ),
        // Berlin springs forward at 02:00 CET → 03:00 CEST.
        (
            chrono_tz::Europe::Berlin,
            (2024, 3, 31),
            "## 01:00-04:00 Across the gap\n",
            ("2024-03-31T00:00Z", "2024-03-31T02:00Z"),
        ),
        // Berlin falls back at 03:00 CEST → 02:00 CET; 02:30 happens twice.
        (
            chrono_tz::Europe::Berlin,
            (2024, 10, 27),
            "## 02:30 Twice\n",
            ("2024-10-27T00:30Z", "2024-10-27T01:00Z"),
        ),
        (
            chrono_tz::Europe::Berlin,
            (2024, 10, 27),
            "## 01:00-04:00 Across the overlap\n",
            ("2024-10-26T23:00Z", "2024-10-27T03:00Z"),
        ),
    ];
    for (zone, day, body, (start, end)) in cases {
        let agenda = extract(body, day, zone);
        let found = utc(&agenda);
        assert_eq!(found.len(), 1, "{body} in {zone}: {:?}", agenda.problems);
        assert_eq!(
            (found[0].0.as_str(), found[0].1.as_str()),
            (start, end),
            "{body} in {zone}"
        );
    }
    for (zone, day, body) in [
        (
            chrono_tz::America::New_York,
            (2024, 3, 10),
            "## 02:30 In the gap\n",
        ),
        (
            chrono_tz::Europe::Berlin,
            (2024, 3, 31),
            "## 02:15 In the gap\n",
        ),
    ] {
        let agenda = extract(body, day, zone);
        assert!(
            agenda.slots.is_empty() && agenda.problems[0].line == 1,
            "{body} in {zone}"
        );
    }
}

mod round_trip {
    //! Any agenda of valid slots, written in any of the documented forms,
    //! reads back as the same slots.
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    struct Planned {
        start: u32,
        end: Option<u32>,
        title: String,
    }

    fn agenda_strategy() -> impl Strategy<Value = Vec<Planned>> {
        // A title opening with the word "am" or "pm" after a space is
        // ambiguous to any reader (`08:00 PM talk`), so none is generated.
        // Nor one that is an end marker (`End`, `close`): those end a slot.
        let latin = "[A-Za-z][A-Za-z ]{0,20}[a-z]".prop_filter("no leading am/pm word", |title| {
            let lower = title.to_ascii_lowercase();
            !["am", "pm"].iter().any(|word| {
                lower.starts_with(word)
                    && !lower[word.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
            }) && !MARKERS
                .iter()
                .any(|marker| marker.eq_ignore_ascii_case(title))
        });
        let title = prop_oneof![latin, "[ぁ-んァ-ン一-龥]{1,12}"];
        // Planned slots start on five-minute marks; times off them read as a
        // record of what happened (docs/format.md, "Agendas").
        let gap = (1u32..18).prop_map(|steps| steps * 5);
        proptest::collection::vec((gap, proptest::option::of(5u32..60), title), 1..12).prop_map(
            |steps| {
                let mut minute = 8 * 60;
                steps
                    .into_iter()
                    .map(|(gap, length, title)| {
                        minute += gap;
                        Planned {
                            start: minute,
                            end: length.map(|l| minute + l),
                            title,
                        }
                    })
                    .take_while(|slot| slot.end.unwrap_or(slot.start) < 23 * 60)
                    .collect()
            },
        )
    }

    fn clock_text(minutes: u32, form: u8) -> String {
        let (h, m) = (minutes / 60, minutes % 60);
        match form {
            0 => format!("{h:02}:{m:02}"),
            1 => format!("{h}:{m:02}")
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
                    ':' => '：',
                    c => c,
                })
                .collect(),
            2 => format!("{h}時{m}分"),
            _ => {
                let meridiem = if h >= 12 { "pm" } else { "am" };
                let hour = if h % 12 == 0 { 12 } else { h % 12 };
                format!("{hour}:{m:02}{meridiem}")
            }
        }
    }

    fn render(slots: &[Planned], block: u8, clock: u8, separator: &str) -> String {
        let mut out = String::from("Notes before the agenda.\n\n");
        if block == 2 {
            out.push_str("| 時間 | 内容 |\n|---|---|\n");
        }
        for slot in slots {
            let mut time = clock_text(slot.start, clock);
            if let Some(end) = slot.end {
                time.push_str(separator);
                time.push_str(&clock_text(end, clock));
            }
            match block {
                0 => out.push_str(&format!("## {time}\t{}\t\n\n", slot.title)),
                1 => out.push_str(&format!("- {time} {}\n", slot.title)),
                _ => out.push_str(&format!("| {time} | {} |\n", slot.title)),
            }
        }
        out
    }

    proptest! {
        #[test]
        fn any_agenda_round_trips(
            slots in agenda_strategy(),
            block in 0u8..3,
            clock in 0u8..4,
            separator in prop_oneof![Just("-"), Just(" – "), Just("〜"), Just("～"), Just(" to "), Just("~")],
        ) {
            let body = render(&slots, block, clock, separator);
            let agenda = tokyo(&body);
            prop_assert!(agenda.problems.is_empty(), "{:?}", agenda.problems);
            prop_assert_eq!(agenda.slots.len(), slots.len(), "{}", body);
            for (index, (found, planned)) in agenda.slots.iter().zip(&slots).enumerate() {
                let minutes = |at: &chrono::DateTime<Tz>| {
                    use chrono::Timelike;
                    at.hour() * 60 + at.minute()
                };
                prop_assert_eq!(minutes(&found.start), planned.start);
                let end = planned.end.unwrap_or_else(|| {
                    slots.get(index + 1).map_or(planned.start + 30, |next| next.start)
                });
                prop_assert_eq!(minutes(&found.end), end, "{}", body);
                prop_assert_eq!(&found.words().title, &planned.title);
            }
        }
    }
}

#[test]
fn a_slot_rolled_past_the_writable_years_is_an_error() {
    let found = extract(
        "## 23:00 Late\n## 01:00 Later\n",
        (9998, 12, 31),
        chrono_tz::Asia::Tokyo,
    );
    assert_eq!(found.slots.len(), 1);
    assert!(
        found
            .problems
            .iter()
            .any(|p| p.line == 2 && p.message.contains("9999-01-01")),
        "{:?}",
        found.problems
    );
}

#[test]
fn the_first_paragraph_is_read_as_plain_text_in_the_same_pass() {
    let agenda = tokyo("## 19:00 x\n\nSome *emphasis*\nand [more](https://x.example/).\n\nNext\n");
    assert_eq!(agenda.first_paragraph, "Some emphasis and more.");
    assert_eq!(tokyo("## only headings\n- and items\n").first_paragraph, "");
}

/// Start (`YYYY-MM-DD HH:MM`, UTC) and summary of every slot.
fn starts(agenda: &Agenda) -> Vec<(String, String)> {
    agenda
        .slots
        .iter()
        .map(|slot| {
            (
                slot.start
                    .with_timezone(&Utc)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                slot.words().summary(),
            )
        })
        .collect()
}

fn in_utc(body: &str, day: (i32, u32, u32)) -> Agenda {
    extract(body, day, chrono_tz::UTC)
}

#[test]
fn afternoon_without_pm_stays_on_the_day() {
    let agenda = in_utc(
        "- 10:45 - 11:30 Talk\n- 11:30 - 1:30 Lunch\n- 1:30 - 2:15 Demo\n- noon Late\n",
        (2030, 6, 3),
    );
    assert_eq!(
        utc(&agenda)[..3],
        [
            row("2030-06-03T10:45Z", "2030-06-03T11:30Z", "Talk"),
            row("2030-06-03T11:30Z", "2030-06-03T13:30Z", "Lunch"),
            row("2030-06-03T13:30Z", "2030-06-03T14:15Z", "Demo"),
        ]
    );
}

#[test]
fn an_evening_agenda_without_pm_is_in_the_evening() {
    let agenda = in_utc(
        "Pizza and talks.\n\n- 6:30 Doors\n- 7:00 - 7:30 Talk\n- 7:30 Demo\n- 9:00 Close\n",
        (2030, 6, 3),
    );
    assert_eq!(
        utc(&agenda),
        [
            row("2030-06-03T18:30Z", "2030-06-03T19:00Z", "Doors"),
            row("2030-06-03T19:00Z", "2030-06-03T19:30Z", "Talk"),
            row("2030-06-03T19:30Z", "2030-06-03T21:00Z", "Demo"),
        ]
    );
    // Before six, no one meets: `5:30` opening a day is an evening without
    // words for it.
    let early = in_utc("- 5:30 - 6:00 Welcome\n- 6:00 Talk\n", (2030, 6, 3));
    assert_eq!(
        utc(&early)[0],
        row("2030-06-03T17:30Z", "2030-06-03T18:00Z", "Welcome")
    );
}

#[test]
fn a_morning_stays_a_morning_without_an_evening_word() {
    let breakfast = in_utc(
        "- 7:00 Breakfast\n- 7:30 Reading\n- 8:30 Close\n",
        (2030, 6, 3),
    );
    assert_eq!(starts(&breakfast)[0].0, "2030-06-03 07:00");
    // Written with a leading zero or on a 24-hour clock: as written.
    let zero = in_utc(
        "Evening drinks after.\n\n- 06:30 Run\n- 07:30 Coffee\n",
        (2030, 6, 3),
    );
    assert_eq!(starts(&zero)[0].0, "2030-06-03 06:30");
    let uhr = in_utc(
        "Abends Grillen.\n\n- 6:30 Uhr Lauf\n- 7:30 Uhr Kaffee\n",
        (2030, 6, 3),
    );
    assert_eq!(starts(&uhr)[0].0, "2030-06-03 06:30");
}

/// A note without `event.date`, published weeks before its event.
fn published_early(body: &str) -> Agenda {
    let (day, zone, markers) = rules((2030, 5, 2), chrono_tz::UTC);
    agenda(
        body,
        1,
        &Rules {
            day,
            day_is_event: false,
            zone,
            default_minutes: 30,
            end_markers: &markers,
            title: "Sprint",
        },
    )
}

#[test]
fn weekdays_under_a_span_of_days_count_from_its_first_day() {
    // 13 June 2030 is a Thursday.
    let heading = "## Sprint, 13–15 June 2030\n### Thursday\n- 09:00 Kickoff\n- 10:00 Hacking\n\
                   ### Friday\n- 09:30 Standup\n### Day 3\n- 10:00 Retrospective\n";
    let prose = "We sprint from June 13 to June 15, 2030.\n\n## Thursday\n- 09:00 Kickoff\n\
                 - 10:00 Hacking\n## Friday\n- 09:30 Standup\n## Saturday\n- 10:00 Retrospective\n";
    for body in [heading, prose] {
        assert_eq!(
            utc(&published_early(body)),
            [
                row("2030-06-13T09:00Z", "2030-06-13T10:00Z", "Kickoff"),
                // Not until Friday's first slot: a day heading ends the list.
                row("2030-06-13T10:00Z", "2030-06-13T10:30Z", "Hacking"),
                row("2030-06-14T09:30Z", "2030-06-14T10:00Z", "Standup"),
                row("2030-06-15T10:00Z", "2030-06-15T10:30Z", "Retrospective"),
            ],
            "{body}"
        );
    }
}

#[test]
fn list_items_with_their_own_dates_are_a_series() {
    let body = "Autumn lectures:\n\n- 2030-10-03 18:00 Type theory\n\
                - 2030-10-10 18:00–19:30 Dependent types\n- October 17, 18:00: Proof assistants\n\
                - Donnerstag, 24.10.2030, 18:00 Diskussion\n\
                - Next meeting: 2030-10-31 18:00 in room 4\n";
    assert_eq!(
        utc(&published_early(body)),
        [
            row("2030-10-03T18:00Z", "2030-10-03T18:30Z", "Type theory"),
            row("2030-10-10T18:00Z", "2030-10-10T19:30Z", "Dependent types"),
            row("2030-10-17T18:00Z", "2030-10-17T18:30Z", "Proof assistants"),
            row("2030-10-24T18:00Z", "2030-10-24T18:30Z", "Diskussion"),
        ]
    );
}

#[test]
fn a_date_alone_under_a_day_heading_and_days_counted_from_it() {
    let body = "## Day 1 - Overview\n\n*Saturday 11 March 2030*\n\n- 09:00 Welcome\n\
                ## Day 2 - Practice\n\n- 09:30 Exercises\n\
                ## All days\n\n- 08:00 Breakfast\n";
    assert_eq!(
        starts(&published_early(body)),
        [
            ("2030-03-11 09:00".to_string(), "Welcome".to_string()),
            ("2030-03-12 09:30".to_string(), "Exercises".to_string()),
        ]
    );
}

#[test]
fn joined_markers_adjourning_and_a_timelines_zone_are_no_slots() {
    let table = tokyo("| 時間 | 内容 |\n|---|---|\n| 19:00 | LT |\n| 21:00 | 片付け、解散 |\n");
    assert_eq!(
        utc(&table),
        [row("2019-11-26T10:00Z", "2019-11-26T12:00Z", "LT")]
    );
    let list = tokyo("- 17:00 Panel\n- 17:50 Adjourn to the pub\n");
    assert_eq!(
        utc(&list),
        [row("2019-11-26T08:00Z", "2019-11-26T08:50Z", "Panel")]
    );
    let timeline = in_utc(
        "Timeline:\n\n14:30 UTC:\nAlarms fired.\n14:45 UTC:\nRolled back.\n\n- 15:00 UTC: all clear\n",
        (2030, 6, 3),
    );
    assert!(timeline.slots.is_empty(), "{:?}", utc(&timeline));
}

#[test]
fn a_headings_range_in_parentheses_over_its_slots_is_their_section() {
    let agenda = in_utc(
        "### Matin (9h00 - 12h00)\n\n| Horaire | Sujet |\n|---|---|\n| 9h00 - 10h00 | Intro |\n\
         | 10h00 - 12h00 | Atelier |\n\n### Déjeuner (12h00 - 13h00)\n",
        (2030, 6, 3),
    );
    assert_eq!(
        utc(&agenda),
        [
            row("2030-06-03T09:00Z", "2030-06-03T10:00Z", "Intro"),
            row("2030-06-03T10:00Z", "2030-06-03T12:00Z", "Atelier"),
            row("2030-06-03T12:00Z", "2030-06-03T13:00Z", "Déjeuner"),
        ]
    );
}

#[test]
fn a_table_pasted_as_lines_is_agenda_lines() {
    let body = "日期  时间  日程  \n4月25日  \n周六  08:20-8:50  入场  \n08:50-9:00  介绍  \n\
                09:00-10:00  主题演讲  \n4月26日  \n周日  09:00-10:00  第二天  \n10:00-11:00  闭幕  \n";
    assert_eq!(
        starts(&published_early(body)),
        [
            ("2030-04-25 08:20".to_string(), "入场".to_string()),
            ("2030-04-25 08:50".to_string(), "介绍".to_string()),
            ("2030-04-25 09:00".to_string(), "主题演讲".to_string()),
            ("2030-04-26 09:00".to_string(), "第二天".to_string()),
            ("2030-04-26 10:00".to_string(), "闭幕".to_string()),
        ]
    );
    // Two such lines after other lines are a warning, once.
    let two = in_utc("We met.\n19:00 Doors\n19:30 Talk\n", (2030, 6, 3));
    assert!(two.slots.is_empty());
    assert_eq!(two.problems.len(), 1, "{:?}", two.problems);
}

#[test]
fn a_french_verb_is_no_weekday() {
    assert_eq!(day::weekday_in_prose("merci de donner votre nom"), None);
    assert_eq!(
        day::weekday_in_prose("jeden Donnerstags"),
        Some(chrono::Weekday::Thu)
    );
    assert_eq!(
        day::weekday_in_prose("w sobotnich godzinach"),
        Some(chrono::Weekday::Sat)
    );
}

#[test]
fn a_sections_day_and_time_lines_are_its_slot() {
    let body = "### Online Series #14\n\n- Tanggal: 2030/10/03\n- Pukul: 19:00 - 20:00\n- Pembicara: Ana\n\n\
                # KUT.R 1\n\n- 2030年12月5日\n- 14:40-18:00\n- Campus\n";
    assert_eq!(
        utc(&published_early(body)),
        [
            row(
                "2030-10-03T19:00Z",
                "2030-10-03T20:00Z",
                "Online Series #14"
            ),
            row("2030-12-05T14:40Z", "2030-12-05T18:00Z", "KUT.R 1"),
        ]
    );
}

#[test]
fn titles_before_their_ranges_and_dated_lines() {
    let items = in_utc(
        "- Welcome - 15:00 ~ 15:10 (10)\n- Roadmap - 15:10 ~ 15:30 (20)\n- Pukul: 16:00 - 17:00\n",
        (2030, 6, 3),
    );
    assert_eq!(
        utc(&items),
        [
            row("2030-06-03T15:00Z", "2030-06-03T15:10Z", "Welcome"),
            row("2030-06-03T15:10Z", "2030-06-03T15:30Z", "Roadmap"),
        ]
    );
    // One alone is a remark.
    assert!(
        in_utc("- Office - 09:00 - 17:00\n", (2030, 6, 3))
            .slots
            .is_empty()
    );
    let fixtures = published_early(
        "Sonntag, 02.02.2030 um 14:00 Uhr Heim – Gast\n\nMittwoch, 05.02.2030 um 19:30 Uhr Gast – Heim\n",
    );
    assert_eq!(
        starts(&fixtures),
        [
            ("2030-02-02 14:00".to_string(), "Heim – Gast".to_string()),
            ("2030-02-05 19:30".to_string(), "Gast – Heim".to_string()),
        ]
    );
    // One such line alone is the note's one event, titled by the note,
    // unless it is a sentence.
    let sentence = published_early("Sonntag, 02.02.2030 um 14:00 Uhr treffen wir uns.\n");
    assert!(sentence.slots.is_empty());
    let line = published_early("Sonntag, 02.02.2030 um 14:00 Uhr im Vereinsheim\n");
    assert_eq!(
        starts(&line),
        [("2030-02-02 14:00".to_string(), "Sprint".to_string())]
    );
    let korean = published_early("2030년 11월 12일 목요일 / 오후 6시 30분 / 201호\n");
    assert_eq!(starts(&korean)[0].0, "2030-11-12 18:30");
}

#[test]
fn a_cell_holding_the_day_and_time() {
    let agenda = published_early(
        "| Angebot | Termin |\n|---|---|\n| Yoga | Montag, 29.07., 8:30 Uhr |\n\
         | Boccia | Dienstag, 30.07., 19:30 Uhr |\n| Quiz | später |\n",
    );
    assert_eq!(
        starts(&agenda),
        [
            ("2030-07-29 08:30".to_string(), "Yoga".to_string()),
            ("2030-07-30 19:30".to_string(), "Boccia".to_string()),
        ]
    );
}

#[test]
fn several_dates_in_the_prose_and_none_the_posts_make_no_events() {
    let two = published_early(
        "Tokyo 12月11日 13:00～17:10\n\nOsaka 12月14日 13:00～17:10\n\n- 13:00 Basics\n- 14:00 Break\n",
    );
    assert!(two.slots.is_empty(), "{:?}", utc(&two));
    assert_eq!(two.problems.len(), 1, "{:?}", two.problems);
    // One of them the post's day: the agenda is on it.
    let posted = published_early("Recap of 5月2日; next time 6月1日.\n\n- 13:00 Basics\n");
    assert_eq!(starts(&posted)[0].0, "2030-05-02 13:00");
}

#[test]
fn a_time_cell_spanning_rows_times_each() {
    let agenda = in_utc(
        "<table>\n<tr><th>Time</th><th>Talk</th></tr>\n<tr><td rowspan=2>10:15 - 11:30</td><td>Metrics</td></tr>\n\
         <tr><td>Onboarding</td></tr>\n<tr><td>11:30 - 12:00</td><td>Lightning talks</td></tr>\n</table>\n",
        (2030, 6, 3),
    );
    assert_eq!(
        utc(&agenda),
        [
            row("2030-06-03T10:15Z", "2030-06-03T11:30Z", "Metrics"),
            row("2030-06-03T10:15Z", "2030-06-03T11:30Z", "Onboarding"),
            row("2030-06-03T11:30Z", "2030-06-03T12:00Z", "Lightning talks"),
        ]
    );
}

#[test]
fn titled_day_headings_with_labelled_times_are_a_series() {
    let body = "### 16-09-2030 - 23rd meetup\n\n- 10:00 Talk one\n- 10:45 Talk two\n\n\
                ### 09-03-2030 - Pizza night\n\nLocal: Cafe\n\nHorário: 19:00\n\n\
                - 次回は12/9 19:00 -> https://example.org/next\n";
    assert_eq!(
        starts(&published_early(body)),
        [
            ("2030-09-16 10:00".to_string(), "Talk one".to_string()),
            ("2030-09-16 10:45".to_string(), "Talk two".to_string()),
            (
                "2030-03-09 19:00".to_string(),
                "09-03-2030 - Pizza night".to_string()
            ),
        ]
    );
}

#[test]
fn labelled_start_and_end_lines_are_the_one_event() {
    let note = in_utc(
        "O festival acontece no dia 3.\n\n##Horário\nHorário de Início: 08:00h\nHorário de Término: 18:00h\n",
        (2030, 6, 3),
    );
    assert_eq!(
        utc(&note),
        [row("2030-06-03T08:00Z", "2030-06-03T18:00Z", "Meetup")]
    );
    let items = in_utc("- Beginn: 10:00 Uhr\n- Ende: 16:00 Uhr\n", (2030, 6, 3));
    assert_eq!(
        utc(&items),
        [row("2030-06-03T10:00Z", "2030-06-03T16:00Z", "Meetup")]
    );
    // Minutes record a meeting held.
    let minutes = in_utc("# Meeting minutes\n\n**Time:** 19:00\n", (2030, 6, 3));
    assert!(minutes.slots.is_empty());
}

#[test]
fn a_timetable_table_and_universal_time_logs_are_no_agenda() {
    let train = in_utc(
        "| Abfahrt | Ankunft | Zug |\n|---|---|---|\n| 08:12 Berlin | 12:40 Frankfurt | ICE 597 |\n\
         | 13:05 Frankfurt | 17:59 Lyon | TGV 9580 |\n",
        (2030, 6, 3),
    );
    assert!(train.slots.is_empty());
    assert_eq!(train.problems.len(), 1, "{:?}", train.problems);
    let department = in_utc(
        "| Time | Department | Arrangement |\n|---|---|---|\n| 10:00 | Sales | Kickoff |\n",
        (2030, 6, 3),
    );
    assert_eq!(department.slots.len(), 1);
    let log = in_utc(
        "- 12:00 UTC deploy window moved\n- 12:30 UTC rollback\n",
        (2030, 6, 3),
    );
    assert!(log.slots.is_empty());
}

#[test]
fn logistics_recaps_and_a_pm_clocks_afternoon() {
    let logistics = in_utc(
        "## Programme\n\n- 09:00 Keynote\n- 10:00 Talks\n\n## Logistics\n\n### Transport\n\n\
         - **08:00**: Buses from the hotels\n- **19:30**: Buses back\n",
        (2030, 6, 3),
    );
    assert_eq!(logistics.slots.len(), 2, "{:?}", utc(&logistics));
    // The plan in a table, then a recap in headings at the times things
    // happened: the plan stands, and the recap is not the next day's.
    let recap = in_utc(
        "| Time | Talk |\n|---|---|\n| 19:30 | Intro |\n| 19:45 | Demo |\n| 21:00 | Drinks |\n\n\
         # 19:30\n\nWe started.\n\n# 19:46 Demo\n\n# 20:07 Q&A\n",
        (2030, 6, 3),
    );
    assert_eq!(
        starts(&recap)
            .iter()
            .map(|s| s.0.as_str())
            .collect::<Vec<_>>(),
        ["2030-06-03 19:30", "2030-06-03 19:45", "2030-06-03 21:00"]
    );
    let pm = in_utc(
        "| Time | Talk |\n|---|---|\n| 2:00 pm | Forseti |\n| 2:45 | Scanner |\n| 3:15 | Break |\n",
        (2030, 6, 3),
    );
    assert_eq!(
        starts(&pm).iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        ["2030-06-03 14:00", "2030-06-03 14:45", "2030-06-03 15:15"]
    );
    let markers = tokyo("- 17:00 LT\n- 17:30 完全撤収完了\n- **21h30:** 🏁 Encerramento\n");
    assert_eq!(
        utc(&markers),
        [row("2019-11-26T08:00Z", "2019-11-26T08:30Z", "LT")]
    );
}

#[test]
fn a_publication_line_dates_the_post_not_the_event() {
    let body = "**📅 Publicado:** 2 de maio de 2030\n\nNo dia **19 de maio**, o encontro.\n\n\
                - 19:00 Abertura\n- 19:20 Palestra\n";
    assert_eq!(starts(&published_early(body))[0].0, "2030-05-19 19:00");
}

#[test]
fn a_dotted_time_ending_a_sentence() {
    let lead = clock::lead("с 18.30 до 21.30.").expect("a range");
    assert_eq!((lead.start, lead.end), (18 * 60 + 30, Some(21 * 60 + 30)));
    assert!(clock::lead("1.2.3 released").is_none());
}

#[test]
fn an_events_page_of_headings_dates_and_ranges() {
    let body = "## Past events\n\n### Wellness fair\nSunday, February 14, 2030<br>\n1pm - 4pm<br>\nOnline!\n\n\
                A day of workshops.\n\n### Anniversary party\nSunday, March 31, 2030<br>\n5pm - 9pm<br>\n";
    assert_eq!(
        utc(&published_early(body)),
        [
            row("2030-02-14T13:00Z", "2030-02-14T16:00Z", "Wellness fair"),
            row(
                "2030-03-31T17:00Z",
                "2030-03-31T21:00Z",
                "Anniversary party"
            ),
        ]
    );
}

#[test]
fn a_cell_holding_a_list_keeps_the_rows_below() {
    let agenda = in_utc(
        "<table>\n<tr><th>Time</th><th>Talk</th></tr>\n<tr><td>11:10 - 11:50</td><td>Talk A<ul><li>point</li></ul></td></tr>\n\
         <tr><td>11:50 - 12:30</td><td>Talk B</td></tr>\n</table>\n",
        (2030, 6, 3),
    );
    assert_eq!(
        starts(&agenda),
        [
            ("2030-06-03 11:10".to_string(), "Talk A".to_string()),
            ("2030-06-03 11:50".to_string(), "Talk B".to_string()),
        ]
    );
}

#[test]
fn label_headings_take_the_paragraph_below_as_their_value() {
    let cards = published_early(
        "<div><h3>Fecha</h3>\n<p>Martes 10 de septiembre, 2030</p></div>\n\
         <div><h3>Hora</h3>\n<p>18:30 - 21:00</p></div>\n<div><h3>Lugar</h3>\n<p>Centro</p></div>\n",
    );
    assert_eq!(
        utc(&cards),
        [row("2030-09-10T18:30Z", "2030-09-10T21:00Z", "Sprint")]
    );
}

#[test]
fn a_dotted_time_alone_is_a_time_under_an_agenda_heading() {
    let body = "Ubuntu 14.04 upgrades are done.\n\n## AGENDA\n\n18.30 REGISTRAZIONE\n\n18.45 - 20.00 PANEL\n\n\
                  21.40 - LATE NETWORKING\n";
    assert_eq!(
        starts(&in_utc(body, (2030, 6, 3))),
        [
            ("2030-06-03 18:30".to_string(), "REGISTRAZIONE".to_string()),
            ("2030-06-03 18:45".to_string(), "PANEL".to_string()),
            (
                "2030-06-03 21:40".to_string(),
                "LATE NETWORKING".to_string()
            ),
        ]
    );
    assert!(
        in_utc("## Releases\n\n14.04 LTS\n\n16.04 LTS\n", (2030, 6, 3))
            .slots
            .is_empty()
    );
}

#[test]
fn a_bare_hour_takes_the_unit_of_its_ranges_end() {
    let lead = |text: &str| clock::lead(text).map(|lead| (lead.start, lead.end));
    assert_eq!(lead("17-18h: arrivée"), Some((17 * 60, Some(18 * 60))));
    assert_eq!(lead("9–12 Uhr Workshop"), Some((9 * 60, Some(12 * 60))));
    assert_eq!(lead("3-5pm Fair"), Some((15 * 60, Some(17 * 60))));
    assert_eq!(lead("≈17-18h: arrival"), Some((17 * 60, Some(18 * 60))));
    assert_eq!(lead("1-2h hands-on"), None);
    assert_eq!(lead("3-5 people"), None);
}

#[test]
fn templates_and_recommended_timetables_are_of_no_day() {
    let blanks = in_utc(
        "## Program\n\n- 18:30 Mingle\n- 19:00 Welcome by {name}\n- 19:25 {presentation 1}\n",
        (2030, 6, 3),
    );
    assert!(blanks.slots.is_empty());
    let recommended = in_utc(
        "## Recommend Time-Table\n\n| Time | What |\n|---|---|\n| 13:00 | Intro |\n| 14:00 | Hands-on |\n",
        (2030, 6, 3),
    );
    assert!(recommended.slots.is_empty());
}

#[test]
fn a_day_headings_time_after_its_date_is_the_event() {
    let ab = in_utc(
        "## Samstag 28.03.2030 ab 14:00 Uhr\n\nWir spielen.\n",
        (2030, 3, 1),
    );
    assert_eq!(starts(&ab)[0].0, "2030-03-28 14:00");
    let h = in_utc(
        "### Segunda-feira, 03 de setembro de 2030, **16h**\n\nPalestras.\n",
        (2030, 9, 1),
    );
    assert_eq!(starts(&h)[0].0, "2030-09-03 16:00");
}

#[test]
fn korean_clock_times() {
    let lead = |text: &str| clock::lead(text).map(|lead| (lead.start, lead.end));
    assert_eq!(lead("오후 6시 30분 밋업"), Some((18 * 60 + 30, None)));
    assert_eq!(lead("오전 10시 등록"), Some((10 * 60, None)));
    assert_eq!(lead("19시~21시 발표"), Some((19 * 60, Some(21 * 60))));
}

#[test]
fn days_named_one_after_the_other_are_the_events() {
    // 13 June 2030 is a Thursday.
    let body = "**Jeudi 13 juin** un barcamp.\n\n**Vendredi 14 juin** des conférences.\n\n\
                # Jeudi\n\n- 14:00 Barcamp\n\n# Vendredi\n\n| | |\n|---|---|\n| 9h30 | Introduction |\n| 9h40 | Grand témoin |\n";
    assert_eq!(
        starts(&published_early(body))
            .iter()
            .map(|s| s.0.as_str())
            .collect::<Vec<_>>(),
        ["2030-06-13 14:00", "2030-06-14 09:30", "2030-06-14 09:40"]
    );
}

#[test]
fn a_date_column_reads_each_date_against_the_row_above() {
    let agenda = published_early(
        "| Tanggal | Waktu | Acara |\n|---|---|---|\n| 05/05/2030 | 16.00 | Satu |\n\
         | 06/05/2030 | 16.00 | Dua |\n| 07/05/2030 | 16.00 | Tiga |\n| 3x/05 | 16.00 | Empat |\n",
    );
    assert_eq!(
        starts(&agenda)
            .iter()
            .map(|s| s.0.as_str())
            .collect::<Vec<_>>(),
        ["2030-05-05 16:00", "2030-05-06 16:00", "2030-05-07 16:00"]
    );
}

#[test]
fn html_split_by_blank_lines_keeps_the_files_line_numbers() {
    let agenda = in_utc(
        "<table>\n<tr><th>Time</th><th>Talk</th></tr>\n\n\n<tr><td>10:00</td><td>Keynote</td></tr>\n\n\
         <tr><td>11:00</td><td>Lunch</td></tr>\n</table>\n",
        (2030, 6, 3),
    );
    let lines: Vec<usize> = agenda.slots.iter().map(|slot| slot.line).collect();
    assert_eq!(lines, [5, 7]);
}

#[test]
fn a_header_written_in_td_cells_names_the_columns() {
    let agenda = published_early(
        "<table>\n<tr><th colspan=\"3\">Viernes 13 junio 2030</th></tr>\n\
         <tr><td>HORA</td><td>PONENTE</td><td>TÍTULO</td></tr>\n\
         <tr><td>10:20-10:45</td><td>Ana Ruiz</td><td>Charla uno</td></tr>\n</table>\n",
    );
    // The speaker from its column, after the title from its own.
    assert_eq!(
        utc(&agenda),
        [row(
            "2030-06-13T10:20Z",
            "2030-06-13T10:45Z",
            "Charla uno — Ana Ruiz"
        )]
    );
}

#[test]
fn checklists_goodbyes_and_a_planned_span() {
    let checklist = in_utc(
        "## 19:15\n- [ ] Talk begins\n\n- [ ] 20:00 Wrap the stream\n",
        (2030, 6, 3),
    );
    assert!(checklist.slots.is_empty(), "{:?}", utc(&checklist));
    let farvel = in_utc("- 10:00 Morgenmad\n- 11:00 Farvel\n", (2030, 6, 3));
    assert_eq!(
        utc(&farvel),
        [row("2030-06-03T10:00Z", "2030-06-03T11:00Z", "Morgenmad")]
    );
    let planned = tokyo("- 日程\n  - 2019-11-26 19:30-22:30 予定\n\n## 19:30 開場\n## 20:00 LT\n");
    assert_eq!(planned.slots.len(), 2, "{:?}", utc(&planned));
}

#[test]
fn hour_labels_and_chinese_clock_times() {
    let lead = |text: &str| clock::lead(text).map(|lead| (lead.start, lead.end));
    assert_eq!(lead("ore 18:30 Accoglienza"), Some((18 * 60 + 30, None)));
    assert_eq!(lead("godz. 18:00 Powitanie"), Some((18 * 60, None)));
    assert_eq!(lead("下午2点 开场"), Some((14 * 60, None)));
    assert_eq!(lead("晚上7点半 交流"), Some((19 * 60 + 30, None)));
    assert_eq!(lead("At 19:00 we met"), None);
}

#[test]
fn a_slot_never_lasts_into_the_next_days_agenda() {
    let agenda = in_utc("- 20:00 Drinks\n- 10:00 Breakfast\n", (2030, 6, 3));
    assert_eq!(
        utc(&agenda),
        [
            row("2030-06-03T20:00Z", "2030-06-03T20:30Z", "Drinks"),
            row("2030-06-04T10:00Z", "2030-06-04T10:30Z", "Breakfast"),
        ]
    );
}

#[test]
fn one_time_in_several_zones_is_no_agenda() {
    let zones = in_utc(
        "Horario:\n\n* 17 UTC\n* 14 PM Argentina\n* 11 AM México\n\nTe esperamos.\n",
        (2030, 6, 3),
    );
    assert!(zones.slots.is_empty(), "{:?}", utc(&zones));
}

#[test]
fn a_twenty_four_hour_clock_never_reads_a_morning_as_pm() {
    let agenda = in_utc("- 17:30 Dinner\n- 08:30 Parallel breakfast\n", (2030, 6, 3));
    assert_eq!(starts(&agenda)[1].0, "2030-06-03 08:30");
}

#[test]
fn a_timeline_off_five_minute_marks_is_a_record() {
    let agenda = in_utc(
        "| Time | Event |\n|---|---|\n| 09:12 | Deploy done |\n| 09:14 | Alert |\n| 09:21 | Rollback |\n",
        (2030, 6, 3),
    );
    assert!(agenda.slots.is_empty());
    let logged = in_utc("- 14:10:05 Error\n- 14:15:00 Fixed\n", (2030, 6, 3));
    assert!(logged.slots.is_empty());
}

#[test]
fn a_tariff_row_is_no_slot() {
    let agenda = in_utc(
        "| 時間 | 料金 |\n|---|---|\n| 10:00 ~ 18:00 | 800円 |\n| 18:00 ~ 22:00 | € 9,50 |\n",
        (2030, 6, 3),
    );
    assert!(agenda.slots.is_empty());
}

#[test]
fn named_day_headings_and_labelled_dates() {
    let body = "## Tuesday, June 4, 2030\n- 09:00 Opening\n## 5. Juni\n- 09:00 Zweiter Tag\n\
                ## Nov. 18\n- 10:00 Later\n";
    let found: Vec<String> = starts(&in_utc(body, (2030, 6, 3)))
        .into_iter()
        .map(|(start, _)| start)
        .collect();
    assert_eq!(
        found,
        ["2030-06-04 09:00", "2030-06-05 09:00", "2030-11-18 10:00"]
    );
    let labelled = in_utc("**Date:** 21/06/2030\n\n- 18:00 Doors\n", (2030, 6, 3));
    assert_eq!(starts(&labelled)[0].0, "2030-06-21 18:00");
}

#[test]
fn weekday_and_day_count_headings_count_from_the_event_day() {
    // 2030-06-03 is a Monday.
    let body = "## Mittwoch\n- 09:00 A\n## Day 2\n- 09:00 B\n";
    let found: Vec<String> = starts(&in_utc(body, (2030, 6, 3)))
        .into_iter()
        .map(|(start, _)| start)
        .collect();
    assert_eq!(found, ["2030-06-05 09:00", "2030-06-04 09:00"]);
}

#[test]
fn table_columns_found_by_their_header() {
    let body = "| Sala | Inicio | Fin | Actividad | Ponente |\n|---|---|---|---|---|\n\
                | A | 18:30 | 19:10 | Bienvenida | - |\n| A | 19:10 | 19:50 | Charla | Ana Ruiz |\n\
                | A | 19:50 | | Cierre | |\n";
    let agenda = in_utc(body, (2030, 6, 3));
    assert_eq!(
        utc(&agenda),
        [
            row("2030-06-03T18:30Z", "2030-06-03T19:10Z", "Bienvenida"),
            row(
                "2030-06-03T19:10Z",
                "2030-06-03T19:50Z",
                "Charla — Ana Ruiz"
            ),
        ]
    );
    assert!(agenda.slots[0].text.as_ref().unwrap().speaker.is_none());
}

#[test]
fn a_second_copy_of_the_agenda_adds_nothing() {
    let body = "- 09:00 Opening\n- 09:30 Talk\n\n## Mobile\n\n- 09:00 Opening\n- 09:30 Talk\n";
    assert_eq!(in_utc(body, (2030, 6, 3)).slots.len(), 2);
}

#[test]
fn a_time_alone_is_titled_by_the_next_line() {
    let body = "### 19:00〜\nタイトル: 受付\n\n### 19:30〜\nTalk\n発表者: 山本 一郎\n\n### 20:00\nAdjourn\n";
    let agenda = in_utc(body, (2030, 6, 3));
    assert_eq!(
        utc(&agenda),
        [
            row("2030-06-03T19:00Z", "2030-06-03T19:30Z", "受付"),
            row("2030-06-03T19:30Z", "2030-06-03T20:00Z", "Talk — 山本 一郎"),
        ]
    );
}

#[test]
fn clock_spellings_of_many_languages() {
    let body = "- 8h30 - 9h Café\n- 9h-10h Atelier\n- 10:00 bis 11:00 Uhr Vortrag\n\
                - с 11:00 до 11:30 Доклад\n- 11h30 até 12h00 Almoço\n- 12.00 - 12.45 Lunch\n\
                - 午後1時 Hacking\n- 14:00 -- 14:30 Talk\n";
    let found: Vec<String> = starts(&in_utc(body, (2030, 6, 3)))
        .into_iter()
        .map(|(start, title)| format!("{} {title}", &start[11..]))
        .collect();
    assert_eq!(
        found,
        [
            "08:30 Café",
            "09:00 Atelier",
            "10:00 Vortrag",
            "11:00 Доклад",
            "11:30 Almoço",
            "12:00 Lunch",
            "13:00 Hacking",
            "14:00 Talk",
        ]
    );
}

#[test]
fn versions_prices_and_dates_are_no_times_and_no_warnings() {
    for body in [
        "- 14.04から16.04へのアップグレード\n",
        "- 2.45 € pro Stück\n",
        "- 12.11.2024 Release\n",
        "- 3.5 stars\n",
        "- 2h workshop\n",
    ] {
        let agenda = in_utc(body, (2030, 6, 3));
        assert!(agenda.slots.is_empty(), "{body}");
        assert!(agenda.problems.is_empty(), "{body}");
    }
}

#[test]
fn dotted_times_under_a_time_header_and_date_columns() {
    let body = "| Tanggal | Waktu | Acara |\n|---|---|---|\n| 14/06/2030 | 09.00 | Registrasi |\n\
                | 15/06/2030 | 09.00 | Hari kedua |\n";
    let found: Vec<String> = starts(&in_utc(body, (2030, 6, 3)))
        .into_iter()
        .map(|(start, _)| start)
        .collect();
    assert_eq!(found, ["2030-06-14 09:00", "2030-06-15 09:00"]);
}

#[test]
fn an_agenda_called_typical_is_of_no_day() {
    let body = "Our evenings usually run like this:\n\n- 18:00 Doors\n- 18:30 Talk\n";
    assert!(in_utc(body, (2030, 6, 3)).slots.is_empty());
}

#[test]
fn html_tables_and_lists_read_like_markdown() {
    let body = "<table>\n<tr><th>Time</th><th>Talk</th><th>Speaker</th></tr>\n\
                <tr><td>09:00 - 09:30</td><td>Opening<br>and coffee</td><td>Mia Lund</td></tr>\n\
                <tr><td>09:30&nbsp;-&nbsp;10:00</td><td><del>Cancelled</del> Demo</td><td></td></tr>\n\
                </table>\n\n<ul>\n  <li>10:00 - 10:30 Break</li>\n  <!-- <li>10:30 Hidden</li> -->\n</ul>\n";
    let agenda = in_utc(body, (2030, 6, 3));
    assert_eq!(
        utc(&agenda),
        [
            row(
                "2030-06-03T09:00Z",
                "2030-06-03T09:30Z",
                "Opening — Mia Lund"
            ),
            row("2030-06-03T09:30Z", "2030-06-03T10:00Z", "Demo"),
            row("2030-06-03T10:00Z", "2030-06-03T10:30Z", "Break"),
        ]
    );
    assert_eq!(agenda.slots[1].line, 4);
}

#[test]
fn a_table_with_a_day_per_column_reads_each_column_on_its_day() {
    let body = "| | Tue 4 June | Wed 5 June |\n|---|---|---|\n| 09:00 | Talk A | Talk B |\n| 10:00 | Talk C | |\n| 11:00 | Lunch | Lunch |\n";
    let agenda = in_utc(body, (2030, 6, 3));
    assert_eq!(
        starts(&agenda),
        [
            ("2030-06-04 09:00".to_string(), "Talk A".to_string()),
            ("2030-06-04 10:00".to_string(), "Talk C".to_string()),
            ("2030-06-04 11:00".to_string(), "Lunch".to_string()),
            ("2030-06-05 09:00".to_string(), "Talk B".to_string()),
            ("2030-06-05 11:00".to_string(), "Lunch".to_string()),
        ]
    );
    assert!(agenda.problems.is_empty());
}

#[test]
fn a_day_per_column_beside_other_columns_is_not_guessed() {
    let body = "| | Tue 4 June | Room | Wed 5 June |\n|---|---|---|---|\n| 09:00 | Talk A | 1 | Talk B |\n| 10:00 | Talk C | 2 | Talk D |\n";
    let agenda = in_utc(body, (2030, 6, 3));
    assert!(agenda.slots.is_empty());
    assert_eq!(agenda.problems.len(), 1, "one warning for the note");
}

#[test]
fn an_html_grid_ends_each_cell_where_its_rowspan_does() {
    let body = "<table>\n<tr><th></th><th>Mardi 4 juin</th><th>Mercredi 5 juin</th></tr>\n<tr><td>09:00</td><td>Accueil</td><td rowspan=\"2\"></td></tr>\n<tr><td>09:15</td><td rowspan=\"3\">Exposé<br>Ana Lima (Lab)</td></tr>\n<tr></tr>\n<tr><td>09:45</td><td>Session</td></tr>\n<tr><td>10:15</td><td colspan=\"2\">Pause</td></tr>\n</table>\n";
    let agenda = in_utc(body, (2030, 6, 1));
    let got: Vec<(String, String, String)> = agenda
        .slots
        .iter()
        .map(|slot| {
            (
                slot.start.format("%m-%d %H:%M").to_string(),
                slot.end.format("%H:%M").to_string(),
                slot.text
                    .as_ref()
                    .map(|t| t.title.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let want = [
        ("06-04 09:00", "09:15", "Accueil"),
        ("06-04 09:15", "10:15", "Exposé"),
        ("06-04 10:15", "10:45", "Pause"),
        ("06-05 09:45", "10:15", "Session"),
        ("06-05 10:15", "10:45", "Pause"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
    let speaker = agenda.slots[1]
        .text
        .as_ref()
        .and_then(|t| t.speaker.as_ref());
    assert_eq!(speaker.map(|s| s.name.as_str()), Some("Ana Lima"));
}

#[test]
fn the_one_date_in_the_opening_prose_is_the_day() {
    // Read against a publication date, not an event.date.
    let published = |body: &str| {
        let (day, zone, markers) = rules((2030, 6, 3), chrono_tz::UTC);
        let rules = Rules {
            day,
            day_is_event: false,
            zone,
            default_minutes: 30,
            end_markers: &markers,
            title: "Meetup",
        };
        starts(&agenda(body, 1, &rules))
            .first()
            .map(|start| start.0.clone())
    };
    let body = "We meet on June 20th, after lunch.\n\n- 13:00 Lunch\n- 14:00 Talks\n";
    assert_eq!(published(body).as_deref(), Some("2030-06-20 13:00"));
    // Two dates, neither the publication day: which is the agenda's is
    // not written, so there is none.
    let two = "Last time was June 1st; next is June 20th.\n\n- 13:00 Lunch\n";
    assert_eq!(published(two), None);
}

#[test]
fn agenda_lines_in_paragraphs_two_or_more_to_a_day() {
    let body = "18:00 - 18:30: Doors  \n18:30 - 19:15: Talk one\nSpeaker: Ada Brook\n\n\
                9.30 - 10.15 Uhr\nCoffee\n\n10.30 bis 12 Uhr\nTalk two\n";
    let agenda = in_utc(body, (2030, 6, 3));
    assert_eq!(
        utc(&agenda),
        [
            row("2030-06-03T18:00Z", "2030-06-03T18:30Z", "Doors"),
            row(
                "2030-06-03T18:30Z",
                "2030-06-03T19:15Z",
                "Talk one — Ada Brook"
            ),
            row("2030-06-03T09:30Z", "2030-06-03T10:15Z", "Coffee"),
            row("2030-06-03T10:30Z", "2030-06-03T12:00Z", "Talk two"),
        ]
    );
}

#[test]
fn a_time_alone_titled_by_the_heading_after_it() {
    let body = "<div><div>10h00</div><div><h3>Doors</h3></div></div>\n\n\
                <div><div>10h30</div><div><h3>Workshop</h3><p>Bring a laptop.</p></div></div>\n\n\
                **11am**\n\n- a to-do, not a title\n\n## Later\n";
    let agenda = in_utc(body, (2030, 6, 3));
    assert_eq!(
        utc(&agenda),
        [
            row("2030-06-03T10:00Z", "2030-06-03T10:30Z", "Doors"),
            row("2030-06-03T10:30Z", "2030-06-03T11:00Z", "Workshop"),
        ]
    );
}

#[test]
fn parallel_rooms_and_day_rows_in_one_table() {
    let body = "<table><tr><th></th><th colspan=\"2\">Quinta 13/06</th></tr>\n\
                <tr><th>Hora</th><th>Sala 1</th><th>Sala 2</th></tr>\n\
                <tr><td>09:00</td><td colspan=\"2\">Abertura</td></tr>\n\
                <tr><td>09:30</td><td>Talk A</td><td>Talk B</td></tr>\n\
                <tr><th colspan=\"3\">Sexta 14/06</th></tr>\n\
                <tr><td>09:00</td><td>Talk C</td><td>-</td></tr></table>\n";
    let found: Vec<(String, String)> = starts(&in_utc(body, (2030, 6, 3)));
    let expected = [
        ("2030-06-13 09:00", "Abertura"),
        ("2030-06-13 09:30", "Talk A"),
        ("2030-06-13 09:30", "Talk B"),
        ("2030-06-14 09:00", "Talk C"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(found, expected);
}

#[test]
fn compact_clocks_only_under_a_time_header() {
    let table = "| Time | Title |\n|---|---|\n| 1200-1250 | Lunch |\n| 1250 - 1300 | Opening |\n";
    assert_eq!(in_utc(table, (2030, 6, 3)).slots.len(), 2);
    let list = "- 2010-2015 at the old office\n- 2016-2020 remote\n";
    assert!(in_utc(list, (2030, 6, 3)).slots.is_empty());
}

#[test]
fn a_weekday_the_publication_day_is_not_leaves_the_day_unknown() {
    // 2030-06-03 is a Monday; the prose speaks of Saturday's programme.
    let (day, zone, markers) = rules((2030, 6, 3), chrono_tz::UTC);
    let rules = Rules {
        day,
        day_is_event: false,
        zone,
        default_minutes: 30,
        end_markers: &markers,
        title: "Meetup",
    };
    let found = agenda(
        "Saturday's programme:\n\n- 10:00 Talk\n- 11:00 Lunch\n",
        1,
        &rules,
    );
    assert!(found.slots.is_empty());
    assert_eq!(found.problems.len(), 1);
    assert_eq!(found.problems[0].line, 1);
    let monday = agenda("Monday's programme:\n\n- 10:00 Talk\n", 1, &rules);
    assert_eq!(monday.slots.len(), 1);
}

#[test]
fn a_labelled_date_and_range_under_a_section_heading_is_its_slot() {
    let body = "### 第1回 講座\n- **日時**: 2030年6月10日（月）19:30～20:30\n- **URL**: https://example.org/1\n\n\
                ### 第2回 講座\n- **日時**: 2030年6月17日（月）19:30～20:30\n";
    let found = starts(&in_utc(body, (2030, 6, 3)));
    let expected = [
        ("2030-06-10 19:30", "第1回 講座"),
        ("2030-06-17 19:30", "第2回 講座"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(found, expected);
}

#[test]
fn bare_french_hours_with_a_title_and_slash_ranges() {
    let body = "**8h - Accueil**  \nCafé.\n\n**9h30/12h30 - Ateliers**\n\n- 2h workshop\n";
    let agenda = in_utc(body, (2030, 6, 3));
    assert_eq!(
        utc(&agenda),
        [
            row("2030-06-03T08:00Z", "2030-06-03T09:30Z", "Accueil"),
            row("2030-06-03T09:30Z", "2030-06-03T12:30Z", "Ateliers"),
        ]
    );
}

#[test]
fn items_naming_a_day_and_ranges_in_parentheses() {
    let body = "* Lundi 10/06 : Jeux (17h30 - 19h)\n* Samedi 15/06\n  - Crêpes (16h30-18h)\n  - sans horaire\n";
    let found = starts(&in_utc(body, (2030, 6, 3)));
    let expected = [("2030-06-10 17:30", "Jeux"), ("2030-06-15 16:30", "Crêpes")]
        .map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(found, expected);
}

#[test]
fn a_row_is_named_by_its_only_filled_cell() {
    let body = "| Time | Speaker | Title |\n|---|---|---|\n| 1200-1250 | Sandwiches | |\n\
                | 1300 - 1400 | Ada Brook | Symbioses |\n| 1830 - | Dinner | |\n";
    let found = starts(&in_utc(body, (2030, 6, 3)));
    let expected = [
        ("2030-06-03 12:00", "Sandwiches"),
        ("2030-06-03 13:00", "Symbioses — Ada Brook"),
        ("2030-06-03 18:30", "Dinner"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(found, expected);
}

#[test]
fn a_heading_with_a_time_in_parentheses() {
    let body = "## Mingle (~6pm)\nSnacks.\n\n## Demos (~7:10pm) (optional)\n\n## Q&A (10 min)\n\n## History (2019)\n";
    let found = starts(&in_utc(body, (2030, 6, 3)));
    let expected = [
        ("2030-06-03 18:00", "Mingle"),
        ("2030-06-03 19:10", "Demos (optional)"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(found, expected);
}

#[test]
fn a_heading_naming_two_days_gives_its_slots_on_both() {
    let body =
        "### 6月4日(火) と6月5日(水) スプリント\n\n- 10:00-10:15 あいさつ\n- 10:15-(17:30) 作業\n";
    let agenda = in_utc(body, (2030, 6, 1));
    let got: Vec<(String, String)> = agenda
        .slots
        .iter()
        .map(|slot| {
            (
                slot.start.format("%m-%d %H:%M").to_string(),
                slot.end.format("%m-%d %H:%M").to_string(),
            )
        })
        .collect();
    let want = [
        ("06-04 10:00", "06-04 10:15"),
        ("06-04 10:15", "06-04 17:30"),
        ("06-05 10:00", "06-05 10:15"),
        ("06-05 10:15", "06-05 17:30"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(agenda.slots[1].words().summary(), "作業");
}
