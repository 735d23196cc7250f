//! What a single line says: labels of times and ends, words of evenings,
//! minutes, routines and examples, zone stamps, and the shapes of titles
//! around a time.

use super::{case, clock, day};

/// Whether a note speaks of an evening: a pm, or words for evening, night,
/// dinner, drinks or doors opening, in the languages whose notes write a
/// twelve-hour clock without its meridiem.
pub(super) fn evening(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "pm",
        "p.m",
        "evening",
        "tonight",
        "night",
        "doors",
        "dinner",
        "drinks",
        "beer",
        "beers",
        "pizza",
        "afterwork",
        "abend",
        "abends",
        "soir",
        "soirée",
        "noche",
        "noite",
        "wieczór",
        "вечер",
        "вечером",
    ];
    if text.contains('夜') || text.contains('晚') || text.contains("저녁") {
        return true;
    }
    text.split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map(|word| case::lower(word.trim_end_matches('.')))
        .any(|word| {
            WORDS.contains(&&*word)
                // `6:30pm`, `7pm`: a time with its meridiem.
                || word
                    .strip_suffix("pm")
                    .is_some_and(|time| time.starts_with(|c: char| c.is_ascii_digit()))
        })
}

/// `## Welcome remarks (~6:40pm)`: a heading whose parentheses hold only a
/// time (`~` or `ca.` before it allowed) is a slot titled by the rest.
pub(super) fn paren_time(text: &str) -> Option<(clock::Lead, String)> {
    let line = text.split('\n').next()?;
    let open = line.find('(')?;
    let close = open + line[open..].find(')')?;
    let inner = line[open + 1..close]
        .trim()
        .trim_start_matches(['~', '≈', '～', '〜'])
        .trim_start_matches("ca.")
        .trim();
    let lead =
        clock::lead(inner).filter(|lead| !lead.loose && inner[lead.rest..].trim().is_empty())?;
    let title = format!("{} {}", line[..open].trim(), line[close + 1..].trim());
    Some((lead, title.trim().to_string()))
}

/// The time range of a labelled date line, after its date
/// (`日時: 2025年9月16日（火）19:30～20:30`).
/// Labels of a line giving the event's time (`**🕕 godzina:** 18:00`).
pub(super) const TIME_LABELS: &[&str] = &[
    "time",
    "godzina",
    "uhrzeit",
    "zeit",
    "heure",
    "horaire",
    "hora",
    "horário",
    "horario",
    "waktu",
    "pukul",
    "時間",
    "時刻",
    "时间",
    "시간",
    "время",
    "tid",
    "kl",
    "start",
    "beginn",
    "開始",
    "開演",
    "start time",
    "starts",
    "begin",
    "horário de início",
    "horario de inicio",
    "hora de inicio",
    "hora de início",
    "início",
    "inicio",
    "heure de début",
    "開始時間",
    "开始时间",
];

/// Labels of the line giving the event's end (`Horário de Término: 18:00h`).
pub(super) const END_LABELS: &[&str] = &[
    "end",
    "end time",
    "ends",
    "ende",
    "fim",
    "fin",
    "horário de término",
    "horário de termino",
    "horario de termino",
    "hora de fin",
    "hora de término",
    "heure de fin",
    "終了時間",
    "结束时间",
];

/// The time of a labelled end line, else `None`.
pub(super) fn labelled_end(line: &str) -> Option<clock::Lead> {
    labelled_with(line, END_LABELS)
}

/// Whether `text` is one of the labels of a time line (`Hora`, `时间`).
pub(super) fn is_time_label(text: &str) -> bool {
    day::is_label(text, TIME_LABELS)
}

/// The time of a labelled time line, else `None`.
pub(super) fn labelled_time(line: &str) -> Option<clock::Lead> {
    labelled_with(line, TIME_LABELS)
}

/// The time after one of `labels` and a colon.
pub(super) fn labelled_with(line: &str, labels: &[&str]) -> Option<clock::Lead> {
    let line = day::as_labelled(line);
    let line = line.trim().trim_start_matches(['*', '_', '#', ' ', '-']);
    let colon = line.find([':', '：'])?;
    let label: String = line[..colon]
        .trim_end_matches(['*', '_'])
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>();
    let label = case::lower(label.trim());
    if !labels.contains(&&*label) {
        return None;
    }
    let value = line[colon..].trim_start_matches([':', '：', '*', '_', ' ']);
    clock::lead(value).filter(|lead| !lead.loose && !lead.seconds)
}

pub(super) fn labelled_range(line: &str) -> Option<clock::Lead> {
    let mut previous_digit = false;
    for (at, c) in line.char_indices() {
        let digit = c.is_ascii_digit() || ('０'..='９').contains(&c);
        if digit
            && !previous_digit
            && let Some(lead) = clock::lead(&line[at..]).filter(|l| l.end.is_some() && !l.loose)
        {
            return Some(lead);
        }
        previous_digit = digit;
    }
    None
}

/// `환영사 - 15:00 ~ 15:10 (10)`: the title, and the range that ends the
/// line after a dash or colon (a duration in parentheses may follow).
pub(super) fn title_then_range(line: &str) -> Option<(String, clock::Lead)> {
    if line.chars().count() > 120 || !line.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    for (at, _) in line.match_indices([' ', '\u{a0}']) {
        let rest = line[at..].trim_start();
        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let Some(lead) = clock::lead(rest).filter(|lead| lead.end.is_some() && !lead.loose) else {
            continue;
        };
        let after = rest[lead.rest..].trim();
        let tail_ok = after.is_empty()
            || (after.starts_with('(') && after.ends_with(')') && after.chars().count() <= 16);
        let title = line[..at].trim_end();
        let Some(title) = title
            .strip_suffix(['-', '–', '—', ':', '|', '：'])
            .map(str::trim_end)
        else {
            continue;
        };
        if tail_ok && !title.is_empty() {
            return Some((title.to_string(), lead));
        }
    }
    None
}

pub(super) fn fold_title(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `タイトル: Talk`, `Title: Talk` → `Talk`.
pub(super) fn strip_title_label(line: &str) -> &str {
    const LABELS: &[&str] = &[
        "タイトル",
        "title",
        "titel",
        "titre",
        "título",
        "演題",
        "題目",
        "标题",
        "제목",
    ];
    if let Some(at) = line.find([':', '：']) {
        let label = case::lower(line[..at].trim().trim_matches(['*', '_']));
        if LABELS.contains(&&*label) {
            let colon = line[at..].chars().next().map_or(1, char::len_utf8);
            return line[at + colon..]
                .trim()
                .trim_start_matches(['*', '_'])
                .trim();
        }
    }
    line
}

/// A title that is a time zone's abbreviation alone or before a colon
/// (`UTC:`, `GMT: alarms fired`).
pub(super) fn is_zone_stamp(title: &str) -> bool {
    const ZONES: &[&str] = &[
        "UTC", "GMT", "Z", "CET", "CEST", "EET", "EEST", "WET", "WEST", "BST", "IST", "JST", "KST",
        "PST", "PDT", "MST", "MDT", "CST", "CDT", "EST", "EDT", "AEST", "AEDT", "HKT", "SGT",
    ];
    let word = title.split([':', ' ', '\u{a0}']).next().unwrap_or("");
    let rest = title[word.len()..].trim_start();
    // `12:00 UTC deploy window moved`: universal time is a log's clock,
    // whatever follows; a local zone only alone.
    ZONES.contains(&word)
        && (rest.is_empty() || rest.starts_with(':') || matches!(word, "UTC" | "GMT"))
}

/// `周六  08:20-8:50  入场报到`: a line opening with a weekday and then a
/// time, as a table pasted as lines writes the day's first row; the rest.
pub(super) fn without_weekday(line: &str) -> &str {
    let trimmed = line.trim_start();
    let word_end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
    let (word, rest) = trimmed.split_at(word_end);
    match day::weekday_in_prose(word).is_some() && word.chars().count() <= 12 {
        true => rest.trim_start(),
        false => line,
    }
}

/// `## Logistics`, `### Transporte`, `## Anreise`: a section of practical
/// times (buses, catering, setup), not of the programme.
pub(super) fn is_logistics(text: &str) -> bool {
    const HEADINGS: &[&str] = &[
        "logistics",
        "logistic notes",
        "notas logísticas",
        "logística",
        "logistik",
        "logistique",
        "transport",
        "transporte",
        "transportation",
        "getting there",
        "how to get there",
        "anreise",
        "accès",
        "como chegar",
        "cómo llegar",
        "アクセス",
        "交通",
    ];
    is_heading(text, HEADINGS)
}

/// `📅 Publicado: 7 de março de 2019`, `Posted on …`, `投稿日: …`: a line
/// dating the post itself.
pub(super) fn is_publication_line(text: &str) -> bool {
    const LABELS: &[&str] = &[
        "published",
        "posted",
        "publicado",
        "publicada",
        "publié",
        "veröffentlicht",
        "opublikowano",
        "updated",
        "last updated",
        "aktualisiert",
        "atualizado",
        "投稿日",
        "公開日",
        "更新日",
        "发布于",
        "发布时间",
    ];
    let lower = case::lower(text.trim_start_matches(|c: char| !c.is_alphanumeric()));
    LABELS.iter().any(|label| {
        lower
            .strip_prefix(label)
            .is_some_and(|rest| rest.starts_with([':', '：', ' ', '*']))
    })
}

/// `## Agenda`, `### Programme`, `## タイムテーブル`: a heading over the
/// agenda itself.
pub(super) fn is_agenda_heading(text: &str) -> bool {
    const HEADINGS: &[&str] = &[
        "agenda",
        "schedule",
        "programme",
        "program",
        "timetable",
        "programm",
        "ablauf",
        "tagesordnung",
        "zeitplan",
        "horaires",
        "déroulé",
        "programa",
        "programação",
        "cronograma",
        "jadwal",
        "susunan acara",
        "rundown",
        "harmonogram",
        "program spotkania",
        "программа",
        "расписание",
        "programma",
        "tidsplan",
        "タイムテーブル",
        "スケジュール",
        "プログラム",
        "当日の流れ",
        "议程",
        "日程",
        "流程",
        "일정",
        "프로그램",
        "시간표",
    ];
    let lower = case::lower(
        text.trim_start_matches(|c: char| !c.is_alphanumeric())
            .trim_end_matches([':', '：'])
            .trim(),
    );
    HEADINGS.contains(&&*lower)
}

/// `## Samstag 28.03.2026 ab 14:00 Uhr`, `### Segunda-feira, 03 de setembro
/// de 2018, **16h**`: the time a day heading gives after its date, the
/// event's start. A bare `16h` counts here, where the date says it is a
/// time; a year (`2018`) does not, and a date's numbers read as no time.
pub(super) fn time_after_date(text: &str) -> Option<clock::Lead> {
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        let starts_word = previous.is_whitespace() || matches!(previous, ',' | '*' | '(' | '|');
        previous = c;
        if !starts_word || !c.is_alphanumeric() {
            continue;
        }
        let year = text[at..].chars().take_while(char::is_ascii_digit).count() == 4;
        if let Some(lead) = clock::lead(&text[at..])
            && !lead.seconds
            && !year
        {
            return Some(lead);
        }
    }
    None
}

/// Minutes of a meeting (`Meeting minutes`, `Protokoll`, `議事録`,
/// `会议纪要`, `Compte rendu`, `Acta`): a record of one held.
pub(super) fn is_minutes(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "meeting minutes",
        "minutes of",
        "protokoll",
        "compte rendu",
        "compte-rendu",
        "acta de",
        "ata da",
        "ata de",
        "notulen",
        "protokół",
        "протокол",
        "議事録",
        "议事录",
        "纪要",
        "회의록",
        "notula",
    ];
    let lower = case::lower(text);
    // `Minutes, 12 May`, not `10 minutes break`.
    lower.trim_start_matches(['#', ' ']).starts_with("minutes")
        || WORDS.iter().any(|word| lower.contains(word))
}

/// `### All days`, `## Täglich`, `毎日`: a heading over what happens every
/// day of an event, which is no day's own agenda.
pub(super) fn is_every_day(text: &str) -> bool {
    const HEADINGS: &[&str] = &[
        "all days",
        "every day",
        "each day",
        "daily",
        "täglich",
        "jeden tag",
        "alle tage",
        "tous les jours",
        "chaque jour",
        "todos los días",
        "todos los dias",
        "cada día",
        "todos os dias",
        "codziennie",
        "każdego dnia",
        "каждый день",
        "ежедневно",
        "毎日",
        "每天",
        "每日",
        "매일",
        "setiap hari",
    ];
    is_heading(text, HEADINGS)
}

/// Prose that introduces an agenda as typical or as an example.
pub(super) fn is_sample_prose(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "typical",
        "typically",
        "usually",
        "for example",
        "an example",
        "sample agenda",
        "recommend",
        "suggested",
        "template",
        "typischerweise",
        "in der regel",
        "zum beispiel",
        "normalement",
        "habituellement",
        "par exemple",
        "por ejemplo",
        "normalmente",
        "por exemplo",
        "zazwyczaj",
        "biasanya",
        "通常",
        "例えば",
        "いつもの",
        "例:",
        "обычно",
        "например",
        "一般",
        "보통",
    ];
    let lower = case::lower(text);
    WORDS.iter().any(|word| lower.contains(word))
}

/// `Title {#anchor}` → (`Title`, `anchor`).
pub(super) fn trailing_anchor(title: &str) -> Option<(String, String)> {
    let open = title.rfind("{#")?;
    let inner = title[open + 2..].strip_suffix('}')?;
    let valid = !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    valid.then(|| (title[..open].trim_end().to_string(), inner.to_string()))
}

/// Whether a heading is one of `headings`, lowercased, its closing colon
/// aside (`Logistics:`, `毎日：`).
fn is_heading(text: &str, headings: &[&str]) -> bool {
    headings.contains(&&*case::lower(text.trim().trim_end_matches([':', '：'])))
}
