//! Speaker lines: `高木 克彰(@tkgtransit) ◆ ヤフー株式会社`, `Speaker: Name`.

use crate::model::Speaker;

/// Labels that introduce a speaker on a line of its own.
const LABELS: &[&str] = &[
    "speaker",
    "speakers",
    "presenter",
    "presenters",
    "登壇者",
    "発表者",
    "講演者",
    "スピーカー",
    "講師",
    "by",
    "referent",
    "referentin",
    "intervenant",
    "intervenante",
    "palestrante",
    "ponente",
    "pembicara",
    "prelegent",
    "演讲者",
    "讲者",
    "발표자",
    "докладчик",
    "спикер",
];

/// Reads `Name(@handle) ◆ Affiliation`; `◆` separates person and affiliation.
pub fn parse(text: &str) -> Speaker {
    let text = text.trim();
    let (person, affiliation) = match text.split_once('◆') {
        Some((person, affiliation)) => (person.trim(), Some(affiliation.trim())),
        None => (text, None),
    };
    let (name, handle) = split_handle(person);
    Speaker {
        name,
        handle,
        affiliation: affiliation.filter(|a| !a.is_empty()).map(str::to_string),
    }
}

/// `Hélène Vautrin (Université de l'Aber)` on a line of its own under a
/// title: a person and their affiliation, else `None`.
pub fn affiliated(line: &str) -> Option<Speaker> {
    let line = line.split('\n').next()?.trim();
    let (name, rest) = line.split_once(['(', '（'])?;
    let affiliation = rest.strip_suffix([')', '）'])?.trim();
    let name = name.trim();
    let words = name.split_whitespace().count();
    // Two to four words, each capitalised: a name, not a phrase.
    let named = (2..=4).contains(&words)
        && name
            .split_whitespace()
            .all(|word| word.chars().next().is_some_and(char::is_uppercase));
    (named && !affiliation.is_empty()).then(|| Speaker {
        name: name.to_string(),
        handle: None,
        affiliation: Some(affiliation.to_string()),
    })
}

/// `Speaker: Name ◆ Org` or `登壇者：Name`, else `None`.
pub fn from_labelled_line(text: &str) -> Option<Speaker> {
    let first_line = text.trim().lines().next()?;
    // The colon ends a label of a few characters: look no further (every
    // bullet of every slot comes here), and search bytes, not characters.
    let mut end = first_line.len().min(LABEL_BYTES);
    while !first_line.is_char_boundary(end) {
        end -= 1;
    }
    let head = &first_line[..end];
    let (at, colon) = [':', '：']
        .into_iter()
        .filter_map(|colon| head.find(colon).map(|at| (at, colon)))
        .min()?;
    let (label, rest) = (&first_line[..at], &first_line[at + colon.len_utf8()..]);
    let label = label.trim();
    // The labels are ASCII or have no case.
    if !LABELS.iter().any(|known| known.eq_ignore_ascii_case(label)) || rest.trim().is_empty() {
        return None;
    }
    Some(parse(rest))
}

/// How far into a line (in bytes) its label's colon may be: the longest
/// label and room for spaces around it.
const LABEL_BYTES: usize = 48;

/// `太田佳敬(@ota42y)` → (`太田佳敬`, `ota42y`); full-width parentheses too.
fn split_handle(person: &str) -> (String, Option<String>) {
    for (open, close) in [("(@", ')'), ("（@", '）'), ("（＠", '）'), ("(＠", ')')] {
        if let Some(start) = person.find(open) {
            let after = &person[start + open.len()..];
            if let Some(end) = after.find(close) {
                let handle = after[..end].trim();
                let rest = format!("{}{}", &person[..start], &after[end + close.len_utf8()..]);
                let name = rest.split_whitespace().collect::<Vec<_>>().join(" ");
                if !handle.is_empty() {
                    return (name, Some(handle.to_string()));
                }
            }
        }
    }
    // `Name @handle`
    let words: Vec<&str> = person.split_whitespace().collect();
    if let Some(position) = words.iter().position(|w| w.len() > 1 && w.starts_with('@')) {
        let handle = words[position][1..].to_string();
        let name: Vec<&str> = words
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != position)
            .map(|(_, w)| *w)
            .collect();
        return (name.join(" "), Some(handle));
    }
    (person.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn house_format_with_handle_and_affiliation() {
        let speaker = parse("高木 克彰(@tkgtransit) ◆ ヤフー株式会社");
        assert_eq!(speaker.name, "高木 克彰");
        assert_eq!(speaker.handle.as_deref(), Some("tkgtransit"));
        assert_eq!(speaker.affiliation.as_deref(), Some("ヤフー株式会社"));
    }

    #[test]
    fn without_handle_or_affiliation() {
        let speaker = parse("鶴田貴大 ◆ サイボウズ株式会社");
        assert_eq!(speaker.name, "鶴田貴大");
        assert_eq!(speaker.handle, None);
        assert_eq!(parse("Jane Doe").affiliation, None);
        assert_eq!(parse("Jane Doe @jdoe").handle.as_deref(), Some("jdoe"));
        assert_eq!(parse("山田（@yamada）").handle.as_deref(), Some("yamada"));
    }

    #[test]
    fn labelled_lines() {
        assert_eq!(
            from_labelled_line("Speaker: Jane Doe ◆ ACME").unwrap().name,
            "Jane Doe"
        );
        assert_eq!(from_labelled_line("登壇者：山田").unwrap().name, "山田");
        assert!(from_labelled_line("Note: bring a laptop").is_none());
        assert!(from_labelled_line("Speaker:").is_none());
    }
}
