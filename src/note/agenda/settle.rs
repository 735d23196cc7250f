//! Settling the drafts a scan found into slots: what is no agenda after all
//! (a journey, a record, lone lines, a section's span), copies on other
//! days, ends, ids, and the instants in the note's zone.

use super::case;
use super::phrases::fold_title;
use super::{
    Agenda, Draft, Level, MAX_SLOTS, Rules, Scanner, at_minutes, because, clock, is_task,
    minutes_of,
};
use crate::model::{Slot, SlotText, Speaker};
use crate::problem::LineProblem;
use chrono::{Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

impl Scanner<'_> {
    pub(super) fn finish(self) -> Agenda {
        let Scanner {
            rules,
            mut drafts,
            mut problems,
            first_paragraph,
            unknown_day: self_unknown_day,
            unknown_dates: self_unknown_dates,
            minutes: self_minutes,
            zone_lines,
            late_day,
            also_on,
            event_lines,
            ..
        } = self;
        if let Some(line) = travel_legs(&drafts) {
            problems.push(LineProblem::warning(
                line,
                "these times are departures and arrivals (a journey), so no events are published; set event.start for an event".to_string(),
            ));
            drafts.clear();
        }
        drop_containers(&mut drafts);
        drop_records(&mut drafts);
        drop_zone_lists(&mut drafts, &zone_lines);
        drop_template(&mut drafts);
        drop_second_copies(&mut drafts);
        if let (Some(_), Some(date)) = (self_unknown_day, late_day) {
            // The labelled date below names the weekday the prose did.
            let offset = date - rules.day;
            for draft in drafts.iter_mut().filter(|draft| draft.group == 0) {
                because(draft.line, || {
                    format!("day: {date}, from the labelled date below the agenda")
                });
                draft.start += offset;
                draft.explicit_end = draft.explicit_end.map(|end| end + offset);
                draft.marker_end = draft.marker_end.map(|end| end + offset);
            }
        } else if let Some(line) = self_unknown_day {
            if drafts.iter().any(|draft| draft.group == 0) {
                problems.push(LineProblem::warning(
                    line,
                    match self_unknown_dates {
                        true => "the text names several dates and none says which is the agenda's, so its slots are not published; set event.date",
                        false => "this names a weekday but the agenda has no date, so its slots are not published; set event.date",
                    }
                    .to_string(),
                ));
            }
            for draft in drafts.iter().filter(|draft| draft.group == 0) {
                because(draft.line, || {
                    format!(
                        "no slot: the agenda's day is unknown (a weekday or several dates named on line {line})"
                    )
                });
            }
            drafts.retain(|draft| draft.group != 0);
        }
        // `- 19:15 [ ] Talk begins`, or `## 19:15` titled by `- [ ] Talk
        // begins`: a checklist's task.
        let tasks: Vec<bool> = drafts.iter().map(|draft| is_task(&draft.title)).collect();
        drop_marked(&mut drafts, &tasks, "no slot: a checklist's task");
        lone_lines(&mut drafts, &mut problems);
        drop_singles(&mut drafts, rules.title);
        // A labelled span beside an agenda of its day is that agenda's
        // span, no slot of its own; on a day of its own it is the slot.
        let agenda_days: Vec<NaiveDate> = drafts
            .iter()
            .filter(|draft| draft.level != Level::Labelled)
            .map(|draft| draft.start.date())
            .collect();
        drafts.retain(|draft| {
            draft.level != Level::Labelled || !agenda_days.contains(&draft.start.date())
        });
        if drafts.is_empty() && !self_minutes {
            drafts.extend(one_event(rules, &event_lines, &mut problems));
        }
        drop_repeats(&mut drafts);
        repeat_on_other_days(&mut drafts, &also_on);
        let default = Duration::minutes(i64::from(rules.default_minutes));
        let mut used_ids: Vec<String> = Vec::new();
        let mut slots = Vec::with_capacity(drafts.len());
        let next_starts: Vec<Option<NaiveDateTime>> = (0..drafts.len())
            .map(|index| {
                drafts[index + 1..]
                    .iter()
                    .take_while(|next| next.group == drafts[index].group)
                    .map(|next| next.start)
                    .find(|&start| start > drafts[index].start)
                    // A slot is never made to last into the next day's
                    // agenda: past twelve hours the next start is no end.
                    .filter(|&next| next - drafts[index].start <= Duration::hours(12))
            })
            .collect();
        for (draft, next_start) in drafts.into_iter().zip(next_starts) {
            let local_end = draft.explicit_end.or(draft.marker_end).or(next_start);
            let Some(start) = resolve(rules.zone, draft.start, draft.line, &mut problems) else {
                continue;
            };
            let end = match local_end {
                None => start + default,
                Some(local_end) => match rules.zone.from_local_datetime(&local_end) {
                    LocalResult::Single(end) => end,
                    LocalResult::Ambiguous(first, second) => {
                        if first > start {
                            first
                        } else {
                            second
                        }
                    }
                    LocalResult::None if draft.explicit_end.is_some() => {
                        problems.push(gap_problem(rules.zone, local_end, draft.line));
                        continue;
                    }
                    LocalResult::None => start + default,
                },
            };
            let base_id = draft
                .anchor
                .clone()
                .unwrap_or_else(|| clock::hhmm(minutes_of(draft.start)));
            let id = unique_id(&base_id, &used_ids);
            used_ids.push(id.clone());
            let description = description(draft.speaker.as_ref(), draft.body);
            slots.push(Slot {
                id,
                line: draft.line,
                start,
                end,
                all_day: false,
                text: Some(Box::new(SlotText {
                    title: draft.title,
                    speaker: draft.speaker,
                    description,
                })),
                revision: None,
            });
        }
        Agenda {
            slots,
            problems,
            first_paragraph: first_paragraph.unwrap_or_default(),
        }
    }
}

pub(super) fn one_event(
    rules: &Rules,
    lines: &[(usize, NaiveDate, clock::Lead)],
    problems: &mut Vec<LineProblem>,
) -> Option<Draft> {
    let &(line, date, lead) = lines.first()?;
    if lines
        .iter()
        .any(|&(_, other, found)| other != date || found.start != lead.start)
    {
        problems.push(LineProblem::warning(
            line,
            "the note names more than one day or time for its event, so none is published; set event.start".to_string(),
        ));
        return None;
    }
    let start = at_minutes(date, lead.start);
    because(line, || {
        format!(
            "one event: the note's labelled day and time, titled `{}`",
            rules.title
        )
    });
    Some(Draft {
        line,
        level: Level::Labelled,
        anchor: None,
        start,
        explicit_end: lead
            .end
            .map(|end| at_minutes(date, end))
            .filter(|&end| end > start),
        marker_end: None,
        group: 0,
        title: rules.title.to_string(),
        speaker: None,
        body: String::new(),
        in_parentheses: false,
        title_first: false,
    })
}

/// The slots under a heading naming two days, again on the second: the
/// copies form a group of their own after every other, so each ends at the
/// next copy's start.
pub(super) fn repeat_on_other_days(drafts: &mut Vec<Draft>, also_on: &[(usize, Duration)]) {
    let first_group = drafts.iter().map(|draft| draft.group).max().unwrap_or(0) + 1;
    for (next_group, &(group, offset)) in (first_group..).zip(also_on) {
        let copies: Vec<Draft> = drafts
            .iter()
            .filter(|draft| draft.group == group)
            .map(|draft| Draft {
                line: draft.line,
                level: draft.level,
                anchor: None,
                start: draft.start + offset,
                explicit_end: draft.explicit_end.map(|end| end + offset),
                marker_end: draft.marker_end.map(|end| end + offset),
                group: next_group,
                title: draft.title.clone(),
                speaker: draft.speaker.clone(),
                in_parentheses: draft.in_parentheses,
                title_first: draft.title_first,
                body: draft.body.clone(),
            })
            .collect();
        if drafts.len() + copies.len() > MAX_SLOTS {
            return;
        }
        drafts.extend(copies);
    }
}

/// Words of a departure and of an arrival in a journey's times.
pub(super) const DEPARTURES: &[&str] = &[
    "dep",
    "departs",
    "departure",
    "abfahrt",
    "abflug",
    "départ",
    "salida",
    "partida",
    "отправление",
    "出发",
];

pub(super) const ARRIVALS: &[&str] = &[
    "arr",
    "arrives",
    "arrival",
    "ankunft",
    "arrivée",
    "llegada",
    "chegada",
    "прибытие",
    "到达",
];

/// A journey (`13:55 シンガポール発 (SIN)`, `21:55 羽田着`, `dep. 07:45`)
/// is no agenda: when departures and arrivals both appear and make half
/// the slots or more, the first such line, else `None`.
pub(super) fn travel_legs(drafts: &[Draft]) -> Option<usize> {
    let marks = |title: &str, words: &[&str], kanji: char| {
        let lower = case::lower(title);
        lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| words.contains(&word))
            // `羽田着`, `東京発 (SIN)`: the station, then the mark.
            || lower.split([' ', '(', '（', '/']).any(|word| {
                word.ends_with(kanji) && word.chars().count() >= 2
            })
    };
    let departures: Vec<usize> = drafts
        .iter()
        .filter(|draft| marks(&draft.title, DEPARTURES, '発'))
        .map(|draft| draft.line)
        .collect();
    let arrivals: Vec<usize> = drafts
        .iter()
        .filter(|draft| marks(&draft.title, ARRIVALS, '着'))
        .map(|draft| draft.line)
        .collect();
    let legs = departures.len() + arrivals.len();
    (!departures.is_empty() && !arrivals.is_empty() && legs * 2 >= drafts.len())
        .then(|| departures[0].min(arrivals[0]))
}

/// Slots are planned on five-minute marks; a list whose times mostly are
/// not (`09:12`, `09:14`, `09:21`) records what happened, as an incident
/// timeline does, and publishes nothing.
pub(super) fn is_record(drafts: &[Draft]) -> bool {
    let off_mark = drafts
        .iter()
        .filter(|draft| !minutes_of(draft.start).is_multiple_of(5))
        .count();
    drafts.len() >= 3 && off_mark * 2 > drafts.len()
}

/// `- 19:25 {presentation 1}`, `Welcome by {name}`: an agenda with a
/// template's blanks in it is the template, of no actual meetup.
fn drop_template(drafts: &mut Vec<Draft>) {
    let blank = |title: &str| {
        title.split('{').skip(1).any(|after| {
            after.split_once('}').is_some_and(|(inside, _)| {
                !inside.is_empty()
                    && inside.len() <= 32
                    && inside
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-'))
            })
        })
    };
    if drafts.iter().any(|draft| blank(&draft.title)) {
        for draft in drafts.iter() {
            because(draft.line, || {
                "no slot: the agenda has a template's blanks (`{name}`), so it is the template"
                    .to_string()
            });
        }
        drafts.clear();
    }
}

/// `- 17:00 UTC` / `- 11 AM México` / `- 14:00 Argentina`: list items next
/// to one given in universal time are the same moment in other zones, not
/// slots of their own.
fn drop_zone_lists(drafts: &mut Vec<Draft>, zone_lines: &[usize]) {
    let listed = |draft: &Draft| {
        matches!(draft.level, Level::Item(_))
            && zone_lines
                .iter()
                .any(|&line| line.abs_diff(draft.line) <= 3)
    };
    let marks: Vec<bool> = drafts.iter().map(listed).collect();
    drop_marked(
        drafts,
        &marks,
        "no slot: one time in several zones, beside its UTC",
    );
}

/// The records among the drafts: the whole note when it is one, else each
/// run of slots of one kind (a recap's `# 19:39` headings after the planned
/// table) that is one.
fn drop_records(drafts: &mut Vec<Draft>) {
    let kind = |level: Level| std::mem::discriminant(&level);
    let mut record = vec![is_record(drafts); drafts.len()];
    let mut start = 0;
    while start < drafts.len() {
        let end = (start..drafts.len())
            .find(|&i| kind(drafts[i].level) != kind(drafts[start].level))
            .unwrap_or(drafts.len());
        if is_record(&drafts[start..end]) {
            record[start..end].fill(true);
        }
        start = end;
    }
    drop_marked(
        drafts,
        &record,
        "no slot: most times here are off five-minute marks, a record of what happened",
    );
}

/// Drops the drafts `marks` marks, each with `reason` for `--explain`.
fn drop_marked(drafts: &mut Vec<Draft>, marks: &[bool], reason: &str) {
    let mut index = 0;
    drafts.retain(|draft| {
        let keep = !marks[index];
        index += 1;
        if !keep {
            because(draft.line, || reason.to_string());
        }
        keep
    });
}

/// A run of slots of another kind than the run before it (headings after
/// a table, a list after headings) that starts again at that run's first
/// time on the same day, without a day heading between, is the agenda told
/// a second time (a recap's `# 19:39` headings after the planned table, a
/// mobile copy): the first telling stands. Runs of one kind (two tracks'
/// tables) are kept.
fn drop_second_copies(drafts: &mut Vec<Draft>) {
    let kind = |draft: &Draft| std::mem::discriminant(&draft.level);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    while start < drafts.len() {
        let end = (start..drafts.len())
            .find(|&i| {
                kind(&drafts[i]) != kind(&drafts[start]) || drafts[i].group != drafts[start].group
            })
            .unwrap_or(drafts.len());
        runs.push((start, end));
        start = end;
    }
    let mut copy = vec![false; drafts.len()];
    for pair in runs.windows(2) {
        let ((a, b), (c, d)) = (pair[0], pair[1]);
        let first = &drafts[a..b];
        let second = &drafts[c..d];
        // It starts where the first telling does; a breakdown of one slot
        // (`### 10:00 - 10:30 Welcome` then `- 10:00 Opening`) starts later.
        if first.len() >= 3
            && second.len() >= 2
            && kind(&first[0]) != kind(&second[0])
            && first[0].group == second[0].group
            && second[0].start == first[0].start
        {
            copy[c..d].fill(true);
        }
    }
    drop_marked(
        drafts,
        &copy,
        "no slot: the agenda told again (another layout restarting inside the first's times)",
    );
}

/// Agenda lines in paragraphs stand two or more to a day; a single one is
/// as likely a sentence that starts with a time, so it is no slot, with a
/// warning saying how to publish it.
pub(super) fn lone_lines(drafts: &mut Vec<Draft>, problems: &mut Vec<LineProblem>) {
    let in_group = |group: usize, drafts: &[Draft]| {
        drafts
            .iter()
            .filter(|draft| draft.group == group && draft.level == Level::Line)
            .count()
    };
    drafts.retain(|draft| !fold_title(&draft.title).is_empty());
    let lone: Vec<bool> = drafts
        .iter()
        .map(|draft| draft.level == Level::Line && in_group(draft.group, drafts) < 2)
        .collect();
    let mut index = 0;
    drafts.retain(|draft| {
        let keep = !lone[index];
        index += 1;
        if !keep {
            problems.push(LineProblem::warning(
                draft.line,
                format!(
                    "`{}` reads like an agenda slot but is a plain line; make it a list item or a heading to publish it",
                    draft.title
                ),
            ));
        }
        keep
    });
}

/// Lines opening with their own date stand two or more to a note, and
/// title-first items two or more to a list: one alone is as likely a
/// sentence or a remark.
pub(super) fn drop_singles(drafts: &mut Vec<Draft>, title: &str) {
    let dated = drafts.iter().filter(|d| d.level == Level::Dated).count();
    // `2015년 11월 12일 목요일 / 오후 6시 30분 / Hall 201` alone in a note with
    // no other slot: the note's one event, as a labelled line is.
    // A sentence (`2024-05-01 10:00 the release was tagged.`) is prose.
    if dated == 1
        && drafts.len() == 1
        && let Some(draft) = drafts.first_mut()
        && !draft.title.trim_end().ends_with(['.', '。', '!', '！'])
        && draft.title.chars().count() <= 60
    {
        because(draft.line, || {
            "one event: the note's only line with its own date and time".to_string()
        });
        draft.level = Level::Labelled;
        draft.title = title.to_string();
        return;
    }
    let title_first = |group: usize, drafts: &[Draft]| {
        drafts
            .iter()
            .filter(|d| d.title_first && d.group == group)
            .count()
    };
    let single: Vec<bool> = drafts
        .iter()
        .map(|d| {
            (d.level == Level::Dated && dated < 2)
                || (d.title_first && title_first(d.group, drafts) < 2)
        })
        .collect();
    drop_marked(
        drafts,
        &single,
        "no slot: the only line of its shape, as likely a sentence",
    );
}

/// A page that shows its agenda twice (a table and its mobile copy, a
/// summary and the full programme) means one set of events: a slot on the
/// day and time of an earlier one with the same title is that one again.
/// A slot with no title at all says nothing a calendar could show.
pub(super) fn drop_repeats(drafts: &mut Vec<Draft>) {
    let mut seen: Vec<(NaiveDateTime, String)> = Vec::new();
    drafts.retain(|draft| {
        let key = (draft.start, fold_title(&draft.title));
        if key.1.is_empty() || seen.contains(&key) {
            return false;
        }
        seen.push(key);
        true
    });
}

/// `### Matin (9h00 - 12h00)` over a table of its talks: a heading whose
/// parentheses hold a range that holds the slots below it is their
/// section, not an event of its own beside them.
pub(super) fn drop_containers(drafts: &mut Vec<Draft>) {
    let containers: Vec<usize> = (0..drafts.len())
        .filter(|&index| {
            let draft = &drafts[index];
            let (Level::Heading(level), Some(end), true) =
                (draft.level, draft.explicit_end, draft.in_parentheses)
            else {
                return false;
            };
            drafts[index + 1..]
                .iter()
                .take_while(|below| !matches!(below.level, Level::Heading(l) if l <= level))
                .any(|below| below.start >= draft.start && below.start < end)
        })
        .collect();
    for &index in containers.iter().rev() {
        because(drafts[index].line, || {
            "no slot: the heading's range holds the slots below it, its section".to_string()
        });
        drafts.remove(index);
    }
}

/// The speaker line, a blank line, then the body's lines.
pub(super) fn description(speaker: Option<&Speaker>, mut body: String) -> String {
    if body.trim().is_empty() {
        body.clear();
    }
    match speaker {
        Some(speaker) if body.is_empty() => format!("Speaker: {}", speaker.display()),
        Some(speaker) => format!("Speaker: {}\n\n{body}", speaker.display()),
        None => body,
    }
}

pub(super) fn unique_id(base: &str, used: &[String]) -> String {
    if !used.iter().any(|id| id == base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !used.contains(candidate))
        .expect("an unused suffix exists")
}

/// Places a local time in the zone: a time skipped by a DST change is an
/// error; a repeated one takes its first occurrence, with a warning (RFC 5545
/// §3.3.5 reads an ambiguous local time the same way).
pub(super) fn resolve(
    zone: Tz,
    local: NaiveDateTime,
    line: usize,
    problems: &mut Vec<LineProblem>,
) -> Option<chrono::DateTime<Tz>> {
    // Feeds and calendars write four-digit years (RFC 3339 §5.6, RFC 5545
    // §3.3.4); a day rolled past the last one has none.
    if !crate::note::front_matter::writable_year(local.year()) {
        problems.push(LineProblem::error(
            line,
            format!(
                "{} is past the years a calendar can hold",
                local.format("%Y-%m-%d")
            ),
        ));
        return None;
    }
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => Some(at),
        LocalResult::Ambiguous(first, _) => {
            problems.push(LineProblem::warning(
                line,
                format!(
                    "{} happens twice on {} in {} (clocks go back); taking the first, {}",
                    local.format("%H:%M"),
                    local.format("%Y-%m-%d"),
                    zone.name(),
                    first.format("%H:%M %Z")
                ),
            ));
            Some(first)
        }
        LocalResult::None => {
            problems.push(gap_problem(zone, local, line));
            None
        }
    }
}

pub(super) fn gap_problem(zone: Tz, local: NaiveDateTime, line: usize) -> LineProblem {
    LineProblem::error(
        line,
        format!(
            "{} does not exist on {} in {} (clocks go forward then); write a time after the change",
            local.format("%H:%M"),
            local.format("%Y-%m-%d"),
            zone.name()
        ),
    )
}
