//! Headings that name a day (`# 2019-12-07`, `## Day 2 (12/8)`, `## 12月8日`):
//! they set the date of the slots below them in a multi-day agenda.

use chrono::{Datelike, NaiveDate};

/// The date a heading names, if it names one. `base` is the note's agenda day:
/// it supplies the year when the heading has none, and a month well before it
/// (a December event with a January day) means the next year.
pub fn heading_date(text: &str, base: NaiveDate) -> Option<NaiveDate> {
    let chars: Vec<char> = text.chars().map(fold).collect();
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
    let month = first;
    let candidate = NaiveDate::from_ymd_opt(base.year(), month, day)?;
    // A day more than half a year before the note's day is next year's.
    if (base - candidate).num_days() > 183 {
        return NaiveDate::from_ymd_opt(base.year() + 1, month, day);
    }
    Some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
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
