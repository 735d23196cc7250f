//! Headings that name a day (`# 2019-12-07`, `## Day 2 (12/8)`, `## 12月8日`,
//! `## Thursday, May 16`, `### 14. September`, `## Freitag`): they set the
//! date of the slots below them in a multi-day agenda.

use super::case;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::sync::LazyLock;

/// Month names and their usual abbreviations, in the languages of
/// docs/format.md's agenda section; each maps to its month number.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("janvier", 1),
    ("enero", 1),
    ("janeiro", 1),
    ("stycznia", 1),
    ("января", 1),
    ("januari", 1),
    ("jänner", 1),
    ("february", 2),
    ("feb", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("febrero", 2),
    ("fevereiro", 2),
    ("lutego", 2),
    ("февраля", 2),
    ("februari", 2),
    ("march", 3),
    ("mar", 3),
    ("märz", 3),
    ("marts", 3),
    ("mars", 3),
    ("marzo", 3),
    ("março", 3),
    ("marca", 3),
    ("марта", 3),
    ("maret", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("abril", 4),
    ("kwietnia", 4),
    ("апреля", 4),
    ("may", 5),
    ("mai", 5),
    ("maj", 5),
    ("mayo", 5),
    ("maio", 5),
    ("maja", 5),
    ("мая", 5),
    ("mei", 5),
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("junho", 6),
    ("czerwca", 6),
    ("июня", 6),
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("juillet", 7),
    ("julio", 7),
    ("julho", 7),
    ("lipca", 7),
    ("июля", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("sierpnia", 8),
    ("августа", 8),
    ("agustus", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setembro", 9),
    ("września", 9),
    ("сентября", 9),
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("outubro", 10),
    ("października", 10),
    ("октября", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("listopada", 11),
    ("ноября", 11),
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("décembre", 12),
    ("diciembre", 12),
    ("dezembro", 12),
    ("grudnia", 12),
    ("декабря", 12),
    ("desember", 12),
];

/// Weekday names (and German plurals such as `Freitags`).
const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("montag", Weekday::Mon),
    ("lundi", Weekday::Mon),
    ("lunes", Weekday::Mon),
    ("segunda", Weekday::Mon),
    ("poniedziałek", Weekday::Mon),
    ("mandag", Weekday::Mon),
    ("senin", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("dienstag", Weekday::Tue),
    ("mardi", Weekday::Tue),
    ("martes", Weekday::Tue),
    ("terça", Weekday::Tue),
    ("wtorek", Weekday::Tue),
    ("tirsdag", Weekday::Tue),
    ("selasa", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("mittwoch", Weekday::Wed),
    ("mercredi", Weekday::Wed),
    ("miércoles", Weekday::Wed),
    ("quarta", Weekday::Wed),
    ("środa", Weekday::Wed),
    ("onsdag", Weekday::Wed),
    ("rabu", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("donnerstag", Weekday::Thu),
    ("jeudi", Weekday::Thu),
    ("jueves", Weekday::Thu),
    ("quinta", Weekday::Thu),
    ("czwartek", Weekday::Thu),
    ("torsdag", Weekday::Thu),
    ("kamis", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("freitag", Weekday::Fri),
    ("vendredi", Weekday::Fri),
    ("viernes", Weekday::Fri),
    ("sexta", Weekday::Fri),
    ("piątek", Weekday::Fri),
    ("fredag", Weekday::Fri),
    ("jumat", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("samstag", Weekday::Sat),
    ("samedi", Weekday::Sat),
    ("sábado", Weekday::Sat),
    ("sobota", Weekday::Sat),
    ("lørdag", Weekday::Sat),
    ("sabtu", Weekday::Sat),
    ("sonnabend", Weekday::Sat),
    ("sunday", Weekday::Sun),
    ("sonntag", Weekday::Sun),
    ("dimanche", Weekday::Sun),
    ("domingo", Weekday::Sun),
    ("niedziela", Weekday::Sun),
    ("søndag", Weekday::Sun),
    ("minggu", Weekday::Sun),
    ("sun", Weekday::Sun),
    // Chinese, Japanese and Korean names, written whole.
    ("周一", Weekday::Mon),
    ("周二", Weekday::Tue),
    ("周三", Weekday::Wed),
    ("周四", Weekday::Thu),
    ("周五", Weekday::Fri),
    ("周六", Weekday::Sat),
    ("周日", Weekday::Sun),
    ("星期一", Weekday::Mon),
    ("星期二", Weekday::Tue),
    ("星期三", Weekday::Wed),
    ("星期四", Weekday::Thu),
    ("星期五", Weekday::Fri),
    ("星期六", Weekday::Sat),
    ("星期日", Weekday::Sun),
    ("星期天", Weekday::Sun),
    ("月曜日", Weekday::Mon),
    ("火曜日", Weekday::Tue),
    ("水曜日", Weekday::Wed),
    ("木曜日", Weekday::Thu),
    ("金曜日", Weekday::Fri),
    ("土曜日", Weekday::Sat),
    ("日曜日", Weekday::Sun),
    ("월요일", Weekday::Mon),
    ("화요일", Weekday::Tue),
    ("수요일", Weekday::Wed),
    ("목요일", Weekday::Thu),
    ("금요일", Weekday::Fri),
    ("토요일", Weekday::Sat),
    ("일요일", Weekday::Sun),
];

/// Words that count days of a multi-day event (`Day 2`, `Jour 2`, `Tag 2`).
const DAY_WORDS: [&str; 7] = ["day", "jour", "tag", "dia", "día", "dzień", "hari"];

/// Words joining two days in one heading (`5月27日(木) と5月28日(金)`,
/// `May 16 and May 17`).
const DAY_JOINERS: &[&str] = &[
    "と", " and ", " und ", " et ", " y ", " e ", " & ", " + ", "・", " i ",
];

/// The days a day heading names: most name one; a heading joining two
/// dates (`10月16日(水) と10月17日(木) スプリント`) names both, and the
/// slots below it are on each.
pub fn heading_days(text: &str, base: NaiveDate, base_is_event: bool) -> Vec<NaiveDate> {
    let Some(first) = heading_day(text, base, base_is_event) else {
        return Vec::new();
    };
    for joiner in DAY_JOINERS {
        if let Some((left, right)) = text.split_once(joiner)
            && let Some(one) = heading_date(left, base).or_else(|| named_date(left, base))
            && let Some(two) = heading_date(right, one).or_else(|| named_date(right, one))
            && two > one
            && two - one <= Duration::days(14)
        {
            return vec![one, two];
        }
    }
    vec![first]
}

/// The date a day heading names: a date, else a weekday (`Freitag`) or a
/// day count (`Day 2`) read against `base` when `base` is the event's own
/// day, since a weekday or a count means nothing without it.
pub fn heading_day(text: &str, base: NaiveDate, base_is_event: bool) -> Option<NaiveDate> {
    // A date, `Day 2` and `Tuesday 7` are written with digits: without one,
    // only a weekday alone names a day, and only against the event's day.
    // Most lines have none and are settled here, unsplit.
    let digits = has_digit(text);
    if !digits && !base_is_event {
        return None;
    }
    if digits && let Some(date) = heading_date(text, base).or_else(|| named_date(text, base)) {
        return Some(date);
    }
    if text.chars().count() > 40 {
        return None;
    }
    let words = words(text);
    // `Day 2` counts from the agenda's day, whichever it is: its first
    // day's slots are on that day too.
    if let Some(count) = words
        .windows(2)
        .find(|pair| DAY_WORDS.contains(&pair[0].as_str()))
        .and_then(|pair| pair[1].parse::<i64>().ok())
        .filter(|count| (1..=14).contains(count))
    {
        return Some(base + Duration::days(count - 1));
    }
    let weekday = words.iter().find_map(|word| weekday(word))?;
    // `Tuesday 7`: the day of the month that is that weekday, near the
    // agenda's day.
    if let Some(index) = words
        .iter()
        .position(|word| word.len() <= 2 && day_number(word).is_some())
    {
        let number = day_number(&words[index])?;
        // `Montag, 29.07.`: the month follows as a number; the weekday must
        // agree with the date it makes.
        if let Some(month) = words
            .get(index + 1)
            .filter(|word| word.len() <= 2)
            .and_then(|word| word.parse::<u32>().ok())
            .filter(|month| (1..=12).contains(month))
        {
            return in_year_of(base, month, number).filter(|day| day.weekday() == weekday);
        }
        return (-31..=62)
            .map(|offset| base + Duration::days(offset))
            .find(|day| day.day() == number && day.weekday() == weekday);
    }
    if !base_is_event {
        return None;
    }
    // The first such weekday from the event's day on.
    (0..7)
        .map(|offset| base + Duration::days(offset))
        .find(|day| day.weekday() == weekday)
}

/// What joins the first and last day of a span (`13–15 June`, `June 13 to
/// June 15`, `13 au 15 juin`, `6月13日〜15日`), tried in this order so that
/// an ISO date's own hyphens come last.
const SPAN_JOINERS: &[&str] = &[
    " - ",
    "–",
    "—",
    "〜",
    "～",
    "~",
    " to ",
    " through ",
    " thru ",
    " until ",
    " bis ",
    " au ",
    " à ",
    " al ",
    " a ",
    " até ",
    " ate ",
    " до ",
    " do ",
    "-",
];

/// The first and last days of a span of days a text names (`13–15 June
/// 2024`, `June 13–15, 2024`, `Thursday 13 – Saturday 15 June`, `13.–15.
/// Juni`, `2024-06-13 – 2024-06-15`, `6月13日〜15日`): at most 14 days, the
/// last after the first. A weekday or `Day 2` heading below it is read
/// against its first day.
pub fn date_span(text: &str, base: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    // A span is named in a line, not a page: each joiner is tried with a
    // date read on either side, so a long text would cost its square.
    if text.len() > 400 || !has_digit(text) {
        return None;
    }
    let date =
        |part: &str, base: NaiveDate| heading_date(part, base).or_else(|| named_date(part, base));
    for joiner in SPAN_JOINERS {
        for (at, _) in text.match_indices(joiner) {
            let (left, right) = (&text[..at], &text[at + joiner.len()..]);
            let Some(span) = span_of(left, right, base, &date) else {
                continue;
            };
            let (first, last) = span;
            if last > first && last - first <= Duration::days(14) {
                return Some(span);
            }
        }
    }
    None
}

/// The span whose first day ends `left` and whose last day opens `right`.
fn span_of(
    left: &str,
    right: &str,
    base: NaiveDate,
    date: &dyn Fn(&str, NaiveDate) -> Option<NaiveDate>,
) -> Option<(NaiveDate, NaiveDate)> {
    // The day number that ends `left` (`13`, `13.`, `Thursday 13`), unless
    // it counts days (`Day 1 – June 13`) or is part of a time or a date.
    let trailing = || {
        let trimmed = left.trim_end_matches([' ', '.']);
        let digits = trimmed.len() - trimmed.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let before = trimmed[..trimmed.len() - digits].trim_end();
        let number: u32 = trimmed[trimmed.len() - digits..].parse().ok()?;
        let counted = words(before)
            .last()
            .is_some_and(|word| DAY_WORDS.contains(&word.as_str()));
        let joined = before.ends_with([':', '/', '.', '-']);
        (digits <= 2 && (1..=31).contains(&number) && !counted && !joined).then_some(number)
    };
    // The day number that opens `right` (`15`, `15日`, `15, 2024`).
    let leading = || {
        let trimmed = right.trim_start();
        let digits = trimmed.len()
            - trimmed
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .len();
        let after = &trimmed[digits..];
        let number: u32 = trimmed[..digits].parse().ok()?;
        let ends = after.is_empty()
            || after.starts_with(['日', ',', ' ', ')', '.'])
            || after.starts_with("th")
            || after.starts_with("st")
            || after.starts_with("nd")
            || after.starts_with("rd");
        (digits <= 2 && (1..=31).contains(&number) && ends && !after.starts_with(":"))
            .then_some(number)
    };
    match (date(left, base), date(right, base)) {
        (Some(first), Some(last)) => {
            // `June 13 to June 15, 2024`: the year written once, at the end.
            let first = if last < first || last - first > Duration::days(14) {
                date(left, last)?
            } else {
                first
            };
            Some((first, last))
        }
        // `13–15 June 2024`: the month and year written once, after the last.
        (None, Some(last)) => Some((last.with_day(trailing()?)?, last)),
        // `June 13–15, 2024`, `6月13日〜15日`.
        (Some(first), None) => {
            let day = leading()?;
            let year = right
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|word| word.parse::<i32>().ok())
                .find(|year| (1970..=2200).contains(year));
            let first = match year {
                Some(year) if year != first.year() => first.with_year(year)?,
                _ => first,
            };
            Some((first, first.with_day(day)?))
        }
        (None, None) => None,
    }
}

/// Whether `text` is a date and nothing else (`2024-10-03`, `Thursday,
/// October 17`, `24.10.2024,`, `10月17日(木)`, `le 17 octobre à`): every word
/// is a number, a month, a weekday or a small joining word.
pub fn is_date_only(text: &str) -> bool {
    const JOINING: &[&str] = &[
        "at", "on", "the", "of", "um", "am", "den", "le", "à", "de", "del", "el", "o", "w", "dnia",
        "godz", "kl", "klo",
    ];
    let lower = case::lower(text);
    let mut words = split_words(&lower).peekable();
    words.peek().is_some()
        && words.all(|word| {
            // `2024-10-03`, `10月17日`, `17th`: digits and a date's marks
            // only (`次回は12` is a sentence with a number).
            let numeric = word.chars().any(|c| c.is_ascii_digit())
                && (day_number(word).is_some()
                    || word
                        .chars()
                        .all(|c| c.is_ascii_digit() || "-年月日号년월일".contains(c)));
            numeric || month(word).is_some() || weekday(word).is_some() || JOINING.contains(&word)
        })
}

/// The first date the text writes with its year (`2019年11月26日`,
/// `November 26, 2019`, `26.11.2019`, `2019-11-26`): the day of a note
/// that has no `date`. A date without a year is read the same against two
/// bases far apart only when it has one.
pub fn first_full_date(text: &str) -> Option<NaiveDate> {
    let (early, late) = (
        NaiveDate::from_ymd_opt(1980, 1, 1)?,
        NaiveDate::from_ymd_opt(2150, 1, 1)?,
    );
    let read = |line: &str, base| heading_date(line, base).or_else(|| named_date(line, base));
    let mut fenced = false;
    for line in text.lines().take(400) {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            fenced = !fenced;
        }
        if fenced || !line.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        if let (Some(one), Some(two)) = (read(line, early), read(line, late))
            && one == two
        {
            return Some(one);
        }
    }
    None
}

/// Labels that introduce the event's date line.
const DATE_LABELS: &[&str] = &[
    "日時",
    "開催日時",
    "開催日",
    "日程",
    "date",
    "event date",
    "when",
    "kiedy",
    "data",
    "datum",
    "fecha",
    "termin",
    "tanggal",
    "dato",
    "日期",
    "时间",
    "時間",
    "일시",
    "날짜",
    "дата",
    "quand",
    "quando",
    "cuándo",
    "wann",
    "когда",
    "kapan",
    "언제",
    "いつ",
];

/// Whether `text` is one of `labels` as the label lists hold them:
/// letters, digits and spaces, trimmed and lowercased (`**📅 Data:**` →
/// `data`).
pub fn is_label(text: &str, labels: &[&str]) -> bool {
    // Lowercasing never shortens a text: one with more letters and digits
    // than the longest label has is none, and is not copied to be sure
    // (most headings and lines are such texts).
    let longest = labels.iter().map(|label| label.chars().count()).max();
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    if longest.is_none_or(|longest| letters > longest) {
        return false;
    }
    let kept: String = text
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect();
    labels.contains(&&*case::lower(kept.trim()))
}

/// Whether `text` is one of the labels of a date line (`Fecha`, `日時`).
pub fn is_date_label(text: &str) -> bool {
    is_label(text, DATE_LABELS)
}

/// The date of a labelled line (`Date: 15/09/2025`, `**Kiedy:** 14 października`).
pub fn labelled_date(line: &str, base: NaiveDate) -> Option<NaiveDate> {
    let line = as_labelled(line);
    let line = line.trim().trim_start_matches(['*', '_', '#', ' ', '-']);
    let colon = line.find([':', '：'])?;
    // `**📅 data:**`: an emoji or a mark before the label is decoration.
    if !is_date_label(&line[..colon]) {
        return None;
    }
    let value = line[colon..].trim_start_matches([':', '：', '*', '_', '-', ' ']);
    heading_date(value, base).or_else(|| named_date(value, base))
}

/// `|日　時|2025年12月18日(木) 18時30分～20時00分|`: a two-cell row of a
/// table written without its header line (no table to Markdown, so a
/// paragraph line), read as `日時: …`; any other line as it is.
pub fn as_labelled(line: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = line.trim();
    let cells: Vec<&str> = match trimmed
        .strip_prefix('|')
        .and_then(|rest| rest.strip_suffix('|'))
    {
        Some(inner) => inner.split('|').map(str::trim).collect(),
        None => return line.into(),
    };
    match cells[..] {
        [label, value] if !label.is_empty() && !value.is_empty() => {
            let label: String = label.chars().filter(|c| !c.is_whitespace()).collect();
            format!("{label}: {value}").into()
        }
        _ => line.into(),
    }
}

/// A weekday named anywhere in prose, in any inflection (`sobotnich`,
/// `Saturdays`): the first five letters of its name, or the whole of a
/// shorter one.
pub fn weekday_in_prose(text: &str) -> Option<Weekday> {
    static NAMES: LazyLock<Vec<(Prose, Weekday)>> = LazyLock::new(|| {
        WEEKDAYS
            .iter()
            .map(|&(name, day)| {
                let form = if inflected(name) {
                    let five = name.char_indices().nth(5).map_or(name.len(), |(at, _)| at);
                    Prose::Stem(&name[..five])
                } else if name.chars().count() > 5 {
                    // `Donnerstags`, `Saturdays`, but not the French `donner`.
                    Prose::Stem(name)
                } else {
                    Prose::Whole(name)
                };
                (form, day)
            })
            .collect()
    });
    let lower = case::lower(text);
    split_words(&lower).find_map(|word| {
        NAMES.iter().find_map(|&(form, day)| {
            let matches = match form {
                Prose::Stem(stem) => word.starts_with(stem),
                Prose::Whole(name) => word == name,
            };
            matches.then_some(day)
        })
    })
}

/// How prose writes a weekday's name: whole, or opening a longer word.
#[derive(Clone, Copy)]
enum Prose {
    Stem(&'static str),
    Whole(&'static str),
}

/// A weekday's name that Polish or Russian inflects past its first five
/// letters (`sobota`, `sobotnich`; `суббота`, `субботу`).
fn inflected(name: &str) -> bool {
    const POLISH: &[&str] = &[
        "poniedziałek",
        "wtorek",
        "środa",
        "czwartek",
        "piątek",
        "sobota",
        "niedziela",
    ];
    name.chars().count() > 5
        && (POLISH.contains(&name) || name.chars().any(|c| ('а'..='я').contains(&c)))
}

fn weekday(word: &str) -> Option<Weekday> {
    let word = word
        .strip_suffix('s')
        .filter(|w| w.ends_with("tag"))
        .unwrap_or(word);
    let word = word.strip_suffix("-feira").unwrap_or(word);
    WEEKDAYS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, day)| *day)
}

fn words(text: &str) -> Vec<String> {
    split_words(&case::lower(text))
        .map(str::to_string)
        .collect()
}

/// The words of lowercased text: letters and digits, with hyphens inside.
fn split_words(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|word| !word.is_empty())
        .map(|word| word.trim_matches('-'))
}

fn month(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, month)| *month)
}

/// `18th`, `1er`, `14` → the day of the month.
fn day_number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_alphabetic());
    let suffix = &word[digits.len()..];
    if !matches!(
        suffix,
        "" | "st" | "nd" | "rd" | "th" | "er" | "e" | "o" | "º"
    ) {
        return None;
    }
    digits.parse().ok().filter(|day| (1..=31).contains(day))
}

/// A date written with a month's name: `May 16, 2024`, `Nov. 18`,
/// `14. September`, `18th October 2025`, `5 de março de 2025`, or a day
/// written day-first (`27/02/2025`, `15.09.2025`).
pub fn named_date(text: &str, base: NaiveDate) -> Option<NaiveDate> {
    day_first(text, base).or_else(|| named_dates(text, base).into_iter().next())
}

/// Every date written with a month's name in `text`, in order.
pub fn named_dates(text: &str, base: NaiveDate) -> Vec<NaiveDate> {
    let mut found = Vec::new();
    // A day is written in ASCII digits (see `day_number`): most blocks of
    // prose have none, and need no lowercasing and splitting into words.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return found;
    }
    let words = words(text);
    for (index, word) in words.iter().enumerate() {
        let Some(month) = month(word) else {
            continue;
        };
        let after: Vec<&String> = words[index + 1..]
            .iter()
            .filter(|w| *w != "de")
            .take(2)
            .collect();
        let before = index.checked_sub(1).map(|i| &words[i]);
        let before = match before {
            Some(w) if w == "de" => index.checked_sub(2).map(|i| &words[i]),
            other => other,
        };
        let year_word = |w: Option<&&String>| {
            w.and_then(|w| w.parse::<i32>().ok())
                .filter(|y| (1970..=2200).contains(y))
        };
        let (day, year) = if let Some(day) = after.first().and_then(|w| day_number(w)) {
            (day, year_word(after.get(1)))
        } else if let Some(day) = before.and_then(|w| day_number(w)) {
            (day, year_word(after.first()))
        } else {
            continue;
        };
        found.extend(match year {
            Some(year) => NaiveDate::from_ymd_opt(year, month, day),
            None => in_year_of(base, month, day),
        });
    }
    found
}

/// `27/02/2025`, `15.09.2025`, `16-09-2017`: day first, as written
/// outside the US; a slash date whose day could be a month is read only
/// near the note's day.
fn day_first(text: &str, base: NaiveDate) -> Option<NaiveDate> {
    // Digits, ASCII or full-width, or no date at all.
    if !has_digit(text) {
        return None;
    }
    let chars: Vec<char> = text.chars().map(fold).collect();
    for start in 0..chars.len() {
        if start > 0 && chars[start - 1].is_ascii_digit() {
            continue;
        }
        let Some((day, day_len)) = number(&chars[start..], 2) else {
            continue;
        };
        let rest = &chars[start + day_len..];
        let Some(&separator) = rest.first().filter(|c| matches!(c, '/' | '.' | '-')) else {
            continue;
        };
        let Some((month, month_len)) = number(&rest[1..], 2) else {
            continue;
        };
        let rest = &rest[1 + month_len..];
        if rest.first() != Some(&separator) {
            continue;
        }
        let Some((year, 4)) = number(&rest[1..], 4) else {
            continue;
        };
        // A dashed date is day first (`09-03-2017`, as written in Europe
        // and Latin America); the US writes slashes.
        if separator == '/' && day <= 12 && month <= 12 && day != month {
            // 02/03/2025: March 2 or February 3; the reading near the
            // note's day, when only one is.
            let near = |date: &Option<NaiveDate>| {
                date.is_some_and(|date| (date - base).num_days().abs() <= 92)
            };
            let readings = [
                NaiveDate::from_ymd_opt(year as i32, month, day),
                NaiveDate::from_ymd_opt(year as i32, day, month),
            ];
            // Both near (`06/05/2020` in a column after `05/05/2020`): the
            // one a week or less away, when the other is not.
            let days = |date: &Option<NaiveDate>| date.map(|date| (date - base).num_days().abs());
            return match readings.map(|reading| near(&reading)) {
                [true, false] => readings[0],
                [false, true] => readings[1],
                [true, true] => match readings.map(|reading| days(&reading)) {
                    [Some(a), Some(b)] if a <= 7 && b > 7 => readings[0],
                    [Some(a), Some(b)] if b <= 7 && a > 7 => readings[1],
                    _ => None,
                },
                _ => None,
            };
        }
        return NaiveDate::from_ymd_opt(year as i32, month, day);
    }
    None
}

fn in_year_of(base: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let candidate = NaiveDate::from_ymd_opt(base.year(), month, day)?;
    // A day more than half a year before the note's day is next year's.
    if (base - candidate).num_days() > 183 {
        return NaiveDate::from_ymd_opt(base.year() + 1, month, day);
    }
    Some(candidate)
}

/// The date a heading names, if it names one. `base` is the note's agenda day:
/// it supplies the year when the heading has none, and a month well before it
/// (a December event with a January day) means the next year.
pub fn heading_date(text: &str, base: NaiveDate) -> Option<NaiveDate> {
    let chars = date_chars(text);
    let mut index = 0;
    while index < chars.len() {
        let preceded_by_digit = index > 0 && chars[index - 1].is_ascii_digit();
        if chars[index].is_ascii_digit()
            && !preceded_by_digit
            && let Some(date) = date_at(&chars[index..], base)
        {
            return Some(date);
        }
        index += 1;
    }
    None
}

/// Every date written with numbers in `text` (`12月11日`, `2019/12/07`,
/// `24/08`), in order: the dates prose names besides those with a month's
/// name.
pub fn numeric_dates(text: &str, base: NaiveDate) -> Vec<NaiveDate> {
    let mut found = Vec::new();
    if !has_digit(text) {
        return found;
    }
    let chars = date_chars(text);
    for index in 0..chars.len() {
        let preceded_by_digit = index > 0 && chars[index - 1].is_ascii_digit();
        if chars[index].is_ascii_digit()
            && !preceded_by_digit
            && let Some(date) = date_at(&chars[index..], base)
        {
            found.push(date);
        }
    }
    found
}

/// The text's characters for reading numeric dates: full-width digits
/// folded, Korean `2015년 11월 12일` read as `2015年11月12日` (the spaces
/// after its year and month dropped).
fn date_chars(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars().map(fold) {
        let c = match c {
            '년' => '年',
            '월' => '月',
            '일' => '日',
            c => c,
        };
        if c == ' ' && matches!(chars.last(), Some('年' | '月')) {
            continue;
        }
        chars.push(c);
    }
    chars
}

/// Whether `text` has a digit, ASCII or full-width (`０`–`９`, which
/// `fold` reads as ASCII): every date written with numbers has one.
pub fn has_digit(text: &str) -> bool {
    // U+FF10–U+FF19 are EF BC 90–99 in UTF-8.
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(at, &b)| {
        b.is_ascii_digit()
            || b == 0xEF
                && bytes.get(at + 1) == Some(&0xBC)
                && bytes.get(at + 2).is_some_and(|b| (0x90..=0x99).contains(b))
    })
}

fn fold(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '／' => '/',
        '－' => '-',
        c => c,
    }
}

fn number(chars: &[char], max_len: usize) -> Option<(u32, usize)> {
    let len = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if len == 0 || len > max_len {
        return None;
    }
    let value = chars[..len]
        .iter()
        .fold(0, |acc, c| acc * 10 + c.to_digit(10).unwrap_or(0));
    Some((value, len))
}

fn date_at(chars: &[char], base: NaiveDate) -> Option<NaiveDate> {
    let (first, len) = number(chars, 4)?;
    let rest = &chars[len..];
    if len == 4 {
        // 2019-12-07, 2019/12/07, 2019.12.07, 2019年12月7日
        let separator = *rest.first()?;
        if !matches!(separator, '-' | '/' | '.' | '年') {
            return None;
        }
        let (month, month_len) = number(&rest[1..], 2)?;
        let rest = &rest[1 + month_len..];
        let expected = match separator {
            '年' => '月',
            other => other,
        };
        if rest.first() != Some(&expected) {
            return None;
        }
        let (day, day_len) = number(&rest[1..], 2)?;
        let after = rest.get(1 + day_len);
        if after.is_some_and(|c| c.is_ascii_digit()) || (separator == '年' && after != Some(&'日'))
        {
            return None;
        }
        return NaiveDate::from_ymd_opt(first as i32, month, day);
    }
    if len > 2 {
        return None;
    }
    // 12/8, 12月8日
    // `12/8` needs nothing after the day; `12月8日` needs its 日.
    let closing = match rest.first()? {
        '/' => None,
        '月' => Some('日'),
        _ => return None,
    };
    let (day, day_len) = number(&rest[1..], 2)?;
    let after = rest.get(1 + day_len);
    match closing {
        Some(closing) if after != Some(&closing) => return None,
        // `12/8/2019` or `1/2.3` are not month/day.
        None if after.is_some_and(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | ':')) => {
            return None;
        }
        _ => {}
    }
    // `24/08` cannot be month first: it is day first, as written outside
    // the US.
    if closing.is_some() {
        return in_year_of(base, first, day);
    }
    if first > 12 {
        return in_year_of(base, day, first);
    }
    // `12/02` is 2 December or 12 February: the reading nearer the note's
    // day, month first when they are as near.
    let distance = |date: &NaiveDate| (*date - base).num_days().abs();
    match (in_year_of(base, first, day), in_year_of(base, day, first)) {
        (Some(month_first), Some(day_first)) if distance(&day_first) < distance(&month_first) => {
            Some(day_first)
        }
        (Some(month_first), _) => Some(month_first),
        (None, day_first) => day_first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn digits_ascii_and_full_width() {
        assert!(has_digit("Day 2"));
        assert!(has_digit("４月５日"));
        assert!(has_digit("１９時"));
        assert!(!has_digit("運用の分析で学習した話"));
        assert!(!has_digit("Ｚ ｚ ＠"));
        // `４月５日` has no `０`, `１` or `２`: still read as a date.
        assert_eq!(
            numeric_dates("４月５日", ymd(2024, 1, 1)),
            vec![ymd(2024, 4, 5)]
        );
        assert_eq!(heading_day("Freitag", ymd(2024, 5, 6), false), None);
        assert_eq!(
            heading_day("Freitag", ymd(2024, 5, 6), true),
            Some(ymd(2024, 5, 10))
        );
    }

    #[test]
    fn every_documented_day_heading() {
        let base = ymd(2019, 12, 7);
        assert_eq!(heading_date("2019-12-07", base), Some(ymd(2019, 12, 7)));
        assert_eq!(heading_date("Day 2 (12/8)", base), Some(ymd(2019, 12, 8)));
        assert_eq!(heading_date("12月8日", base), Some(ymd(2019, 12, 8)));
        assert_eq!(heading_date("12月8日（日）", base), Some(ymd(2019, 12, 8)));
        assert_eq!(
            heading_date("２０１９年１２月８日", base),
            Some(ymd(2019, 12, 8))
        );
        assert_eq!(
            heading_date("DAY 1 — 2019/12/07 (Sat)", base),
            Some(ymd(2019, 12, 7))
        );
    }

    #[test]
    fn spans_of_days() {
        let base = ymd(2024, 5, 2);
        let span = Some((ymd(2024, 6, 13), ymd(2024, 6, 15)));
        for text in [
            "Sprint, 13–15 June 2024",
            "June 13–15, 2024",
            "June 13 to June 15, 2024",
            "from June 13 to June 15",
            "Thursday 13 – Saturday 15 June 2024",
            "13.–15. Juni 2024",
            "du 13 au 15 juin 2024",
            "2024-06-13 – 2024-06-15",
            "2024-06-13 - 2024-06-15",
            "6月13日〜15日",
            "13-15 June",
        ] {
            assert_eq!(date_span(text, base), span, "{text}");
        }
        for text in [
            "Day 1 – June 13",
            "10:00-12:00 June 13",
            "June 13",
            "June 13 – July 30",
            "Release 1.2-1.5",
            "2024-06-13",
            "5月27日(木) と5月28日(金)",
        ] {
            assert_eq!(date_span(text, base), None, "{text}");
        }
    }

    #[test]
    fn the_first_date_written_with_its_year() {
        assert_eq!(
            first_full_date("Intro\n\n日時: 2019年11月26日(火) 19:00〜\n"),
            Some(ymd(2019, 11, 26))
        );
        assert_eq!(
            first_full_date("On 12/8 we met.\nWhen: Thursday, May 16, 2024\n"),
            Some(ymd(2024, 5, 16))
        );
        assert_eq!(
            first_full_date("```\n2019-01-01\n```\nNov. 18 only\n"),
            None
        );
    }

    #[test]
    fn day_counts_weekdays_with_numbers_and_dashed_dates() {
        let base = ymd(2024, 5, 6); // a Monday
        assert_eq!(
            heading_day("Day 2: Basics", base, false),
            Some(ymd(2024, 5, 7))
        );
        assert_eq!(heading_day("Tuesday 7", base, false), Some(ymd(2024, 5, 7)));
        assert_eq!(
            heading_day("Thursday 9", base, false),
            Some(ymd(2024, 5, 9))
        );
        // A weekday alone needs the event's own day.
        assert_eq!(heading_day("Tuesday", base, false), None);
        assert_eq!(heading_day("Tuesday", base, true), Some(ymd(2024, 5, 7)));
        assert_eq!(
            heading_day("16-09-2017 - 23o Encontro", ymd(2017, 9, 1), false),
            Some(ymd(2017, 9, 16))
        );
        assert_eq!(
            heading_day("Release 2017-09-16", base, false),
            Some(ymd(2017, 9, 16))
        );
    }

    #[test]
    fn korean_dates() {
        let base = ymd(2015, 11, 1);
        assert_eq!(
            heading_date("2015년 11월 12일 목요일", base),
            Some(ymd(2015, 11, 12))
        );
        assert_eq!(heading_date("11월 12일", base), Some(ymd(2015, 11, 12)));
    }

    #[test]
    fn january_after_a_december_event_is_next_year() {
        assert_eq!(
            heading_date("1/2", ymd(2019, 12, 30)),
            Some(ymd(2020, 1, 2))
        );
    }

    #[test]
    fn headings_without_a_date() {
        let base = ymd(2019, 12, 7);
        for text in [
            "Day 2",
            "懇親会",
            "Version 1.2.3",
            "Ratio 16:9",
            "13/45",
            "2019 plans",
            "v12/8/2019",
        ] {
            assert_eq!(heading_date(text, base), None, "{text}");
        }
    }
}
