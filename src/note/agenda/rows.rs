//! Table rows of an agenda: the columns a header names (time, end, title,
//! speaker, day, rooms), and the slot each row gives.

use super::blocks::Block;
use super::{
    ARRIVALS, DEPARTURES, Level, Scanner, because, case, clock, clock_text, day, grid, speaker,
};
use crate::model::Speaker;
use crate::problem::LineProblem;
use chrono::NaiveDate;

/// Table columns recognised by their header.
#[derive(Debug, Default, Clone)]
pub(super) struct Columns {
    pub(super) headers: Vec<String>,
    /// The start time's column; without a known header, the first.
    pub(super) time: Option<usize>,
    /// A separate end time's column (`Inicio | Fin`).
    pub(super) end: Option<usize>,
    pub(super) title: Option<usize>,
    pub(super) speaker: Option<usize>,
    /// The day's column (`Date`, `TANGGAL`, `日付`).
    pub(super) date: Option<usize>,
    /// Parallel rooms or tracks, one column each (`Зал 1 | Зал 2`).
    pub(super) rooms: Vec<usize>,
    /// The header names departures and arrivals: a timetable of a journey.
    pub(super) travel: bool,
    /// A header naming two or more days, beside other columns than the
    /// clock's: which slot is on which day is not clear, so none is read.
    pub(super) grid: bool,
    /// A header naming days and nothing else (`| | Tue 21 June | Wed 22
    /// June |`): the column and position, its day.
    pub(super) days: Vec<(usize, NaiveDate)>,
}

const DATE_HEADERS: &[&str] = &[
    "date", "datum", "tanggal", "日付", "日程", "fecha", "data", "dato", "日期", "날짜", "дата",
    "day", "tag", "jour", "día", "dia", "dzień", "hari",
];
/// Headers of parallel rooms or tracks.
const ROOM_HEADERS: &[&str] = &[
    "room",
    "hall",
    "track",
    "stage",
    "raum",
    "saal",
    "salle",
    "sala",
    "trilha",
    "zał",
    "зал",
    "аудитория",
    "trek",
    "ruang",
    "会場",
    "ルーム",
    "トラック",
    "教室",
    "分会场",
    "会场",
    "트랙",
];
pub(super) const TIME_HEADERS: &[&str] = &[
    "time",
    "時間",
    "時刻",
    "zeit",
    "uhrzeit",
    "horaire",
    "horario",
    "horário",
    "hora",
    "waktu",
    "jam",
    "godzina",
    "时间",
    "時間帯",
    "시간",
    "start",
    "inicio",
    "início",
    "beginn",
    "début",
    "von",
    "tid",
    "tijd",
    "czas",
    "saat",
    "ora",
    "kl",
    "время",
    "開始",
];
const END_HEADERS: &[&str] = &[
    "end",
    "fin",
    "ende",
    "bis",
    "término",
    "termino",
    "fim",
    "koniec",
    "selesai",
    "slut",
    "конец",
    "结束",
    "終了",
    "종료",
];
const TITLE_HEADERS: &[&str] = &[
    "title",
    "session",
    "talk",
    "内容",
    "タイトル",
    "演題",
    "題目",
    "セッション",
    "プログラム",
    "program",
    "activité",
    "actividad",
    "atividade",
    "activity",
    "plan",
    "agenda",
    "acara",
    "kegiatan",
    "thema",
    "vortrag",
    "programm",
    "programa",
    "programme",
    "活动",
    "议程",
    "주제",
    "tema",
    "topic",
    "topik",
    "what",
    "titel",
    "titre",
    "título",
    "materi",
    "sesja",
    "temat",
];
const SPEAKER_HEADERS: &[&str] = &[
    "speaker",
    "speakers",
    "presenter",
    "presenters",
    "登壇者",
    "発表者",
    "講演者",
    "スピーカー",
    "講師",
    "担当",
    "referent",
    "intervenant",
    "palestrante",
    "ponente",
    "orador",
    "pembicara",
    "narasumber",
    "prelegent",
    "redner",
    "演讲者",
    "讲者",
    "嘉宾",
    "발표자",
    "연사",
    "who",
    "докладчик",
    "спикер",
    "oplægsholder",
];

impl Columns {
    /// The header's columns as `--explain` names them.
    pub(super) fn explain(&self) -> String {
        let name = |what: &str, column: Option<usize>| {
            column.map(|i| format!("{what} in column {} (`{}`)", i + 1, self.headers[i].trim()))
        };
        let found: Vec<String> = [
            name("time", self.time),
            name("end", self.end),
            name("title", self.title),
            name("speaker", self.speaker),
            name("date", self.date),
        ]
        .into_iter()
        .flatten()
        .collect();
        if found.is_empty() {
            "table header: no known column names; the time is read from the first column"
                .to_string()
        } else {
            format!("table header: {}", found.join(", "))
        }
    }

    /// The columns of the time, its end and the day, which never title a
    /// slot.
    fn taken(&self, column: usize, time_column: usize) -> bool {
        column == time_column || Some(column) == self.end || Some(column) == self.date
    }

    pub(super) fn from_header(cells: &[String]) -> Self {
        let find = |names: &[&str], skip: Option<usize>| {
            cells.iter().enumerate().position(|(index, cell)| {
                let cell = case::lower(cell.trim());
                Some(index) != skip
                    && names
                        .iter()
                        .any(|name| cell == *name || cell.starts_with(name))
            })
        };
        let time = find(TIME_HEADERS, None);
        Self {
            headers: cells.to_vec(),
            time,
            end: find(END_HEADERS, time),
            title: find(TITLE_HEADERS, time),
            speaker: find(SPEAKER_HEADERS, time),
            date: find(DATE_HEADERS, time),
            grid: false,
            days: Vec::new(),
            travel: {
                // `Abfahrt`, `Dep.`, not `Department`.
                let names = |words: &[&str]| {
                    cells.iter().any(|cell| {
                        case::lower(cell)
                            .split(|c: char| !c.is_alphanumeric())
                            .any(|part| words.contains(&part))
                    })
                };
                names(DEPARTURES) && names(ARRIVALS)
            },
            rooms: cells
                .iter()
                .enumerate()
                .filter(|(_, cell)| {
                    let cell = case::lower(cell.trim());
                    ROOM_HEADERS.iter().any(|room| cell.starts_with(room))
                })
                .map(|(index, _)| index)
                .collect(),
        }
    }
}

/// A row of `<td>`s that is a header all the same: a cell names the time
/// column (`HORA`, `Time`), and no cell holds a time.
pub(super) fn is_header_like(cells: &[String]) -> bool {
    cells.iter().all(|cell| clock::lead(cell).is_none())
        && Columns::from_header(cells).time.is_some()
}

impl Scanner<'_> {
    /// A table row: a slot at the time in its time column, titled by its
    /// title column, with its speaker's and the other cells.
    pub(super) fn row(&mut self, block: &Block) {
        self.close();
        if !self.columns.days.is_empty() {
            self.grid_rows.push(block.clone());
            return;
        }
        let columns = self.columns.clone();
        if columns.grid {
            self.warn_grid(block);
            return;
        }
        if columns.travel {
            self.warn_travel(block);
            return;
        }
        let Some((time_column, lead)) = self.row_time(block, &columns) else {
            return;
        };
        if let Some(cell) = columns.date.and_then(|i| block.cells.get(i)) {
            // A date cell read against the row above's day (`06/05/2020`
            // after `05/05/2020` is the 6th of May).
            let (base, is_event) = self.day_base();
            let date = day::heading_day(cell, self.day, false)
                .or_else(|| day::heading_day(cell, base, is_event));
            match date {
                Some(date) if date != self.day => self.move_to(date),
                Some(_) => {}
                // A date written in the cell that cannot be read: the row's
                // day is unknown, and a slot on the row above's would be wrong.
                None if cell.bytes().any(|b| b.is_ascii_digit()) => {
                    because(self.line_offset + block.line, || {
                        format!(
                            "no slot: the date cell `{}` names no day that can be read",
                            cell.trim()
                        )
                    });
                    return;
                }
                None => {}
            }
        }
        if columns.rooms.len() >= 2 {
            self.room_slots(block, &columns, lead);
            return;
        }
        let in_first = clock::title(&block.cells[time_column][lead.rest..]).to_string();
        let cells = RowCells::read(block, &columns, time_column, in_first);
        // A row priced by the hour (`10:00 ~ 18:00 | 900円`) is a tariff.
        if is_amount(&cells.title) {
            because(self.line_offset + block.line, || {
                format!(
                    "no slot: the row's title `{}` is an amount (a tariff)",
                    cells.title
                )
            });
            return;
        }
        because(self.line_offset + block.line, || {
            format!(
                "table row: time in column {}, title from column {}{}",
                time_column + 1,
                cells
                    .title_column
                    .map_or_else(|| "1 (after the time)".to_string(), |i| (i + 1).to_string()),
                columns.speaker.map_or(String::new(), |i| format!(
                    ", speaker from column {}",
                    i + 1
                ))
            )
        });
        let RowCells {
            title,
            title_column,
            described,
            speaker,
        } = cells;
        if self.add_slot(block, Level::Row, lead, title, None) {
            let draft = self.drafts.last_mut().expect("just added");
            draft.speaker = speaker;
            if let Some(described) = described {
                draft.push(&described);
            }
            // The other cells describe the slot, each after its header.
            for (i, cell) in block.cells.iter().enumerate() {
                if columns.taken(i, time_column)
                    || Some(i) == title_column
                    || Some(i) == columns.speaker
                    || cell.is_empty()
                {
                    continue;
                }
                match columns.headers.get(i).filter(|h| !h.is_empty()) {
                    Some(header) => draft.push(&format!("{header}: {cell}")),
                    None => draft.push(cell),
                }
            }
        }
        self.open = None;
    }

    /// A table with a day per column beside other columns is warned about
    /// once, when a row of it holds a time.
    fn warn_grid(&mut self, block: &Block) {
        if !self.warned_grid && block.cells.iter().any(|cell| clock::lead(cell).is_some()) {
            self.warned_grid = true;
            self.problems.push(LineProblem::warning(
                self.line_offset + block.line,
                "a table with a day per column is not read as an agenda; give each day its own table or list under a day heading".to_string(),
            ));
        }
    }

    /// `| Yoga | Montag, 31.07., 8:30 Uhr |`: without a time column, a cell
    /// holding a date and then a time puts the row on that date.
    fn dated_cell(&mut self, block: &Block, columns: &Columns) -> Option<(usize, clock::Lead)> {
        if columns.time.is_some() {
            return None;
        }
        let (column, (date, at, mut lead)) = block
            .cells
            .iter()
            .enumerate()
            .find_map(|(i, cell)| self.dated_start(cell.trim()).map(|found| (i, found)))?;
        let cell = &block.cells[column];
        // Where the title would begin in the cell itself, as for a time
        // cell: nothing may follow the time.
        lead.rest += at + (cell.len() - cell.trim_start().len());
        if !cell[lead.rest..].trim().is_empty() {
            return None;
        }
        because(self.line_offset + block.line, || {
            format!(
                "table row: the day ({date}) and time in column {}",
                column + 1
            )
        });
        if date != self.day {
            self.move_to(date);
        }
        Some((column, lead))
    }

    /// A timetable under `Abfahrt | Ankunft` or `Departure | Arrival` is a
    /// journey: no slot, and one warning when a row holds a time.
    fn warn_travel(&mut self, block: &Block) {
        if !self.warned_travel && block.cells.iter().any(|cell| clock::lead(cell).is_some()) {
            self.warned_travel = true;
            self.problems.push(LineProblem::warning(
                self.line_offset + block.line,
                "this table's times are departures and arrivals (a journey), so no events are published; set event.start for an event".to_string(),
            ));
        }
    }

    /// The row's time column and the time there, its end from an end
    /// column when the cell gives none.
    fn row_time(&mut self, block: &Block, columns: &Columns) -> Option<(usize, clock::Lead)> {
        let time_column = columns.time.unwrap_or(0);
        let first = block.cells.get(time_column)?;
        let span = block.spans.get(time_column).copied().unwrap_or(1);
        // `<td rowspan=3>10:15 - 11:30</td>`: the rows it covers are at its
        // time too (parallel talks of one block).
        if span == 0 && first.trim().is_empty() {
            return self
                .spanned_time
                .map(|lead| (time_column, clock::Lead { rest: 0, ..lead }));
        }
        let Some(mut lead) = clock::lead(first) else {
            self.spanned_time = None;
            return self.dated_cell(block, columns);
        };
        self.spanned_time = (span > 1).then_some(lead);
        // `9.30` alone is a time only under a time column's header.
        if lead.loose && columns.time.is_none() {
            because(self.line_offset + block.line, || {
                format!(
                    "no slot: `{}` is a time only under a time column's header",
                    first.trim()
                )
            });
            return None;
        }
        if lead.end.is_none()
            && let Some(end) = columns.end.and_then(|i| block.cells.get(i))
        {
            lead.end = clock::lead(end).map(|end| end.start);
        }
        Some((time_column, lead))
    }

    /// The slots of a day-per-column table, day by day: a cell's day is
    /// its column's, its start its row's time, its end where its rowspan
    /// ends; `Talk<br>Name (Org)` gives a speaker.
    pub(super) fn grid(&mut self) {
        let rows = std::mem::take(&mut self.grid_rows);
        let days = self.columns.days.clone();
        let mut current = None;
        for cell in grid::cells(&rows, &days) {
            if current != Some(cell.date) {
                self.move_to(cell.date);
                current = Some(cell.date);
            }
            let lead = clock::Lead {
                start: cell.start,
                end: cell.end,
                rest: 0,
                seconds: false,
                loose: false,
                bare: false,
                meridiem: false,
            };
            let (title, rest) = cell.text.split_once('\n').unwrap_or((cell.text, ""));
            because(self.line_offset + cell.row.line, || {
                format!(
                    "day-per-column cell: `{title}` on {} at {}{}",
                    cell.date,
                    clock_text(cell.start),
                    cell.end.map_or(String::new(), |end| format!(
                        ", until {} (its rowspan)",
                        clock_text(end)
                    ))
                )
            });
            if self.add_slot(cell.row, Level::Row, lead, title.to_string(), None) {
                let draft = self.drafts.last_mut().expect("just added");
                match speaker::affiliated(rest) {
                    Some(found) => draft.speaker = Some(found),
                    None => draft.push(rest),
                }
            }
        }
        self.open = None;
    }

    /// A header row whose one filled cell names a day (`SÁBADO 24/08`
    /// over the rooms) moves the rows below to that day, keeping the columns.
    pub(super) fn day_row(&mut self, block: &Block) -> bool {
        let mut filled: Vec<&String> = block
            .cells
            .iter()
            .filter(|c| !c.trim().is_empty())
            .collect();
        // A cell spread over the tracks (`colspan`) shows in each.
        filled.dedup();
        let [cell] = filled[..] else {
            return false;
        };
        match self.heading_day(cell) {
            Some(date) => {
                because(self.line_offset + block.line, || {
                    format!("table day row: the rows below are on {date}")
                });
                self.move_to(date);
                true
            }
            None => false,
        }
    }

    /// A row of parallel rooms: each filled room cell is a slot at the
    /// row's time, its room in the description; a cell spanning all rooms
    /// (a break) is one slot.
    pub(super) fn room_slots(&mut self, block: &Block, columns: &Columns, lead: clock::Lead) {
        let mut seen: Vec<&str> = Vec::new();
        for &room in &columns.rooms {
            let Some(cell) = block.cells.get(room).map(|cell| cell.trim()) else {
                continue;
            };
            if cell.is_empty() || is_placeholder(cell) || seen.contains(&cell) {
                continue;
            }
            seen.push(cell);
            let (title, rest) = cell.split_once('\n').unwrap_or((cell, ""));
            if self.add_slot(block, Level::Row, lead, title.to_string(), None) {
                let draft = self.drafts.last_mut().expect("just added");
                if let Some(header) = columns.headers.get(room) {
                    draft.push(header);
                }
                draft.push(rest);
            }
        }
        self.open = None;
    }
}

/// What a row's cells say of its slot besides the time.
struct RowCells {
    title: String,
    title_column: Option<usize>,
    /// An HTML cell's lines after the first (`Talk<br>abstract`).
    described: Option<String>,
    speaker: Option<Speaker>,
}

impl RowCells {
    /// `in_first` is the text after the time in its own cell, the title of
    /// a row with no other.
    fn read(block: &Block, columns: &Columns, time_column: usize, in_first: String) -> Self {
        let cells = &block.cells;
        let title_column = columns.title.or({
            // Without a recognised header the title is the first other column
            // that is not the speaker's.
            (0..cells.len()).find(|&i| {
                !columns.taken(i, time_column)
                    && Some(i) != columns.speaker
                    && !cells[i].trim().is_empty()
            })
        });
        let mut title = title_column
            .and_then(|i| cells.get(i))
            .cloned()
            .unwrap_or_default();
        let mut speaker_as_title = false;
        if title.is_empty() {
            title = in_first;
        }
        // `| 1200 | Sandwiches |  |` under `Time | Speaker | Title`: the
        // only filled cell names the slot, whatever its header.
        if title.is_empty()
            && let Some(filled) = (0..cells.len())
                .find(|&i| !columns.taken(i, time_column) && !cells[i].trim().is_empty())
        {
            title = cells[filled].clone();
            speaker_as_title = Some(filled) == columns.speaker;
        }
        let mut described = None;
        if let Some((first, rest)) = title.split_once('\n') {
            described = Some(rest.to_string());
            title = first.to_string();
        }
        let speaker = columns
            .speaker
            .filter(|_| !speaker_as_title)
            .and_then(|i| cells.get(i))
            .filter(|cell| !cell.is_empty() && !is_placeholder(cell))
            .map(|cell| speaker::parse(cell));
        Self {
            title,
            title_column,
            described,
            speaker,
        }
    }
}

/// A cell that says nobody (`-`, `—`, `TBA`).
fn is_placeholder(cell: &str) -> bool {
    matches!(
        &*case::lower(cell.trim()),
        "-" | "–" | "—" | "tba" | "tbd" | "n/a" | "未定" | "ー"
    )
}

/// A cell that is only a price (`900円`, `€ 12,50`, `$15`).
fn is_amount(cell: &str) -> bool {
    const CURRENCIES: [&str; 14] = [
        "円", "€", "$", "£", "¥", "eur", "usd", "zł", "rp", "元", "원", "kr", "chf", "yen",
    ];
    let lower = case::lower(cell.trim());
    let mut rest = &*lower;
    let mut priced = false;
    for currency in CURRENCIES {
        if let Some(stripped) = rest.strip_prefix(currency).or(rest.strip_suffix(currency)) {
            rest = stripped;
            priced = true;
        }
    }
    priced
        && rest.chars().any(|c| c.is_ascii_digit())
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '-'))
}
