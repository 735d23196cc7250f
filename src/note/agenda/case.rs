//! Lowercasing for the readers' word lists, without its cost where it
//! changes nothing: most text an agenda reader looks at is Chinese,
//! Japanese or Korean, or lowercase already, and `str::to_lowercase` looks
//! up every such character in Unicode's tables only to keep it.

use std::borrow::Cow;

/// `text` lowercased as `str::to_lowercase` does it; borrowed when no
/// character of it has a lowercase form of its own.
pub fn lower(text: &str) -> Cow<'_, str> {
    // Bytes first: ASCII, and three-byte sequences led by E3–E9, which
    // are U+3000–U+9FFF (kept, see `keeps_case`); any other character is
    // looked at whole.
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'A'..=b'Z' => return Cow::Owned(text.to_lowercase()),
            0x00..=0x7f => at += 1,
            0xe3..=0xe9 => at += 3,
            _ => break,
        }
    }
    if text[at..].chars().all(keeps_case) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// Whether lowercasing leaves `c` as it is, for the characters most notes
/// are written in; any other goes through the tables.
fn keeps_case(c: char) -> bool {
    match c {
        'A'..='Z' => false,
        '\0'..='\x7f' => true,
        // CJK punctuation, kana, Hangul jamo, enclosed CJK and the
        // ideographs (U+3000–U+9FFF), Hangul syllables, CJK compatibility
        // ideographs, and the full-width forms but their capitals
        // (U+FF21–U+FF3A).
        '\u{3000}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff01}'..='\u{ff20}'
        | '\u{ff3b}'..='\u{ffef}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_as_the_standard_library_does() {
        for text in [
            "Tuesday 7",
            "運用の分析で学習した話",
            "ＡＢＣ ａｂｃ",
            "Ἀθήνα ΟΔΟΣ",
            "MÄRZ und März",
            "12月8日（日）",
            "월요일 Montag",
            "İstanbul",
            "会議 Talk",
            "会議 é Ä",
        ] {
            assert_eq!(lower(text), text.to_lowercase(), "{text}");
        }
        assert!(matches!(lower("運用の分析 12:00"), Cow::Borrowed(_)));
        assert!(matches!(lower("Talk"), Cow::Owned(_)));
    }

    #[test]
    fn every_character_it_keeps_has_no_lowercase_of_its_own() {
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|&c| keeps_case(c))
        {
            assert!(c.to_lowercase().eq([c]), "{c:?}");
        }
    }
}
