//! Times of day at the start of a line: `19:00`, `１９：００`, `19時30分`,
//! `7:30 p.m.`, and ranges joined by `-`, `–`, `—`, `〜`, `～`, `~` or `to`.

/// Minutes since midnight; 24:00 (1440) is allowed as an end.
pub type Minutes = u32;

/// A time or range found at the start of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lead {
    pub start: Minutes,
    pub end: Option<Minutes>,
    /// Byte offset in the original text where the title begins.
    pub rest: usize,
    /// The time was written to the second (`14:12:40`): a log's timestamp,
    /// never a planned slot's.
    pub seconds: bool,
    /// A lone start written `9.30` or `8h`, without a range: a version, a
    /// score or a duration as often as a time, so only a time column or a
    /// `Kl.` before it makes it one.
    pub loose: bool,
    /// The start is a one-digit hour with minutes and no am or pm (`6:30`),
    /// the way a twelve-hour clock is written without its meridiem; a
    /// 24-hour morning is as often written `06:30`.
    pub bare: bool,
    /// The start was written with am or pm (`2:00 pm`): an afternoon so
    /// written is no sign of a 24-hour clock.
    pub meridiem: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

/// What follows an hour.
struct MinutePart {
    minute: Option<u32>,
    /// Written to the second (`14:12:40`).
    seconds: bool,
    /// Written `9.30` or `8h`.
    loose: bool,
}

#[derive(Debug, Clone, Copy)]
struct Time {
    hour: u32,
    minute: u32,
    meridiem: Option<Meridiem>,
    seconds: bool,
    /// Written `9.30` or `8h`, not `9:30` or `8h30`.
    loose: bool,
    /// Written `1200`.
    compact: bool,
    /// A one-digit hour with `:` minutes and no meridiem (`6:30`).
    bare: bool,
}

impl Time {
    /// `noon`, or the bare `17` of `17-18h`: the hour, as written plainly.
    fn on_the_hour(hour: u32) -> Self {
        Self {
            hour,
            minute: 0,
            meridiem: None,
            seconds: false,
            loose: false,
            compact: false,
            bare: false,
        }
    }

    /// Written `1200`: loose even in a range (`2010-2015` is years).
    fn compact(self) -> bool {
        self.compact
    }

    fn minutes(self, meridiem: Option<Meridiem>) -> Option<Minutes> {
        let hour = match meridiem {
            None if self.hour <= 24 => self.hour,
            Some(_) if !(1..=12).contains(&self.hour) => return None,
            Some(Meridiem::Am) => self.hour % 12,
            Some(Meridiem::Pm) => self.hour % 12 + 12,
            None => return None,
        };
        let minutes = hour * 60 + self.minute;
        (minutes <= 24 * 60).then_some(minutes)
    }
}

/// Folds full-width digits and colon to ASCII (both forms are in real notes).
fn fold(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '：' => ':',
        'ａ'..='ｚ' => char::from_u32(c as u32 - 'ａ' as u32 + 'a' as u32).unwrap_or(c),
        'Ａ'..='Ｚ' => char::from_u32(c as u32 - 'Ａ' as u32 + 'a' as u32).unwrap_or(c),
        c => c.to_ascii_lowercase(),
    }
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{3000}' || c == '\u{a0}'
}

/// A cursor over the folded characters of a text, keeping byte offsets.
struct Cursor<'a> {
    chars: Vec<(usize, char)>,
    pos: usize,
    text: &'a str,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        // Only the head of a line can hold its time; do not fold a whole paragraph.
        let chars = text
            .char_indices()
            .take(48)
            .map(|(i, c)| (i, fold(c)))
            .collect();
        Self {
            chars,
            pos: 0,
            text,
        }
    }

    fn peek(&self) -> Option<char> {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).map(|&(_, c)| c)
    }

    fn offset(&self) -> usize {
        self.chars
            .get(self.pos)
            .map_or(self.text.len(), |&(i, _)| i)
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    fn digits(&mut self, max: usize) -> Option<(u32, usize)> {
        let mut value = 0;
        let mut count = 0;
        while count < max {
            match self.peek().and_then(|c| c.to_digit(10)) {
                Some(d) => {
                    value = value * 10 + d;
                    count += 1;
                    self.pos += 1;
                }
                None => break,
            }
        }
        (count > 0).then_some((value, count))
    }

    fn eat(&mut self, word: &str) -> bool {
        let matches = word
            .chars()
            .enumerate()
            .all(|(i, w)| self.peek_at(i) == Some(w));
        if matches {
            self.pos += word.chars().count();
        }
        matches
    }

    /// `am`, `pm`, `a.m.`, `p.m.`, right after the time or after one plain
    /// space, not followed by a letter. A tab or wider gap separates the
    /// title (`## 08:00<TAB>PM office hours` is a morning slot).
    fn meridiem(&mut self) -> Option<Meridiem> {
        let saved = self.pos;
        if self.peek() == Some(' ') {
            self.pos += 1;
        }
        for (word, meridiem) in [
            ("a.m.", Meridiem::Am),
            ("p.m.", Meridiem::Pm),
            ("am", Meridiem::Am),
            ("pm", Meridiem::Pm),
        ] {
            if self.eat(word) {
                if self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
                    break;
                }
                return Some(meridiem);
            }
        }
        self.pos = saved;
        None
    }

    /// One time of day; on failure the cursor is where it started.
    fn time(&mut self) -> Option<Time> {
        let saved = self.pos;
        let parsed = self.time_inner();
        if parsed.is_none() {
            self.pos = saved;
        }
        parsed
    }

    fn time_inner(&mut self) -> Option<Time> {
        if self.eat("noon") && self.at_boundary() {
            return Some(Time::on_the_hour(12));
        }
        // `午後7時`: the meridiem before the time.
        // `오후 6시 30분`: the Korean meridiem, a space after it.
        // `下午2点`, `晚上7点半`: the Chinese ones.
        let before = if ["午後", "오후 ", "오후", "下午", "晚上"]
            .iter()
            .any(|word| self.eat(word))
        {
            Some(Meridiem::Pm)
        } else if ["午前", "오전 ", "오전", "上午", "早上"]
            .iter()
            .any(|word| self.eat(word))
        {
            Some(Meridiem::Am)
        } else {
            None
        };
        let (hour, hour_digits) = self.digits(2)?;
        if let Some(compact) = self.compact_minutes(hour) {
            return compact;
        }
        if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return None; // three digits: a year or a number, not an hour
        }
        let colon = self.peek() == Some(':');
        let MinutePart {
            minute,
            seconds,
            loose,
        } = self.minutes()?;
        // `08:00h` (Portuguese, French): the hour's mark after the minutes.
        if colon && self.peek() == Some('h') && !self.peek_at(1).is_some_and(char::is_alphanumeric)
        {
            self.pos += 1;
        }
        let saved = self.pos;
        let uhr = self.eat(" uhr") && self.at_boundary();
        if !uhr {
            self.pos = saved;
        }
        let meridiem = before.or_else(|| self.meridiem());
        // A bare number (`7 Doors`) is no time; `7 PM` is.
        let minute = match (minute, meridiem) {
            (Some(minute), _) => minute,
            (None, Some(_)) => 0,
            (None, None) => return None,
        };
        if !self.at_boundary() {
            return None;
        }
        Some(Time {
            hour,
            minute,
            meridiem,
            seconds,
            loose,
            compact: false,
            bare: colon && hour_digits == 1 && meridiem.is_none() && !uhr,
        })
    }

    /// `1200` after its hour's two digits: a compact clock, as in some
    /// timetables; also a year or a number, so it is loose (a time only
    /// under a time column's header). `Some(None)` when it is no time.
    fn compact_minutes(&mut self, hour: u32) -> Option<Option<Time>> {
        let (Some(a), Some(b)) = (
            self.peek().and_then(|c| c.to_digit(10)),
            self.peek_at(1).and_then(|c| c.to_digit(10)),
        ) else {
            return None;
        };
        if self.peek_at(2).is_some_and(|c| c.is_ascii_digit()) || hour > 23 || a * 10 + b > 59 {
            return None;
        }
        self.pos += 2;
        if !self.at_boundary() {
            return Some(None);
        }
        Some(Some(Time {
            hour,
            minute: a * 10 + b,
            meridiem: None,
            seconds: false,
            loose: true,
            compact: true,
            bare: false,
        }))
    }

    /// What follows an hour: `:30` (`:30:15` to the second), `.30`, `h30`
    /// or `h`, ` Uhr`, `時`, `時半`, `時30分`; no minutes (`None`) when nothing
    /// of these does, and `None` overall when one starts but is no time.
    fn minutes(&mut self) -> Option<MinutePart> {
        let mut found = MinutePart {
            minute: None,
            seconds: false,
            loose: false,
        };
        if self.peek() == Some(':') {
            self.pos += 1;
            let (minute, count) = self.digits(2)?;
            // `16:9` is a ratio, `1:2.3` a version: minutes have two digits.
            if count != 2 || minute > 59 {
                return None;
            }
            if self.peek() == Some(':') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
                let (_seconds, count) = self.digits(2)?;
                if count != 2 {
                    return None;
                }
                found.seconds = true;
            }
            found.minute = Some(minute);
        } else if self.peek() == Some('.')
            && self.peek_at(1).is_some_and(|c| c.is_ascii_digit())
            && self.peek_at(2).is_some_and(|c| c.is_ascii_digit())
            && !self.peek_at(3).is_some_and(|c| c.is_ascii_digit())
            // `1.2.3` is a version; `до 21.30.` ends a sentence.
            && (self.peek_at(3) != Some('.') || self.peek_at(4).is_none_or(char::is_whitespace))
        {
            // `9.30`: dotted, as in much of Europe and Indonesia.
            self.pos += 1;
            let (minute, _) = self.digits(2)?;
            found.loose = true;
            found.minute = (minute <= 59).then_some(minute);
        } else if self.peek() == Some('h') {
            // `8h30`, `18h00`, `8h` (French, Portuguese).
            self.pos += 1;
            let saved = self.pos;
            found.minute = match self.digits(2) {
                Some((minute, 2)) if minute <= 59 => Some(minute),
                Some(_) => return None,
                None => {
                    self.pos = saved;
                    found.loose = true;
                    Some(0)
                }
            };
        } else if self.peek() == Some(' ') && self.peek_at(1) == Some('u') && self.eat(" uhr") {
            found.minute = Some(0);
        } else if matches!(self.peek(), Some('時' | '시' | '点' | '點')) {
            self.pos += 1;
            found.minute = Some(self.kanji_minutes());
        }
        Some(found)
    }

    /// After `時`: `半` (half past), `30分`, or the full hour.
    fn kanji_minutes(&mut self) -> u32 {
        // Korean writes a space before the minutes (`6시 30분`).
        let saved = self.pos;
        if self.peek() == Some(' ') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if matches!(self.peek(), Some('半' | '반')) {
            self.pos += 1;
            return 30;
        }
        match self.digits(2) {
            Some((minute, _)) if matches!(self.peek(), Some('分' | '분')) && minute <= 59 => {
                self.pos += 1;
                minute
            }
            _ => {
                self.pos = saved;
                0
            }
        }
    }

    /// `17-18h`, `9–12 Uhr`: a bare hour before a range's separator, whose
    /// unit the end gives; the cursor stays at the separator.
    fn bare_hour_of_range(&mut self) -> Option<Time> {
        let saved = self.pos;
        let parsed = (|| {
            let (hour, _) = self.digits(2)?;
            let at_separator = self.pos;
            if hour > 23 || !self.range_separator() {
                return None;
            }
            let end = self.time()?;
            // Only an end written with its unit (`18h`, `12 Uhr`, `18:00`,
            // `5pm`) makes the bare number an hour (`3-5 people` stays a
            // count), and `1-2h` before six is a duration.
            if end.compact
                || (hour < 6 && end.meridiem.is_none())
                || end.hour <= hour && end.meridiem.is_none()
            {
                return None;
            }
            self.pos = at_separator;
            Some(Time::on_the_hour(hour))
        })();
        if parsed.is_none() {
            self.pos = saved;
        }
        parsed
    }

    /// After a time: end of text, a space, or punctuation that is not part of
    /// a longer number (`19:00.5`, `12/8`, `19:00x`).
    fn at_boundary(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if c.is_ascii_alphanumeric() => false,
            // `9h30/12h30` is a range; `12/8` never gets here (no minutes).
            Some('.' | ',' | ':' | '%') => !self.peek_at(1).is_some_and(|c| c.is_ascii_digit()),
            Some(_) => true,
        }
    }

    /// `Kl.`, `ab`, `from`, `с`, `dès`, `desde`, `od` before a start time.
    /// Returns whether the word marks a time of day (`Kl.`, the clock).
    fn prefix(&mut self) -> bool {
        for (word, marks) in [
            ("kl.", true),
            ("kl", true),
            ("ab", false),
            ("from", false),
            ("с", false),
            ("dès", false),
            ("desde", false),
            ("od", false),
            ("a partir de", false),
            // `ore 18:30`, `godz. 18:00`: the hour's label before the time
            // (`At 19:00 we met`, `Um 19 Uhr treffen wir uns` are prose).
            ("alle ore", false),
            ("ore", false),
            ("godz.", true),
            ("godz", true),
            // `gegen 20:00 Uhr`, `ca. 18:00`, `vers 9h`: about then.
            ("gegen", false),
            ("ca.", false),
            ("approx.", false),
            ("around", false),
            ("vers", false),
        ] {
            let saved = self.pos;
            if self.eat(word) && self.peek().is_some_and(is_space) {
                self.skip_spaces();
                if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    return marks;
                }
            }
            self.pos = saved;
        }
        // `≈17-18h`: about, written against the time.
        if self.peek() == Some('≈') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        false
    }

    fn range_separator(&mut self) -> bool {
        let saved = self.pos;
        self.skip_spaces();
        if matches!(
            self.peek(),
            Some('-' | '–' | '—' | '〜' | '～' | '~' | '－' | '‐' | '−' | '―' | '/')
        ) {
            self.pos += 1;
            if self.peek() == Some('-') {
                self.pos += 1; // `--`
            }
            self.skip_spaces();
            return true;
        }
        for word in [
            "to", "bis", "à", "a", "às", "as", "até", "au", "до", "do", "til",
        ] {
            let saved_word = self.pos;
            if self.eat(word) && self.peek().is_some_and(is_space) {
                self.skip_spaces();
                return true;
            }
            self.pos = saved_word;
        }
        self.pos = saved;
        false
    }
}

/// The time or range at the start of `text`, if it opens with one.
pub fn lead(text: &str) -> Option<Lead> {
    // Every time opens with a digit; most blocks do not, and need no cursor.
    let opening = text.trim_start_matches(is_space).chars().next().map(fold);
    if !opening.is_some_and(|c| c.is_ascii_digit() || "nkafcdoс午gv≈오下上晚早".contains(c))
    {
        return None;
    }
    let mut cursor = Cursor::new(text);
    cursor.skip_spaces();
    let marked = cursor.prefix();
    let first = match cursor.time() {
        Some(first) => first,
        None => cursor.bare_hour_of_range()?,
    };
    let after_first = cursor.pos;
    let mut second = None;
    let mut open_end = false;
    if cursor.range_separator() {
        let before_end = cursor.pos;
        second = cursor.time();
        // `10:15-(17:30)`: an end given as a guess, in parentheses.
        if second.is_none() && cursor.eat("(") {
            second = cursor.time().filter(|_| cursor.eat(")"));
            if second.is_none() {
                cursor.pos = before_end;
            }
        }
        open_end = second.is_none() && cursor.peek().is_none_or(is_space);
    }
    if second.is_none() {
        cursor.pos = after_first;
    }
    let (start, end) = match second {
        None => (first.minutes(first.meridiem)?, None),
        Some(second) => {
            let end = second.minutes(second.meridiem)?;
            // `7:00–9:00 pm`: the start borrows the end's meridiem unless that
            // would put it after the end (`11:30–1:00 pm` starts in the morning).
            let start = match (first.meridiem, second.meridiem) {
                (None, Some(meridiem)) => first
                    .minutes(Some(meridiem))
                    .filter(|&start| start <= end)
                    .or_else(|| first.minutes(Some(Meridiem::Am)))
                    .or_else(|| first.minutes(None))?,
                _ => first.minutes(first.meridiem)?,
            };
            (start, Some(end))
        }
    };
    // `1200` alone is a year or a number; only `1200-1250` may be a range.
    if first.compact() && second.is_none() && !open_end {
        return None;
    }
    if start >= 24 * 60 {
        return None; // 24:00 can end a slot, not start one
    }
    Some(Lead {
        start,
        end,
        rest: cursor.offset(),
        seconds: first.seconds,
        loose: (first.loose && second.is_none() && !marked && !titled_hour(text, cursor.offset()))
            || first.compact()
            || second.is_some_and(Time::compact),
        bare: first.bare && second.is_none_or(|second| second.meridiem.is_none()),
        meridiem: first.meridiem.is_some()
            || second.is_some_and(|second| second.meridiem.is_some()),
    })
}

/// `8h - Accueil`: a bare French hour followed by a dash or colon and a
/// title reads as a slot, where `2h workshop` is a duration.
fn titled_hour(text: &str, rest: usize) -> bool {
    let before = text[..rest].trim_end_matches(is_space);
    let after = text[rest..].trim_start_matches(is_space);
    before.ends_with(['h', 'H'])
        && after.starts_with(['-', '–', '—', ':'])
        && after[after.chars().next().map_or(0, char::len_utf8)..]
            .trim_start_matches(is_space)
            .starts_with(char::is_alphabetic)
}

/// Whether `text` opens like a time (`19:0`, `19.00`, `25:00`, `7時`) even if
/// it is not one: a heading or list item that does, yet is no slot, is
/// probably a typo that would silently drop an event.
pub fn looks_like_time(text: &str) -> bool {
    let mut chars = text
        .trim_start_matches(is_space)
        .chars()
        .map(fold)
        .peekable();
    let mut digits = 0;
    while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
        chars.next();
        digits += 1;
    }
    if !(1..=2).contains(&digits) {
        return false;
    }
    match chars.next() {
        Some(':' | 'h') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        // `19.00 Doors` is a slot written with a dot; `14.04から` a version.
        Some('.') => {
            let minutes: String = chars.by_ref().take(2).collect();
            // `2.45 €` is a price: only a word after the gap reads as a title.
            // `22.04 LTS` is a release: slots are planned on five-minute
            // marks.
            minutes.len() == 2
                && minutes.chars().all(|c| c.is_ascii_digit())
                && minutes.parse::<u32>().is_ok_and(|m| m % 5 == 0)
                && chars.next().is_some_and(is_space)
                && chars.next().is_some_and(char::is_alphabetic)
        }
        Some('時') => true,
        _ => false,
    }
}

/// Whether `text` opens with a time followed by a space or a range, as an
/// agenda line does (`19:00 開場`), not as prose does (`19:00頃に集合`).
pub fn opens_agenda_line(text: &str) -> bool {
    let Some(lead) = lead(text) else {
        return false;
    };
    let rest = &text[lead.rest..];
    // `18:00 Uhr: Einlass`, `19:00– Doors`: a separator, then the title.
    let separated = rest
        .strip_prefix([':', '：', '-', '–', '—', '|'])
        .is_some_and(|after| after.starts_with(is_space));
    lead.end.is_some() || rest.starts_with(is_space) || separated
}

/// The title after the time: trimmed of spaces (full-width too) and of a
/// separator such as `-`, `:` or `|` between time and title.
pub fn title(rest: &str) -> &str {
    let trimmed = rest.trim_matches(is_space_or_newline);
    let without_separator = trimmed
        .strip_prefix(['-', '–', '—', ':', '：', '|', '｜', '/', '〜', '～', '~'])
        .unwrap_or(trimmed);
    without_separator.trim_matches(is_space_or_newline)
}

fn is_space_or_newline(c: char) -> bool {
    is_space(c) || c == '\n' || c == '\r'
}

/// `HHMM`, as used in slot ids.
pub fn hhmm(minutes: Minutes) -> String {
    format!("{:02}{:02}", minutes / 60 % 24, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Option<(Minutes, Option<Minutes>, &str)> {
        lead(text).map(|lead| (lead.start, lead.end, title(&text[lead.rest..])))
    }

    const fn at(hour: u32, minute: u32) -> Minutes {
        hour * 60 + minute
    }

    #[test]
    fn twenty_four_hour_times_with_tabs_and_spaces() {
        assert_eq!(
            parsed("19:00\t開場・受付開始\t"),
            Some((at(19, 0), None, "開場・受付開始"))
        );
        assert_eq!(parsed("9:05 Doors"), Some((at(9, 5), None, "Doors")));
        assert_eq!(parsed("19:00"), Some((at(19, 0), None, "")));
        assert_eq!(
            parsed("19:00:30 Precise"),
            Some((at(19, 0), None, "Precise"))
        );
    }

    #[test]
    fn ranges_with_every_separator() {
        for text in [
            "19:35-19:50 Talk",
            "19:35 - 19:50 Talk",
            "19:35–19:50 Talk",
            "19:35 — 19:50 Talk",
            "19:35〜19:50 Talk",
            "19:35～19:50 Talk",
            "19:35~19:50 Talk",
            "19:35 to 19:50 Talk",
        ] {
            assert_eq!(
                parsed(text),
                Some((at(19, 35), Some(at(19, 50)), "Talk")),
                "{text}"
            );
        }
    }

    #[test]
    fn full_width_and_japanese_forms() {
        assert_eq!(parsed("１９：００　開場"), Some((at(19, 0), None, "開場")));
        assert_eq!(parsed("19時30分 乾杯"), Some((at(19, 30), None, "乾杯")));
        assert_eq!(parsed("19時 開場"), Some((at(19, 0), None, "開場")));
        assert_eq!(parsed("19時半 乾杯"), Some((at(19, 30), None, "乾杯")));
        assert_eq!(
            parsed("19時〜21時 懇親会"),
            Some((at(19, 0), Some(at(21, 0)), "懇親会"))
        );
    }

    #[test]
    fn twelve_hour_clock() {
        assert_eq!(parsed("7:00pm Doors"), Some((at(19, 0), None, "Doors")));
        assert_eq!(parsed("7 PM Doors"), Some((at(19, 0), None, "Doors")));
        assert_eq!(parsed("7:30 p.m. Talk"), Some((at(19, 30), None, "Talk")));
        assert_eq!(parsed("12pm Lunch"), Some((at(12, 0), None, "Lunch")));
        assert_eq!(parsed("12:15 am Late"), Some((at(0, 15), None, "Late")));
        assert_eq!(
            parsed("7:00 - 9:00 pm Party"),
            Some((at(19, 0), Some(at(21, 0)), "Party"))
        );
        assert_eq!(
            parsed("11:30 - 1:00 pm Lunch"),
            Some((at(11, 30), Some(at(13, 0)), "Lunch"))
        );
        assert_eq!(parsed("13 pm"), None);
        assert_eq!(
            parsed("08:00\tPM office hours"),
            Some((at(8, 0), None, "PM office hours"))
        );
    }

    #[test]
    fn separators_between_time_and_title_are_trimmed() {
        assert_eq!(
            parsed("19:00 - Doors open"),
            Some((at(19, 0), None, "Doors open"))
        );
        assert_eq!(parsed("19:00 | Doors"), Some((at(19, 0), None, "Doors")));
        assert_eq!(parsed("19:00開場"), Some((at(19, 0), None, "開場")));
    }

    #[test]
    fn prose_and_numbers_are_not_times() {
        for text in [
            "doors open at 19:00",
            "16:9 screens",
            "1:2.3 release",
            "2019 plans",
            "7 Samurai",
            "19:0 Doors",
            "25:00 Late",
            "19:60 Odd",
            "12/8 Day two",
            "19:00x",
            "`19:00` code",
            "100:00",
        ] {
            assert_eq!(parsed(text), None, "{text}");
        }
    }

    #[test]
    fn twenty_four_only_ends() {
        assert_eq!(
            parsed("23:00-24:00 Late"),
            Some((at(23, 0), Some(at(24, 0)), "Late"))
        );
        assert_eq!(parsed("24:00 Midnight"), None);
    }

    #[test]
    fn near_misses_look_like_times() {
        for text in [
            "19:0 Doors",
            "19.00 Doors",
            "25:00 Late",
            "7時 open",
            "19h30 Talk",
        ] {
            assert!(looks_like_time(text), "{text}");
        }
        for text in [
            "2019 plans",
            "Day 2",
            "1. First point",
            "12/8 day",
            "22.04 LTS (Jammy)",
        ] {
            assert!(!looks_like_time(text), "{text}");
        }
    }

    #[test]
    fn agenda_lines_and_prose() {
        assert!(opens_agenda_line("19:00 開場"));
        assert!(opens_agenda_line("19:00〜19:30 Doors"));
        assert!(opens_agenda_line("18:00 Uhr: Einlass"));
        assert!(!opens_agenda_line("19:00頃に集合しました"));
        assert!(!opens_agenda_line("At 19:00 we met"));
    }

    #[test]
    fn hhmm_pads() {
        assert_eq!(hhmm(at(9, 5)), "0905");
        assert_eq!(hhmm(at(19, 35)), "1935");
    }
}
