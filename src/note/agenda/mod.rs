//! Agenda extraction: the timed slots of a note body, as calendar events.
//!
//! The body is first flattened into blocks (`blocks`), then scanned once: a
//! heading, list item or table row that opens with a time (`clock`) starts a
//! slot, a heading naming a date (`day`) moves to that day, and what follows a
//! slot up to the next one at its level is its speaker and description.
//! Table rows are read in `rows`, single lines' words and shapes in
//! `phrases`; `settle` then turns the drafts into slots, dropping what is
//! no agenda after all.

pub mod blocks;
mod case;
pub mod clock;
pub mod day;
pub mod explain;
mod grid;
mod html;
mod phrases;
mod rows;
mod settle;
mod speaker;

use crate::model::{Slot, Speaker};
use crate::problem::LineProblem;
use blocks::{Block, Kind};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use clock::Minutes;
use explain::because;
use phrases::{
    evening, is_agenda_heading, is_every_day, is_logistics, is_minutes, is_publication_line,
    is_sample_prose, is_time_label, is_zone_stamp, labelled_end, labelled_range, labelled_time,
    paren_time, strip_title_label, time_after_date, title_then_range, trailing_anchor,
    without_weekday,
};
use rows::{Columns, TIME_HEADERS, is_header_like};
use settle::{ARRIVALS, DEPARTURES};

/// More slots than this in one note is not an agenda but an attack or an
/// accident; refuse it with a message instead of filling memory.
pub const MAX_SLOTS: usize = 5_000;

/// What the agenda of one note is read against.
#[derive(Debug, Clone)]
pub struct Rules<'a> {
    /// The agenda's day: `event.date`, else the day of `date`.
    pub day: NaiveDate,
    /// `day` is the event's own (`event.date`), not the note's `date`: only
    /// then do a weekday or `Day 2` heading name a day.
    pub day_is_event: bool,
    pub zone: Tz,
    pub default_minutes: u32,
    /// Lowercased titles that only end the slot before them.
    pub end_markers: &'a [String],
    /// The note's title: the title of the one event a note gives by a
    /// labelled line (`日時: 2019年11月26日(火) 19:00〜21:00`) alone.
    pub title: &'a str,
}

/// Slots found, and what was wrong with the lines they came from.
#[derive(Debug, Default)]
pub struct Agenda {
    pub slots: Vec<Slot>,
    pub problems: Vec<LineProblem>,
    /// The body's first paragraph as one line of plain text (the summary of
    /// a note without `description`), read in the same pass.
    pub first_paragraph: String,
}

/// Where a slot sits in the document; decides what belongs to its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Heading(u8),
    Item(usize),
    Row,
    /// A paragraph line opening with its own date and a time.
    Dated,
    /// A line of a paragraph (`**19:00 - 19:30**: Arrival` with hard
    /// breaks); such slots stand only two or more to a day.
    Line,
    /// A labelled date and range under a section heading (`### 第1回` then
    /// `- 日時: 9月16日 19:30～20:30`): sessions when the note has no other
    /// slots, else the whole event's span beside its agenda.
    Labelled,
}

#[derive(Debug)]
struct Draft {
    line: usize,
    level: Level,
    anchor: Option<String>,
    start: NaiveDateTime,
    explicit_end: Option<NaiveDateTime>,
    marker_end: Option<NaiveDateTime>,
    /// Slots under one day heading form a group; a slot ends at the next
    /// slot's start only within its group.
    group: usize,
    title: String,
    speaker: Option<Speaker>,
    /// The description's lines, each part's end trimmed, `\n`-joined.
    body: String,
    /// A heading's time in parentheses after its title (`### Matin (9h00
    /// - 12h00)`): the span of a section, when slots follow inside it.
    in_parentheses: bool,
    /// Titled before its range (`- Welcome - 15:00 ~ 15:10`).
    title_first: bool,
}

impl Draft {
    /// Adds a part of the description (one or more lines); every caller
    /// passes text with something left after trimming its end.
    fn push(&mut self, part: &str) {
        let part = part.trim_end();
        if part.is_empty() {
            return;
        }
        if !self.body.is_empty() {
            self.body.push('\n');
        }
        self.body.push_str(part);
    }
}

struct Scanner<'a> {
    rules: &'a Rules<'a>,
    body: &'a str,
    /// Whether the note speaks of an evening, found when first needed.
    evening: Option<bool>,
    line_offset: usize,
    day: NaiveDate,
    shift: i64,
    previous_start: Option<NaiveDateTime>,
    /// A time of 13:00 or later was written since the last day heading.
    twenty_four_hour: bool,
    /// A day-per-column table has been warned about.
    warned_grid: bool,
    /// A group whose slots are on another day too, and how many days
    /// later (a heading naming two days).
    also_on: Vec<(usize, Duration)>,
    /// Labelled lines naming the event's day and time (`日時: 11月26日
    /// 19:00〜21:00`, `Date:` then `Time:`), with their lines: the note's
    /// one event when it has no agenda.
    event_lines: Vec<(usize, NaiveDate, clock::Lead)>,
    /// Rows of a day-per-column table, read when it ends.
    grid_rows: Vec<Block>,
    /// The last heading that is neither a slot nor a day.
    section: Option<String>,
    /// The depth of a list item naming a day (`* Samedi 24/02`), whose
    /// items below it are on that day.
    dated_depth: Option<usize>,
    /// Dates named in the prose before the first slot.
    prose_dates: Vec<NaiveDate>,
    /// The line of the first of them.
    prose_dates_line: Option<usize>,
    /// The day is unknown because the prose names several dates, none the
    /// publication day's, rather than a weekday.
    unknown_dates: bool,
    /// The event's first and last days, from a heading, a labelled line or
    /// the prose before the first slot naming a span of days (`13–15 June`):
    /// weekday and `Day N` headings count from its first day.
    span: Option<(NaiveDate, NaiveDate)>,
    /// The first day a labelled line or a line that is a date alone named,
    /// when `event.date` is not given: `Day 2` counts from it.
    anchor: Option<NaiveDate>,
    /// The section's heading has been followed by a line naming its day
    /// alone (`- Tanggal: 2020/10/03`, `- 2019年12月5日`): a time range on a
    /// line of its own next (`- Pukul: 19:00 - 20:00`, `- 14:40-18:00`) is
    /// the section's one slot.
    section_dated: bool,
    /// The section is a dated heading with a title: a labelled time alone
    /// (no range) is its slot too.
    section_day_heading: bool,
    /// The note is minutes (its title or a heading says so): its labelled
    /// day and time record a meeting held, not one to attend.
    minutes: bool,
    /// The level of a logistics heading whose section is being read.
    quiet: Option<u8>,
    /// A heading that is a date or time label, waiting for its value.
    label: Option<String>,
    /// Under a heading naming the agenda (`Programme`, `タイムテーブル`).
    timed_section: bool,
    /// Lines whose time was followed by a zone alone (`- 17:00 UTC`): a
    /// list of one time in several zones, or a log.
    zone_lines: Vec<usize>,
    /// Weekdays named there, with their lines.
    prose_weekdays: Vec<(chrono::Weekday, usize)>,
    /// The agenda's day is not known: its prose names a weekday that the
    /// publication day is not, and no date.
    unknown_day: Option<usize>,
    /// The weekday that made the day unknown.
    unknown_weekday: Option<chrono::Weekday>,
    /// A labelled date after slots of unknown day (`3. Kiedy: 14.10.2023`
    /// below the table): their day, if it is the weekday the prose names.
    late_day: Option<NaiveDate>,
    /// The section's prose calls what follows typical or an example: an
    /// agenda of no actual day.
    sample: bool,
    group: usize,
    drafts: Vec<Draft>,
    /// Index of the draft whose body is being collected.
    open: Option<usize>,
    /// No block has been added to the open slot yet (the speaker position).
    fresh: bool,
    columns: Columns,
    /// The time of an HTML time cell spanning rows below it.
    spanned_time: Option<clock::Lead>,
    /// A timetable's header (`Abfahrt | Ankunft`) has been warned about.
    warned_travel: bool,
    problems: Vec<LineProblem>,
    first_paragraph: Option<String>,
}

/// Extracts the slots of `body`. `body_line` is the file line of the body's
/// first line, so every reported line is a line of the file.
pub fn agenda(body: &str, body_line: usize, rules: &Rules) -> Agenda {
    let mut scanner = Scanner {
        rules,
        body,
        evening: None,
        line_offset: body_line.saturating_sub(1),
        day: rules.day,
        shift: 0,
        previous_start: None,
        twenty_four_hour: false,
        sample: false,
        warned_grid: false,
        grid_rows: Vec::new(),
        also_on: Vec::new(),
        event_lines: Vec::new(),
        prose_dates: Vec::new(),
        prose_dates_line: None,
        unknown_dates: false,
        span: None,
        anchor: None,
        section_dated: false,
        section_day_heading: false,
        minutes: is_minutes(rules.title),
        quiet: None,
        label: None,
        timed_section: false,
        zone_lines: Vec::new(),
        prose_weekdays: Vec::new(),
        section: None,
        dated_depth: None,
        unknown_day: None,
        unknown_weekday: None,
        late_day: None,
        group: 0,
        drafts: Vec::new(),
        open: None,
        fresh: false,
        columns: Columns::default(),
        spanned_time: None,
        warned_travel: false,
        problems: Vec::new(),
        first_paragraph: None,
    };
    for block in blocks::blocks(body) {
        if scanner.first_paragraph.is_none()
            && block.kind == Kind::Paragraph
            && !block.text.trim().is_empty()
        {
            let words: Vec<&str> = block.text.split_whitespace().collect();
            scanner.first_paragraph = Some(words.join(" "));
        }
        scanner.block(&block);
        if scanner.drafts.len() > MAX_SLOTS {
            return Agenda {
                slots: Vec::new(),
                problems: vec![LineProblem::error(
                    scanner.line_offset + block.line,
                    format!("more than {MAX_SLOTS} agenda slots in one note"),
                )],
                first_paragraph: String::new(),
            };
        }
    }
    scanner.grid();
    scanner.finish()
}

/// `[ ] Talk begins`: a task list's item, as the block reader writes it.
pub(super) fn is_task(text: &str) -> bool {
    text.starts_with("[ ] ") || text.starts_with("[x] ")
}

/// `17 UTC`: a bare hour in universal time, a zone list's line.
fn is_bare_hour_in_utc(text: &str) -> bool {
    let mut words = text.split_whitespace();
    matches!(
        (words.next(), words.next()),
        (Some(hour), Some("UTC" | "GMT")) if hour.len() <= 2 && hour.bytes().all(|b| b.is_ascii_digit())
    )
}

/// Two to seven dates that follow each other day by day: the first and
/// last days of an event the prose describes day by day.
fn consecutive(dates: &[NaiveDate]) -> Option<(NaiveDate, NaiveDate)> {
    let follows = dates
        .windows(2)
        .all(|pair| pair[1] - pair[0] == Duration::days(1));
    ((2..=7).contains(&dates.len()) && follows).then(|| (dates[0], dates[dates.len() - 1]))
}

impl Scanner<'_> {
    fn block(&mut self, block: &Block) {
        if !self.grid_rows.is_empty() && block.kind != (Kind::Row { header: false }) {
            self.grid();
        }
        match &block.kind {
            Kind::Heading(level) => self.heading(block, *level),
            Kind::Item(depth) => self.item(block, *depth),
            Kind::Row { header: true } => self.header_row(block),
            // `| HORA | PONENTE | TÍTULO |` in `<td>`s: a header all the same
            // when a cell names the time column and none holds a time.
            Kind::Row { header: false } if is_header_like(&block.cells) => self.header_row(block),
            Kind::Row { header: false } => self.row(block),
            Kind::Paragraph => self.paragraph(block),
            Kind::Code => {
                if self.open.is_some() {
                    self.push_body(block.text.trim_end());
                }
            }
        }
    }

    /// A table's header row: the day it names, else its columns.
    fn header_row(&mut self, block: &Block) {
        self.close();
        if self.day_row(block) {
            return;
        }
        self.columns = Columns::from_header(&block.cells);
        because(self.line_offset + block.line, || self.columns.explain());
        match grid::day_columns(&block.cells, self.rules.day, TIME_HEADERS) {
            Some(days) => {
                because(self.line_offset + block.line, || {
                    let named: Vec<String> = days
                        .iter()
                        .map(|(column, date)| format!("column {} is {date}", column + 1))
                        .collect();
                    format!("table header naming days: {}", named.join(", "))
                });
                self.columns.days = days;
            }
            None => self.columns.grid = grid::names_days(&block.cells, self.rules.day),
        }
    }

    fn heading(&mut self, block: &Block, level: u8) {
        // Lowercased once for the word lists below, which lowercase what
        // they are given again, at no cost when it has no capitals.
        let lower = case::lower(&block.text);
        self.minutes |= is_minutes(&lower);
        // `## AGENDA` over `18.30 Registrazione`: a dotted time alone is a
        // time under it, as under a time column's header. A day heading
        // below keeps it.
        if is_agenda_heading(&lower) {
            self.timed_section = true;
        } else if !day::is_date_only(&lower) && clock::lead(&block.text).is_none() {
            self.timed_section = false;
        }
        // `<h3>Hora</h3><p>18:30 - 21:00</p>`, `### 时间` then the time: a
        // heading that is a label, its value the paragraph under it.
        self.label = (day::is_date_label(&lower) || is_time_label(&lower))
            .then(|| block.text.trim().to_string());
        // `## Logistics` over transport, catering and setup times: no day's
        // programme, down to the next heading of its level.
        if self.quiet.is_some_and(|quiet| level <= quiet) {
            self.quiet = None;
        }
        if self.quiet.is_none() && is_logistics(&lower) {
            because(self.line_offset + block.line, || {
                "no slots below: the heading is over logistics (transport, catering, setup)"
                    .to_string()
            });
            self.quiet = Some(level);
        }
        self.section_dated = false;
        self.section_day_heading = false;
        // `## Recommended time-table`, `### Sample agenda`: of no actual day.
        self.sample = is_every_day(&lower) || is_sample_prose(&lower);
        if self.sample {
            because(self.line_offset + block.line, || {
                "no slots below: the heading names every day, a routine and no day's agenda"
                    .to_string()
            });
        }
        self.dated_depth = None;
        if self.start_slot(block, Level::Heading(level)) {
            return;
        }
        // A time alone (`<div>10h00</div>`) titled by the heading after it.
        if let Some(open) = self.open
            && self.fresh
            && self.drafts[open].title.is_empty()
        {
            self.title_from_next_line(block);
            return;
        }
        self.warn_near_miss(block);
        if let Some(open) = self.open {
            let open_level = self.drafts[open].level;
            if self.fresh && open_level == Level::Heading(level.saturating_sub(1)) {
                because(self.line_offset + block.line, || {
                    "speaker: a heading one level below the slot's, right under it".to_string()
                });
                self.drafts[open].speaker = Some(speaker::parse(&block.text));
                self.fresh = false;
                return;
            }
        }
        if let Some(span) = self.span_heading(&block.text) {
            because(self.line_offset + block.line, || {
                format!(
                    "days heading: the event runs from {} to {}; weekdays and `Day N` below are counted from its first day",
                    span.0, span.1
                )
            });
            self.close();
            self.move_to(span.0);
            return;
        }
        let (base, is_event) = self.day_base();
        let days = day::heading_days(&block.text, base, is_event);
        if let [date, ref also @ ..] = days[..] {
            because(self.line_offset + block.line, || match also {
                [] => format!("day heading: the slots below are on {date}"),
                _ => format!(
                    "day heading naming two days: the slots below are on {date} and on {}",
                    also[0]
                ),
            });
            self.close();
            self.move_to(date);
            if also.is_empty()
                && let Some(lead) =
                    labelled_range(&block.text).or_else(|| time_after_date(&block.text))
            {
                self.event_lines
                    .push((self.line_offset + block.line, date, lead));
            }
            for &other in also {
                self.also_on.push((self.group, other - date));
            }
            // `### 16-09-2017 - 23o Encontro` then `Horário: 19:30`: a dated
            // heading with a title is a section of its own, its labelled
            // time its slot.
            if also.is_empty() && !day::is_date_only(&block.text) {
                self.section = Some(block.text.trim().to_string());
                self.section_dated = true;
                self.section_day_heading = true;
            }
            return;
        }
        if let Some((lead, title)) = paren_time(&block.text) {
            because(self.line_offset + block.line, || {
                "slot: a heading whose parentheses hold only a time".to_string()
            });
            self.close();
            if self.add_slot(block, Level::Heading(level), lead, title, block.id.clone()) {
                self.open = Some(self.drafts.len() - 1);
                self.fresh = true;
                if let Some(draft) = self.drafts.last_mut() {
                    draft.in_parentheses = true;
                }
            }
            return;
        }
        self.section = Some(block.text.trim().to_string());
        match self.open.map(|open| self.drafts[open].level) {
            Some(Level::Heading(open_level)) if level > open_level => {
                self.push_body(block.rich().trim());
            }
            _ => self.close(),
        }
    }

    fn item(&mut self, block: &Block, depth: usize) {
        // An item at or above an item slot's depth ends that slot's body.
        if let Some(Level::Item(open_depth)) = self.open.map(|open| self.drafts[open].level)
            && depth <= open_depth
        {
            self.close();
        }
        // `* 17 UTC` beside `* 11 AM México`: the same time in several zones.
        if is_bare_hour_in_utc(&block.text) {
            self.zone_lines.push(self.line_offset + block.line);
            return;
        }
        if self.start_slot(block, Level::Item(depth)) {
            return;
        }
        // `##### 12:40 - 13:00` then `- 活动开始签到`: a time alone in a heading
        // titled by the item under it.
        if let Some(open) = self.open
            && self.fresh
            && self.drafts[open].title.is_empty()
            && matches!(self.drafts[open].level, Level::Heading(_))
        {
            self.title_from_next_line(block);
            return;
        }
        if self.dated_slot(block, depth)
            || self.dated_item(block, depth)
            || self.title_first_item(block, depth)
        {
            return;
        }
        self.warn_near_miss(block);
        if self.open.is_none() {
            self.labelled_lines(block);
            return;
        }
        if let Some(speaker) = speaker::from_labelled_line(&block.text)
            && self.take_speaker(speaker)
        {
            return;
        }
        if block.text.trim().is_empty() {
            return; // empty bullets are tolerated and dropped
        }
        let base = match self.open.map(|open| self.drafts[open].level) {
            Some(Level::Item(open_depth)) => open_depth,
            _ => 0,
        };
        // Nested bullets keep their nesting below the slot's own depth;
        // continuation lines line up under the bullet's text.
        let indent = depth.saturating_sub(base + 1);
        let rich = block.rich().trim();
        let mut text = String::with_capacity(rich.len() + 2 * indent + 2);
        for (index, line) in rich.split('\n').enumerate() {
            if index > 0 {
                text.push('\n');
            }
            text.extend(std::iter::repeat_n("  ", indent));
            text.push_str(if index == 0 { "- " } else { "  " });
            text.push_str(line);
        }
        self.push_body(&text);
    }

    fn paragraph(&mut self, block: &Block) {
        if let Some(label) = self.label.take()
            && !block.text.contains('\n')
        {
            let mut labelled = block.clone();
            labelled.text = format!("{label}: {}", block.text.trim());
            because(self.line_offset + block.line, || {
                format!("labelled: the value of the heading `{label}` above")
            });
            if self.open.is_none() && self.labelled_lines(&labelled) {
                return;
            }
        }
        if self.drafts.is_empty() {
            if let Some(weekday) = day::weekday_in_prose(&block.text) {
                self.prose_weekdays.push((weekday, block.line));
            }
            // `📅 Publicado: 7 de março de 2019` dates the post, not its event.
            let (named, numeric) = match is_publication_line(&block.text) {
                true => (Vec::new(), Vec::new()),
                false => (
                    day::named_dates(&block.text, self.rules.day),
                    day::numeric_dates(&block.text, self.rules.day),
                ),
            };
            for date in named.into_iter().chain(numeric) {
                if !self.prose_dates.contains(&date) {
                    self.prose_dates.push(date);
                    self.prose_dates_line.get_or_insert(block.line);
                }
            }
            if self.span.is_none()
                && !self.rules.day_is_event
                && let Some(span) = block
                    .text
                    .split('\n')
                    .find_map(|line| day::date_span(line, self.rules.day))
                    .or_else(|| consecutive(&self.prose_dates))
            {
                // `Jeudi 13 décembre …` then `Vendredi 14 décembre …`: days
                // named one after the other are the event's too.
                because(self.line_offset + block.line, || {
                    format!("the prose names the event's days, {} to {}", span.0, span.1)
                });
                self.span = Some(span);
            }
        }
        if is_sample_prose(&block.text) {
            self.sample = true;
        }
        if self.date_line(block)
            || self.dated_line(block)
            || (self.open.is_none() && self.labelled_lines(block))
        {
            return;
        }
        if !block.starts_with_code && self.agenda_lines(block) {
            return;
        }
        // Agenda lines pasted after other lines of a paragraph are not slots.
        // One warning a paragraph, at its first such line: cron mails each.
        if !block.starts_with_code
            && let Some((offset, line)) = block
                .text
                .split('\n')
                .enumerate()
                .find(|(_, line)| clock::opens_agenda_line(line))
        {
            self.problems.push(LineProblem::warning(
                self.line_offset + block.line + offset,
                format!(
                    "`{}` reads like an agenda slot but is a plain line; make it a list item (`- {}`) or a heading to publish it",
                    line.trim(),
                    line.trim()
                ),
            ));
        }
        let Some(open) = self.open else {
            return;
        };
        if self.fresh && self.drafts[open].title.is_empty() {
            self.title_from_next_line(block);
            return;
        }
        if let Level::Item(open_depth) = self.drafts[open].level
            && block.depth < open_depth
        {
            self.close();
            return;
        }
        if let Some(speaker) = speaker::from_labelled_line(&block.text)
            && self.take_speaker(speaker)
        {
            return;
        }
        self.push_body(block.rich().trim());
    }

    /// A heading or list item that opens almost like a time (`19:0`, `19.00`)
    /// is probably an event the author meant to publish.
    fn warn_near_miss(&mut self, block: &Block) {
        let first_line = block.text.split('\n').next().unwrap_or("");
        if !block.starts_with_code && clock::looks_like_time(first_line) {
            self.problems.push(LineProblem::warning(
                self.line_offset + block.line,
                format!(
                    "`{}` looks like a time but is not one, so it is no slot; write times as HH:MM (19:00)",
                    first_line.trim()
                ),
            ));
        }
    }

    /// Starts a slot if the block's first line opens with a time.
    fn start_slot(&mut self, block: &Block, mut level: Level) -> bool {
        if block.starts_with_code {
            return false;
        }
        let first_line = block.text.split('\n').next().unwrap_or("");
        let Some(lead) = clock::lead(first_line).filter(|lead| !lead.loose || self.timed_section)
        else {
            return false;
        };
        self.close();
        let mut title = clock::title(&first_line[lead.rest..]).to_string();
        if title.is_empty()
            && self.section_dated
            && lead.end.is_some()
            && let Some(section) = self.section.take()
        {
            because(self.line_offset + block.line, || {
                format!(
                    "slot: a range alone after the section's day, titled by its heading `{section}`"
                )
            });
            self.section_dated = false;
            title = section;
            // A section's span, as a labelled line gives it: beside an
            // agenda of its own it is no slot.
            level = Level::Labelled;
        }
        because(self.line_offset + block.line, || {
            let what = match level {
                Level::Heading(_) => "heading",
                Level::Item(_) => "list item",
                _ => "line",
            };
            format!(
                "slot: a {what} opening with a time ({})",
                first_line[..lead.rest].trim()
            )
        });
        let mut anchor = block.id.clone();
        // `- 19:35 Talk {#id}` on a list item: pulldown-cmark reads heading
        // attributes only on headings, so take the item's here.
        if anchor.is_none()
            && let Some((before, id)) = trailing_anchor(&title)
        {
            anchor = Some(id);
            title = before;
        }
        if self.add_slot(block, level, lead, title, anchor) {
            self.open = Some(self.drafts.len() - 1);
            self.fresh = true;
            // Lines after the first belong to the description.
            let rest: Vec<&str> = block.rich().split('\n').skip(1).map(str::trim).collect();
            if rest.iter().any(|line| !line.is_empty()) {
                self.drafts
                    .last_mut()
                    .expect("just added")
                    .push(&rest.join("\n"));
            }
        }
        true
    }

    /// Adds a slot, or ends the previous one if the title is an end marker.
    /// Returns whether a slot was added.
    fn add_slot(
        &mut self,
        block: &Block,
        level: Level,
        lead: clock::Lead,
        title: String,
        anchor: Option<String>,
    ) -> bool {
        // A time to the second is a log's record of what happened.
        // `* 6:00pm UTC on {{ date }}`: a template's placeholder, no event.
        if title.contains("{{") || title.contains("{%") {
            because(self.line_offset + block.line, || {
                "no slot: the title is a template's placeholder".to_string()
            });
            return false;
        }
        // `- [ ] 19:15 Talk begins`: a checklist of things to do while
        // running an event, not its programme.
        // `14:30 UTC:` then what happened: a timeline's timestamp, written
        // with the zone the log keeps, not a planned slot's.
        if is_zone_stamp(&title) {
            because(self.line_offset + block.line, || {
                format!(
                    "no slot: `{title}` after the time is a log's zone, a record of what happened"
                )
            });
            self.zone_lines.push(self.line_offset + block.line);
            return false;
        }
        if self.quiet.is_some() {
            because(self.line_offset + block.line, || {
                "no slot: under a logistics heading".to_string()
            });
            return false;
        }
        if lead.seconds || self.sample {
            because(self.line_offset + block.line, || {
                if lead.seconds {
                    "no slot: a time to the second is a log's record".to_string()
                } else {
                    "no slot: the section calls this agenda typical or an example".to_string()
                }
            });
            return false;
        }
        if self.drafts.is_empty() {
            self.settle_prose_day();
        }
        let line = self.line_offset + block.line;
        let start = self.place(lead, line);
        if self.is_end_marker(&title) {
            because(line, || {
                format!("end: `{title}` ends the slot before it and is no event")
            });
            if let Some(previous) = self.drafts.last_mut()
                && previous.group == self.group
                && previous.marker_end.is_none()
                && previous.start < start
            {
                previous.marker_end = Some(start);
            }
            return false;
        }
        let explicit_end = lead.end.map(|end| {
            let mut end_at = at_minutes(start.date(), end);
            if end_at <= start {
                // `11:30 - 1:30` is an afternoon without pm; `23:30–00:30`
                // ends the next day.
                let afternoon = end_at + Duration::hours(12);
                end_at = if end < 13 * 60 && afternoon > start {
                    afternoon
                } else {
                    end_at + Duration::days(1)
                };
            }
            end_at
        });
        self.drafts.push(Draft {
            line,
            level,
            anchor,
            start,
            explicit_end,
            marker_end: None,
            group: self.group,
            title,
            speaker: None,
            body: String::new(),
            in_parentheses: false,
            title_first: false,
        });
        true
    }

    /// The local date-time of a time on the current day. Agendas run
    /// forward, so a time earlier than the previous slot's is read the way a
    /// person reads it (docs/format.md, "Agendas"): an afternoon written
    /// without pm (`11:30` then `1:30`), the next morning after a late
    /// evening (`23:30` then `00:15` or `10:00`), else a parallel slot on the
    /// same day.
    fn place(&mut self, lead: clock::Lead, line: usize) -> NaiveDateTime {
        let (minutes, bare) = (lead.start, lead.bare);
        let mut at = at_minutes(self.day + Duration::days(self.shift), minutes);
        // `2:00 pm` then `2:45`: a twelve-hour clock, whose afternoon says
        // nothing of a 24-hour one.
        self.twenty_four_hour |= minutes >= 13 * 60 && !lead.meridiem;
        // The first slot of a day at `5:00` or `6:30`, written as a
        // twelve-hour clock without its pm: an evening meetup's doors, not
        // a start before dawn. An hour of 1 to 5 is always read so; 6 and 7
        // only when the note speaks of an evening (pm, dinner, doors …),
        // since a breakfast or a morning study group may start then.
        if self.previous_start.is_none()
            && bare
            && !self.twenty_four_hour
            && (60..8 * 60).contains(&minutes)
            && (minutes < 6 * 60 || *self.evening.get_or_insert_with(|| evening(self.body)))
        {
            because(line, || {
                format!(
                    "evening: `{}` has no am or pm and opens the day's agenda, so it is {}",
                    clock_text(minutes),
                    clock_text(minutes + 12 * 60)
                )
            });
            at += Duration::hours(12);
        }
        if let Some(previous) = self.previous_start
            && at < previous
        {
            let (hour, previous_hour) = (minutes / 60, minutes_of(previous) / 60);
            let afternoon = at + Duration::hours(12);
            // A clock that has shown 13:00 or later is a 24-hour one.
            if hour < 13
                && !self.twenty_four_hour
                && previous_hour >= 11
                && afternoon >= previous
                && afternoon - previous <= Duration::hours(4)
            {
                at += Duration::hours(12);
            } else if previous_hour >= 20 && previous - at >= Duration::hours(6) {
                // `23:30` then `00:15`, `22:00` then `10:00`: the next day.
                // `21:00` then `19:30` is no next day but the evening again
                // (a recap after the plan, a parallel slot).
                self.shift += 1;
                at += Duration::days(1);
            }
        }
        if self.previous_start.is_none_or(|previous| at > previous) {
            self.previous_start = Some(at);
        }
        at
    }

    /// A paragraph whose first line opens with a time is agenda lines: each
    /// line that opens with one starts a slot, a line after a time alone
    /// titles it (`9.30 - 10.15 Uhr` / `Ankommen`), other lines describe it.
    fn agenda_lines(&mut self, block: &Block) -> bool {
        let timed = self.timed_section;
        let opens = |line: &str| {
            clock::lead(line).filter(|lead| {
                (!lead.loose || timed)
                    && (clock::opens_agenda_line(line)
                        || clock::title(&line[lead.rest..]).is_empty())
            })
        };
        let first = block.text.split('\n').next().unwrap_or("");
        // A table pasted as lines (`日期 时间 日程`, `4月25日`, then a line a
        // slot): three lines opening with a time make it agenda lines too.
        let pasted = opens(first).is_none()
            && block
                .text
                .split('\n')
                .filter(|line| opens(without_weekday(line)).is_some())
                .take(3)
                .count()
                == 3;
        if opens(first).is_none() && !pasted {
            return false;
        }
        for (offset, line) in block.text.split('\n').enumerate() {
            let line = if pasted { without_weekday(line) } else { line };
            if pasted
                && opens(line).is_none()
                && day::is_date_only(line.trim())
                && let Some(date) = self.heading_day(line.trim())
            {
                because(self.line_offset + block.line + offset, || {
                    format!("day line: a line that is a date alone; the slots below are on {date}")
                });
                self.close();
                self.move_to(date);
                continue;
            }
            if let Some(lead) = opens(line) {
                self.close();
                let mut at = block.clone();
                at.line += offset;
                let title = clock::title(&line[lead.rest..]).to_string();
                if self.add_slot(&at, Level::Line, lead, title, None) {
                    self.open = Some(self.drafts.len() - 1);
                }
                continue;
            }
            let Some(open) = self.open else {
                continue;
            };
            let line = line.trim();
            if self.drafts[open].title.is_empty() {
                let mut next = block.clone();
                next.text = line.to_string();
                self.fresh = true;
                self.title_from_next_line(&next);
            } else if let Some(found) = speaker::from_labelled_line(line)
                && self.drafts[open].speaker.is_none()
            {
                self.drafts[open].speaker = Some(found);
            } else {
                self.drafts[open].push(line);
            }
        }
        // A time alone at the paragraph's end is titled by what follows.
        self.fresh = self
            .open
            .is_some_and(|open| self.drafts[open].title.is_empty());
        true
    }

    /// `* Lundi 12/02 : Jeux (17h30 - 19h)`: an item opening with a day sets
    /// it for itself and the items below it; an item there ending in a
    /// time range in parentheses is a slot on that day.
    /// `- 2024-10-03 18:00 Introduction`, `- October 17, 18:00: Proofs`: a
    /// list item opening with its own date and then a time, as in a series
    /// of lectures, is a slot on that date.
    fn dated_slot(&mut self, block: &Block, depth: usize) -> bool {
        if block.starts_with_code {
            return false;
        }
        let line = block.text.split('\n').next().unwrap_or("").trim();
        let Some((date, at, lead)) = self.dated_start(line) else {
            return false;
        };
        because(self.line_offset + block.line, || {
            format!("slot: a list item opening with its own date ({date}) and a time")
        });
        self.close();
        self.move_to(date);
        let title = clock::title(&line[at + lead.rest..]).to_string();
        // `- 2019-05-14 19:30-22:30 予定` (planned) under `- 日程`: the
        // event's own span, titled by the note, no slot beside its agenda.
        if matches!(
            title.as_str(),
            "予定" | "予定です" | "(予定)" | "（予定）" | "TBD" | "TBA"
        ) {
            self.add_slot(
                block,
                Level::Labelled,
                lead,
                self.rules.title.to_string(),
                None,
            );
            return true;
        }
        if self.add_slot(block, Level::Item(depth), lead, title, None) {
            self.open = Some(self.drafts.len() - 1);
            self.fresh = true;
        }
        true
    }

    /// `Sonntag, 02.02.2020 um 14:00 Uhr Heimspiel`: a line opening with a
    /// date alone and then a time; the date, where the time starts, and the
    /// time.
    pub(super) fn dated_start(&self, line: &str) -> Option<(NaiveDate, usize, clock::Lead)> {
        if !line.starts_with(|c: char| c.is_alphanumeric()) {
            return None;
        }
        let (at, lead) = line
            .char_indices()
            .filter(|&(at, c)| at > 0 && (c.is_ascii_digit() || c == '오' || c == '午'))
            .filter(|&(at, _)| line[..at].ends_with([' ', ',', '\u{a0}', '|', '@', '/']))
            .take_while(|&(at, _)| at <= 64)
            .find_map(|(at, _)| {
                clock::lead(&line[at..])
                    .filter(|lead| !lead.loose)
                    .map(|lead| (at, lead))
            })?;
        let head = line[..at].trim_end_matches([' ', ',', '|', '@', '\u{a0}', '/']);
        if !day::is_date_only(head) {
            return None;
        }
        Some((self.heading_day(head)?, at, lead))
    }

    /// A paragraph line opening with its own date and a time (fixtures of
    /// a season, one a paragraph): a slot on that date, kept when the note
    /// has two or more (one may be a sentence).
    fn dated_line(&mut self, block: &Block) -> bool {
        let text = block.text.trim();
        if text.contains('\n') || block.starts_with_code {
            return false;
        }
        let Some((date, at, lead)) = self.dated_start(text) else {
            return false;
        };
        because(self.line_offset + block.line, || {
            format!("slot: a line opening with its own date ({date}) and a time")
        });
        self.close();
        self.move_to(date);
        let title = clock::title(&text[at + lead.rest..]).to_string();
        self.add_slot(block, Level::Dated, lead, title, None);
        true
    }

    /// `- 환영사 - 15:00 ~ 15:10 (10)`: a list item whose title comes first
    /// and its range last, after a dash or colon, a duration in parentheses
    /// allowed; kept when its list has two or more.
    fn title_first_item(&mut self, block: &Block, depth: usize) -> bool {
        let line = block.text.split('\n').next().unwrap_or("").trim();
        // `Pukul: 19:00 - 20:00` is a label, not a title.
        if labelled_time(line).is_some() {
            return false;
        }
        let Some((title, lead)) = title_then_range(line) else {
            return false;
        };
        because(self.line_offset + block.line, || {
            "slot: a list item whose title comes first and its time range last".to_string()
        });
        self.close();
        if self.add_slot(block, Level::Item(depth), lead, title, None)
            && let Some(draft) = self.drafts.last_mut()
        {
            draft.title_first = true;
            self.open = Some(self.drafts.len() - 1);
            self.fresh = true;
        }
        true
    }

    fn dated_item(&mut self, block: &Block, depth: usize) -> bool {
        let line = block.text.split('\n').next().unwrap_or("").trim();
        if let Some(dated) = self.dated_depth {
            if depth > dated {
                return self.range_item(line, block);
            }
            self.dated_depth = None;
        }
        let (head, rest) = line.split_once([':', '：']).unwrap_or((line, ""));
        if head.chars().count() > 30 {
            return false;
        }
        let Some(date) = self.heading_day(head) else {
            return false;
        };
        self.close();
        self.move_to(date);
        self.dated_depth = Some(depth);
        self.section_dated = self.section.is_some() && rest.trim().is_empty();
        self.range_item(rest.trim(), block);
        true
    }

    /// `Atelier crêpes (16h30-18h)` → a slot titled `Atelier crêpes`.
    fn range_item(&mut self, text: &str, block: &Block) -> bool {
        let Some(inner) = text.strip_suffix([')', '）']) else {
            return false;
        };
        let Some(open) = inner.rfind(['(', '（']) else {
            return false;
        };
        let range = &inner[open + inner[open..].chars().next().map_or(1, char::len_utf8)..];
        let Some(lead) = clock::lead(range).filter(|lead| {
            lead.end.is_some() && !lead.loose && range[lead.rest..].trim().is_empty()
        }) else {
            return false;
        };
        let title = inner[..open].trim().to_string();
        self.add_slot(block, Level::Row, lead, title, None);
        true
    }

    /// `### 19:30〜` then `タイトル: Talk` (or just `Talk`) on the next
    /// line: a time alone on its line is titled by the line after it, and
    /// is an end marker when that line is one.
    fn title_from_next_line(&mut self, block: &Block) {
        let Some(open) = self.open else {
            return;
        };
        let mut lines = block.text.split('\n');
        let first = lines.next().unwrap_or("").trim();
        let title = strip_title_label(first).to_string();
        if self.is_end_marker(&title) {
            let start = self.drafts[open].start;
            self.drafts.truncate(open);
            self.close();
            if let Some(previous) = self.drafts.last_mut()
                && previous.group == self.group
                && previous.marker_end.is_none()
            {
                previous.marker_end = Some(start);
            }
            return;
        }
        self.drafts[open].title = title;
        self.fresh = false;
        for line in lines.map(str::trim).filter(|line| !line.is_empty()) {
            match speaker::from_labelled_line(line) {
                Some(found) if self.drafts[open].speaker.is_none() => {
                    self.drafts[open].speaker = Some(found);
                }
                _ => self.drafts[open].push(line),
            }
        }
    }

    /// A note that states its day nowhere else (no `event.date`, no date in
    /// the title, no day heading or labelled date) is on the one date its
    /// opening prose names, if it names exactly one.
    fn settle_prose_day(&mut self) {
        if self.rules.day_is_event || self.group != 0 {
            return;
        }
        if let Some((first, _)) = self.span {
            self.move_to(first);
        } else if let [date] = self.prose_dates[..] {
            self.move_to(date);
        } else if self.prose_dates.len() >= 2
            && !self.prose_dates.contains(&self.day)
            && let Some(line) = self.prose_dates_line
        {
            // `Tokyo, 11 December` and `Osaka, 14 December` before an agenda
            // published on another day: which is its day is not written.
            self.unknown_day = Some(self.line_offset + line);
            self.unknown_dates = true;
        } else if self.prose_dates.is_empty()
            && let Some(&(weekday, line)) = self
                .prose_weekdays
                .iter()
                .find(|(weekday, _)| *weekday != self.day.weekday())
        {
            // `Saturday's programme` in a note published on a Monday: the
            // day is not the publication day, and no date says which it is.
            self.unknown_day = Some(self.line_offset + line);
            self.unknown_weekday = Some(weekday);
        }
    }

    /// The day a weekday or `Day N` is counted from, and whether it is the
    /// event's own day.
    fn day_base(&self) -> (NaiveDate, bool) {
        match (self.span, self.anchor) {
            (Some((first, _)), _) => (first, true),
            (None, Some(anchor)) if !self.rules.day_is_event => (anchor, false),
            _ => (self.rules.day, self.rules.day_is_event),
        }
    }

    /// The day a heading or cell names; a weekday past the event's span is
    /// no day of it.
    fn heading_day(&self, text: &str) -> Option<NaiveDate> {
        let (base, is_event) = self.day_base();
        let found = day::heading_day(text, base, false);
        // Read again only for what the event's own day adds: a weekday alone.
        if found.is_some() || !is_event {
            return found;
        }
        day::heading_day(text, base, true)
            .filter(|&date| self.span.is_none_or(|(_, last)| date <= last))
    }

    /// A heading naming a span of days (`Sprint, 13–15 June 2024`) sets the
    /// span unless `event.date` is given and outside it.
    fn span_heading(&mut self, text: &str) -> Option<(NaiveDate, NaiveDate)> {
        let span = day::date_span(text, self.rules.day)?;
        if self.rules.day_is_event && !(span.0..=span.1).contains(&self.rules.day) {
            return None;
        }
        self.span = Some(span);
        Some(span)
    }

    /// The slots that follow are on `date`, a new group.
    fn move_to(&mut self, date: NaiveDate) {
        self.day = date;
        self.shift = 0;
        self.previous_start = None;
        self.twenty_four_hour = false;
        self.group += 1;
    }

    /// `Time: 19:00` or `Horário de Início: 08:00h` then `Horário de
    /// Término: 18:00h`, without a date on the line: the event's time on the
    /// agenda's day, the note's one event if it has no agenda.
    fn labelled_times(&mut self, block: &Block) -> bool {
        let lines: Vec<&str> = block.text.split('\n').collect();
        let line = self.line_offset + block.line;
        let Some((index, mut lead)) = lines
            .iter()
            .enumerate()
            .find_map(|(i, text)| labelled_time(text).map(|lead| (i, lead)))
        else {
            // `- Ende: 18:00` in the item after `- Beginn: 10:00`.
            if let Some(end) = lines.iter().find_map(|text| labelled_end(text))
                && let Some(last) = self.event_lines.last_mut()
                && last.2.end.is_none()
                && line - last.0 <= 2
            {
                last.2.end = Some(end.start);
                return true;
            }
            return false;
        };
        if lead.end.is_none() {
            lead.end = lines[index + 1..]
                .iter()
                .find_map(|text| labelled_end(text))
                .map(|end| end.start);
        }
        if self.drafts.is_empty() {
            self.settle_prose_day();
        }
        because(line + index, || {
            "the event's time, on the agenda's day: the note's one event if it has no agenda"
                .to_string()
        });
        self.event_lines.push((line + index, self.day, lead));
        true
    }

    /// A block of labelled lines: a section's slot, the day, or the event's
    /// time (`Tanggal:` / `Pukul:`, `日時:`, `Time:`).
    fn labelled_lines(&mut self, block: &Block) -> bool {
        self.section_slot(block) || self.labelled_day(block) || self.labelled_times(block)
    }

    /// `- Pukul: 19:00 - 20:00` after the section's day: the section's
    /// one slot, titled by its heading.
    fn section_slot(&mut self, block: &Block) -> bool {
        if !self.section_dated {
            return false;
        }
        let Some(lead) = block
            .text
            .split('\n')
            .find_map(labelled_time)
            .filter(|lead| lead.end.is_some() || self.section_day_heading)
        else {
            return false;
        };
        let Some(title) = self.section.take() else {
            return false;
        };
        because(self.line_offset + block.line, || {
            format!(
                "slot: a labelled time range after the section's day, titled by its heading `{title}`"
            )
        });
        self.section_dated = false;
        self.add_slot(block, Level::Labelled, lead, title, None);
        true
    }

    /// A paragraph that is a date and nothing else (`*Sunday 12 March
    /// 2023*` under `## Day 2`) is a day heading.
    fn date_line(&mut self, block: &Block) -> bool {
        let mut lines = block.text.trim().split('\n').map(str::trim);
        let text = lines.next().unwrap_or("");
        if text.chars().count() > 48 || !day::is_date_only(text) {
            return false;
        }
        // `### Wellness fair` / `Sunday, Feb 9, 2020` / `1pm - 4pm` / `Online!`:
        // under a section heading, the date may lead the lines of its one
        // slot, the range on the next.
        let range = lines
            .next()
            .and_then(|next| {
                clock::lead(next)
                    .filter(|lead| lead.end.is_some() && !lead.loose)
                    .map(|lead| (next, lead))
            })
            .filter(|(next, lead)| {
                clock::title(&next[lead.rest..]).is_empty() && self.section.is_some()
            });
        if block.text.trim().contains('\n') && range.is_none() {
            return false;
        }
        let Some(date) = self.heading_day(text) else {
            return false;
        };
        because(self.line_offset + block.line, || {
            format!("day line: a line that is a date alone; the slots below are on {date}")
        });
        self.close();
        self.anchor.get_or_insert(date);
        self.move_to(date);
        if let Some((_, lead)) = range
            && let Some(title) = self.section.take()
        {
            because(self.line_offset + block.line + 1, || {
                format!(
                    "slot: a range alone after the section's day, titled by its heading `{title}`"
                )
            });
            let mut at = block.clone();
            at.line += 1;
            self.add_slot(&at, Level::Labelled, lead, title, None);
        }
        true
    }

    /// `Date: 15/09/2025`, `**When:** Saturday, April 5`, `日時: 11月26日`:
    /// a labelled line naming the event's day moves the agenda there.
    fn labelled_day(&mut self, block: &Block) -> bool {
        let Some((line, date)) = block
            .text
            .split('\n')
            .find_map(|line| day::labelled_date(line, self.rules.day).map(|date| (line, date)))
        else {
            return false;
        };
        because(self.line_offset + block.line, || {
            format!("labelled date: the agenda is on {date}")
        });
        self.anchor.get_or_insert(date);
        if self.unknown_day.is_some()
            && self.late_day.is_none()
            && self.unknown_weekday == Some(date.weekday())
            && self.drafts.iter().any(|draft| draft.group == 0)
        {
            self.late_day = Some(date);
        }
        self.move_to(date);
        let lead = labelled_range(line).or_else(|| block.text.split('\n').find_map(labelled_time));
        // `### 第1回` then `- 日時: 9月16日 19:30～20:30`: a dated range under a
        // section heading is that section's slot.
        if let Some(title) = self.section.clone()
            && let Some(lead) = lead.filter(|lead| lead.end.is_some())
        {
            self.add_slot(block, Level::Labelled, lead, title, None);
            self.section = None;
        } else if let Some(lead) = lead {
            because(self.line_offset + block.line, || {
                "the event's day and time: the note's one event if it has no agenda".to_string()
            });
            self.event_lines
                .push((self.line_offset + block.line, date, lead));
        } else {
            self.section_dated = self.section.is_some();
        }
        true
    }

    fn is_end_marker(&self, title: &str) -> bool {
        // `🏁 Encerramento`: a symbol before the word.
        let normalized = title
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .trim_end_matches(['。', '.', '!', '！'])
            .trim();
        let normalized = case::lower(normalized);
        // `本会終了`, `完全撤収完了`: the marker with a word for the whole or
        // for done around it.
        let mut core = &*normalized;
        for prefix in ["本会", "完全", "全体", "イベント"] {
            core = core.strip_prefix(prefix).unwrap_or(core);
        }
        for suffix in ["完了", "予定"] {
            core = core.strip_suffix(suffix).unwrap_or(core);
        }
        if core != &*normalized && self.rules.end_markers.iter().any(|m| m == core) {
            return true;
        }
        let markers = self.rules.end_markers;
        if markers.iter().any(|m| *m == *normalized) {
            return true;
        }
        // `Adjourn to the pub`, `Au revoir émouvant`: the meeting ends,
        // whatever follows.
        if [
            "adjourn",
            "au revoir",
            "goodbye",
            "auf wiedersehen",
            "farvel",
            "despedida",
        ]
        .iter()
        .any(|word| normalized.starts_with(word))
        {
            return true;
        }
        // `片付け、解散`, `Cleanup & close`: markers and tidying up, joined.
        const TIDYING: &[&str] = &[
            "片付け",
            "片づけ",
            "後片付け",
            "cleanup",
            "clean up",
            "clean-up",
        ];
        let parts: Vec<&str> = normalized
            .split(['、', ',', '，', '＆', '&', '・', '/', '＋', '+'])
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect();
        parts.len() >= 2
            && parts.iter().any(|part| markers.iter().any(|m| m == part))
            && parts
                .iter()
                .all(|part| markers.iter().any(|m| m == part) || TIDYING.contains(part))
    }

    fn take_speaker(&mut self, speaker: Speaker) -> bool {
        match self.open {
            Some(open) if self.drafts[open].speaker.is_none() => {
                because(self.drafts[open].line, || {
                    format!(
                        "speaker: a labelled line under the slot ({})",
                        speaker.display()
                    )
                });
                self.drafts[open].speaker = Some(speaker);
                self.fresh = false;
                true
            }
            _ => false,
        }
    }

    fn push_body(&mut self, text: &str) {
        if let Some(open) = self.open {
            self.fresh = false;
            if !text.is_empty() {
                self.drafts[open].push(text);
            }
        }
    }

    fn close(&mut self) {
        self.open = None;
        self.fresh = false;
    }
}

/// `09:05` for `--explain`.
fn clock_text(minutes: Minutes) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn at_minutes(day: NaiveDate, minutes: Minutes) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).expect("midnight exists") + Duration::minutes(i64::from(minutes))
}

fn minutes_of(at: NaiveDateTime) -> Minutes {
    use chrono::Timelike;
    at.hour() * 60 + at.minute()
}

#[cfg(test)]
mod tests;
