//! Tables with a day per column (`| | Tue 21 June | Wed 22 June |`, or an
//! HTML grid with `rowspan` for length): which columns are days, which
//! hold the clock, and where each cell ends (docs/format.md, "Agendas").

use super::blocks::Block;
use super::clock::{self, Minutes};
use super::{case, day};
use chrono::NaiveDate;

/// The day columns of a header row, when the header names days and
/// nothing else: each other filled cell must be a time header.
pub fn day_columns(
    cells: &[String],
    base: NaiveDate,
    time_headers: &[&str],
) -> Option<Vec<(usize, NaiveDate)>> {
    let mut days: Vec<(usize, NaiveDate)> = Vec::new();
    for (index, cell) in cells.iter().enumerate() {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        match day::named_date(cell, base).or_else(|| day::heading_date(cell, base)) {
            Some(date) if days.iter().all(|&(_, seen)| seen != date) => days.push((index, date)),
            Some(_) => return None, // the same day twice: tracks, not days
            None => {
                let lower = case::lower(cell);
                if !time_headers.iter().any(|name| lower.starts_with(name)) {
                    return None;
                }
            }
        }
    }
    (days.len() >= 2).then_some(days)
}

/// Whether a header row names two or more days, read or not.
pub fn names_days(cells: &[String], base: NaiveDate) -> bool {
    let mut dates: Vec<NaiveDate> = cells
        .iter()
        .filter_map(|cell| day::named_date(cell, base))
        .collect();
    dates.dedup();
    dates.len() >= 2
}

/// One cell of a day column that opens a slot.
pub struct Cell<'a> {
    pub row: &'a Block,
    pub date: NaiveDate,
    pub start: Minutes,
    pub end: Option<Minutes>,
    pub text: &'a str,
}

/// The slots of a grid's rows, day by day, each ending where its rowspan
/// does (at the next row with a time), else at the next filled row.
pub fn cells<'a>(rows: &'a [Block], days: &[(usize, NaiveDate)]) -> Vec<Cell<'a>> {
    let day_index: Vec<usize> = days.iter().map(|&(index, _)| index).collect();
    // A row's time is in a column that is not a day's (left, right or both).
    let times: Vec<Option<Minutes>> = rows
        .iter()
        .map(|row| {
            row.cells
                .iter()
                .enumerate()
                .filter(|(index, _)| !day_index.contains(index))
                .find_map(|(_, cell)| clock::lead(cell).filter(|lead| !lead.seconds))
                .map(|lead| lead.start)
        })
        .collect();
    let next_time = |from: usize| {
        times
            .get(from..)
            .and_then(|rest| rest.iter().flatten().next().copied())
    };
    let mut out = Vec::new();
    for &(column, date) in days {
        for (index, row) in rows.iter().enumerate() {
            let Some(start) = times[index] else {
                continue;
            };
            let span = if row.spans.is_empty() {
                1
            } else {
                row.spans.get(column).copied().unwrap_or(1)
            };
            let Some(text) = row.cells.get(column).map(|cell| cell.trim()) else {
                continue;
            };
            if span == 0 || text.is_empty() {
                continue;
            }
            out.push(Cell {
                row,
                date,
                start,
                end: next_time(index + span).filter(|&end| end > start),
                text,
            });
        }
    }
    out
}
