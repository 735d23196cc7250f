use super::*;
use chrono::Utc;

const MARKERS: [&str; 9] = crate::config::DEFAULT_END_MARKERS;

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
            zone,
            default_minutes: 30,
            end_markers: &markers,
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
                slot.summary(),
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
    let speaker = talk.speaker.as_ref().unwrap();
    assert_eq!(speaker.name, "山田 太郎");
    assert_eq!(speaker.handle.as_deref(), Some("taro"));
    assert_eq!(speaker.affiliation.as_deref(), Some("例示株式会社"));
    assert_eq!(
        talk.description,
        "Speaker: 山田 太郎 (@taro), 例示株式会社\n\n- 背景\n  - 徒歩ナビ\n    - 深い項目\n- 資料\n  - スライド <https://slides.example.org/a>"
    );
    // The code block's text is description, never a slot.
    assert!(
        agenda.slots[3]
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
            zone,
            default_minutes: 30,
            end_markers: &markers,
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
    assert_eq!(agenda.slots[3].title, "C");
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
            .speaker
            .as_ref()
            .unwrap()
            .affiliation
            .as_deref(),
        Some("ACME")
    );
    let b = &agenda.slots[1];
    assert_eq!(b.summary(), "Talk B — 山田");
    assert_eq!(b.description, "Speaker: 山田 (@yamada)\n\n- detail");
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
        agenda.slots[1].description,
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
