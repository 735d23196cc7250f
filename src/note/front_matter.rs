//! Front matter: Hugo's keys read into typed fields. Unknown keys are ignored
//! (Hugo and Jekyll sites carry many); a known key of the wrong type is an
//! error that names its line.

use crate::source::Format;
use crate::yaml;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// The front matter as written, before dates and zones are resolved.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    pub title: Option<Text>,
    pub date: Option<Text>,
    #[serde(alias = "lastMod", alias = "updated", alias = "modified")]
    pub lastmod: Option<Text>,
    #[serde(
        rename = "publishDate",
        alias = "publishdate",
        alias = "pubDate",
        alias = "pubdate"
    )]
    pub publish_date: Option<Text>,
    #[serde(rename = "expiryDate", alias = "expirydate")]
    pub expiry_date: Option<Text>,
    pub draft: Option<Flag>,
    pub tags: Option<TextList>,
    #[serde(alias = "category")]
    pub categories: Option<TextList>,
    pub description: Option<Text>,
    pub summary: Option<Text>,
    #[serde(deserialize_with = "named")]
    pub thumbnail: Option<Text>,
    #[serde(deserialize_with = "named")]
    pub image: Option<Text>,
    pub images: Option<TextList>,
    pub slug: Option<Text>,
    pub url: Option<Text>,
    pub id: Option<Text>,
    #[serde(alias = "authors")]
    pub author: Option<AuthorField>,
    pub event: Option<EventFields>,
    /// Event themes' own keys for the event's start (`start_time:
    /// 2018-04-28 13:10:00 +0900`, `startDate`, `event_date`): the agenda's
    /// day when `event.date` is not given. Not almanac's keys, so a value
    /// that is no date is passed over, never refused.
    #[serde(alias = "startDate", alias = "date_start")]
    pub start_date: Option<Hint>,
    #[serde(alias = "startTime")]
    pub start_time: Option<Hint>,
    #[serde(alias = "eventDate")]
    pub event_date: Option<Hint>,
}

/// A text, or a theme's map for the same thing: `image: {src: …, alt: …}`,
/// `location: {name: …, address: …, url: …}` (its name, then its address);
/// another map or a list is still a type error.
fn named<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Text>, D::Error> {
    struct NamedVisitor;
    impl<'de> Visitor<'de> for NamedVisitor {
        type Value = Option<Text>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string, or a map with `name`, `src` or `url`")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(Text(v.to_owned())))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(Text(v.to_string())))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(Text(v.to_string())))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            named(d)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            // A theme's map of its own shape (`image: {feature: x.jpg}`) is
            // its business: no image, no location, and no refused note.
            Ok(map_fields(map)?.map(Text))
        }
    }
    deserializer.deserialize_any(NamedVisitor)
}

/// What a theme's map stands for: its name and address, else its `src`,
/// `url`, `path` or `href`.
fn map_text<'de, A: de::MapAccess<'de>>(map: A) -> Result<String, A::Error> {
    map_fields(map)?
        .ok_or_else(|| de::Error::custom("a map without `name`, `address`, `src` or `url`"))
}

/// What a theme's map stands for, if it has one of the fields that say.
fn map_fields<'de, A: de::MapAccess<'de>>(mut map: A) -> Result<Option<String>, A::Error> {
    let mut fields: Vec<(String, String)> = Vec::new();
    while let Some(key) = map.next_key::<String>()? {
        match map.next_value::<Hint>()?.0 {
            Some(value) if !value.trim().is_empty() => fields.push((key, value)),
            _ => {}
        }
    }
    let field = |names: &[&str]| {
        names.iter().find_map(|name| {
            fields
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.trim().to_string())
        })
    };
    let name = field(&["name", "title", "venue"]);
    let address = field(&["address", "street", "city"]);
    let found = match (name, address) {
        (Some(name), Some(address)) => Some(format!("{name}, {address}")),
        (Some(one), None) | (None, Some(one)) => Some(one),
        (None, None) => field(&["src", "url", "path", "href"]),
    };
    Ok(found)
}

/// A scalar of a key that is not almanac's own, as text; any other value
/// is no hint and no error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hint(pub Option<String>);

impl<'de> Deserialize<'de> for Hint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HintVisitor;
        impl<'de> Visitor<'de> for HintVisitor {
            type Value = Hint;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("anything")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Hint, E> {
                Ok(Hint(Some(v.to_owned())))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Hint, E> {
                Ok(Hint(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Hint, E> {
                Ok(Hint(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Hint, E> {
                Ok(Hint(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Hint, E> {
                Ok(Hint(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Hint, E> {
                Ok(Hint(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Hint, E> {
                Ok(Hint(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Hint, D::Error> {
                Hint::deserialize(d)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Hint, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Hint(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Hint, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Hint(None))
            }
        }
        deserializer.deserialize_any(HintVisitor)
    }
}

/// The optional `event` map.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EventFields {
    pub date: Option<Text>,
    pub timezone: Option<Text>,
    #[serde(deserialize_with = "named")]
    pub location: Option<Text>,
    pub url: Option<Text>,
    pub status: Option<Text>,
    pub start: Option<Text>,
    pub end: Option<Text>,
    pub sequence: Option<u32>,
    pub alarm_minutes: Option<u32>,
}

/// `author: Name`, `author: {name, email}`, or a list of either (the
/// first is the entry's author), also spelled `authors`.
#[derive(Debug)]
pub enum AuthorField {
    Name(Text),
    Full {
        name: Text,
        email: Option<Text>,
        url: Option<Text>,
    },
}

/// The map form of an author.
#[derive(Deserialize)]
struct AuthorMap {
    name: Text,
    #[serde(default)]
    email: Option<Text>,
    #[serde(default)]
    url: Option<Text>,
}

impl<'de> Deserialize<'de> for AuthorField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor, not an untagged enum: its errors say what is expected
        // and keep the line (the YAML reader loses it for untagged enums).
        struct AuthorVisitor;
        impl<'de> Visitor<'de> for AuthorVisitor {
            type Value = AuthorField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name, a map with `name` (and `email`, `url`), or a list of them")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AuthorField, E> {
                Ok(AuthorField::Name(Text(v.to_owned())))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<AuthorField, A::Error> {
                let full = AuthorMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(AuthorField::Full {
                    name: full.name,
                    email: full.email,
                    url: full.url,
                })
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<AuthorField, A::Error> {
                let first = seq
                    .next_element::<AuthorField>()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(first)
            }
        }
        deserializer.deserialize_any(AuthorVisitor)
    }
}

/// A scalar read as text: YAML gives `2019` or `true` unquoted, and a title of
/// `2019` is still a title. Sequences and maps are type errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// `tags: [a, b]` or `tags: a` (Hugo accepts both).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextList(pub Vec<String>);

impl<'de> Deserialize<'de> for TextList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A hand-written visitor, not an untagged enum: the YAML reader keeps the
        // line of a type error only when the error comes from the visitor.
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = TextList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TextList, E> {
                Ok(TextList(vec![v.to_owned()]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<TextList, E> {
                Ok(TextList(vec![v.to_string()]))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TextList, E> {
                Ok(TextList(vec![v.to_string()]))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<TextList, E> {
                Ok(TextList(vec![v.to_string()]))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<TextList, E> {
                Ok(TextList(vec![v.to_string()]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<TextList, A::Error> {
                // `[[a, b]]` is flattened, `[{src: …}]` read as its map says.
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Option<TextList>>()? {
                    items.extend(item.into_iter().flat_map(|list| list.0));
                }
                Ok(TextList(items))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<TextList, A::Error> {
                map_text(map).map(|text| TextList(vec![text]))
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }
}

/// `draft: true`, also the strings `"true"`/`"false"` some exporters write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FlagVisitor;
        impl Visitor<'_> for FlagVisitor {
            type Value = Flag;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("true or false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
                Ok(Flag(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
                match v.trim().to_ascii_lowercase().as_str() {
                    "true" | "yes" => Ok(Flag(true)),
                    "false" | "no" | "" => Ok(Flag(false)),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        deserializer.deserialize_any(FlagVisitor)
    }
}

/// Parses front matter text in its format; the error carries the line
/// inside `text`.
pub fn parse(text: &str, format: Format) -> Result<FrontMatter, yaml::YamlError> {
    parse_as_written(text, format).map(FrontMatter::without_empty_dates)
}

impl FrontMatter {
    /// `lastmod: ""`, as theme archetypes leave it: no date, as in Hugo.
    fn without_empty_dates(mut self) -> Self {
        for date in [
            &mut self.date,
            &mut self.lastmod,
            &mut self.publish_date,
            &mut self.expiry_date,
        ] {
            if date.as_ref().is_some_and(|text| text.0.trim().is_empty()) {
                *date = None;
            }
        }
        self
    }
}

fn parse_as_written(text: &str, format: Format) -> Result<FrontMatter, yaml::YamlError> {
    match format {
        Format::Yaml => yaml::from_str(text).or_else(|error| {
            // `title: &#x1f195; Meetup`: an HTML entity that YAML takes for
            // an anchor. Other readers (js-yaml) take it as text; so does
            // almanac when that alone stood in the way.
            match entities_quoted(text) {
                Some(quoted) => yaml::from_str(&quoted).map_err(|_| error),
                None => Err(error),
            }
        }),
        _ => from_value(text, value(text, format)?),
    }
}

/// `&#x1f195; Meetup` → `🆕 Meetup`: the opening numeric entity decoded,
/// as the page shows it; a named one is kept as written.
fn decode_entity(value: &str) -> String {
    let Some(end) = value.find(';') else {
        return value.to_string();
    };
    let code = &value[1..end];
    let number = match code.strip_prefix("#x").or_else(|| code.strip_prefix("#X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => code.strip_prefix('#').and_then(|dec| dec.parse().ok()),
    };
    match number.and_then(char::from_u32) {
        Some(c) => format!("{c}{}", &value[end + 1..]),
        None => value.to_string(),
    }
}

/// The YAML with each top-level value that opens with an HTML entity
/// (`&#x1f195;`, `&amp;`) quoted, if any does.
fn entities_quoted(text: &str) -> Option<String> {
    let mut changed = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let Some((key, value)) = line.split_once(':') else {
                return line.to_string();
            };
            let value = value.trim();
            let entity = value.starts_with('&')
                && value[1..]
                    .find(';')
                    .is_some_and(|end| end <= 10 && !value[1..=end].contains(' '));
            if line.starts_with(char::is_whitespace) || key.contains(' ') || !entity {
                return line.to_string();
            }
            changed = true;
            format!("{key}: '{}'", decode_entity(value).replace('\'', "''"))
        })
        .collect();
    changed.then(|| lines.join("\n"))
}

/// The front matter as a plain value, for a generator's own keys.
pub fn value(text: &str, format: Format) -> Result<serde_json::Value, yaml::YamlError> {
    match format {
        Format::Yaml => yaml::from_str(text),
        Format::Toml => crate::toml::to_json(text).map_err(|error| yaml::YamlError {
            line: error.line,
            message: error.message,
        }),
        Format::Metadata => Ok(metadata_value(text)),
        Format::Json => serde_json::from_str(text).map_err(|error| yaml::YamlError {
            line: Some(error.line()),
            message: json_message(&error),
        }),
    }
}

/// Pelican's metadata as the keys almanac reads: `Title`, `Date`,
/// `Modified` (`lastmod`), `Tags` and `Category` (comma-separated),
/// `Slug`, `Summary`, `Authors`, and `Status: draft`.
fn metadata_value(text: &str) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        let list = |value: &str| {
            serde_json::Value::Array(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(|item| serde_json::Value::String(item.to_string()))
                    .collect(),
            )
        };
        let (name, value) = match key.trim().to_lowercase().as_str() {
            "title" => ("title", serde_json::Value::String(value.into())),
            "date" => ("date", serde_json::Value::String(value.into())),
            "modified" => ("lastmod", serde_json::Value::String(value.into())),
            "tags" | "keywords" => ("tags", list(value)),
            "category" | "categories" => ("categories", list(value)),
            "slug" => ("slug", serde_json::Value::String(value.into())),
            "summary" | "description" => ("summary", serde_json::Value::String(value.into())),
            "author" | "authors" => ("author", serde_json::Value::String(value.into())),
            "status" => (
                "draft",
                serde_json::Value::Bool(value.eq_ignore_ascii_case("draft")),
            ),
            _ => continue,
        };
        if !value.as_str().is_some_and(str::is_empty) {
            object.insert(name.into(), value);
        }
    }
    serde_json::Value::Object(object)
}

/// The front matter a TOML or JSON value holds; a key of the wrong type is
/// found by reading each key alone, so the error names it and its line.
fn from_value(text: &str, value: serde_json::Value) -> Result<FrontMatter, yaml::YamlError> {
    let Some(object) = value.as_object() else {
        return Err(yaml::YamlError {
            line: Some(1),
            message: "front matter must be a table of keys".into(),
        });
    };
    for (key, item) in object {
        let alone = serde_json::Value::Object([(key.clone(), item.clone())].into_iter().collect());
        if let Err(error) = serde_json::from_value::<FrontMatter>(alone) {
            return Err(yaml::YamlError {
                line: key_line(text, &[key]).or(Some(1)),
                message: format!("{key}: {}", json_message(&error)),
            });
        }
    }
    serde_json::from_value(value).map_err(|error| yaml::YamlError {
        line: Some(1),
        message: json_message(&error),
    })
}

/// serde_json's message without its own " at line L column C".
fn json_message(error: &serde_json::Error) -> String {
    let mut message = error.to_string();
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    message
}

/// The line (1-based, inside the front matter) where `key:` is written; for a
/// nested key give its parent, e.g. `key_line(text, &["event", "timezone"])`.
pub fn key_line(text: &str, path: &[&str]) -> Option<usize> {
    let mut lines = text.lines().enumerate();
    let mut found = None;
    for (depth, key) in path.iter().enumerate() {
        found = None;
        for (index, line) in lines.by_ref() {
            let trimmed = line.trim_start();
            let indented = line.len() > trimmed.len();
            if depth == 0 && indented {
                continue;
            }
            // `key:` in YAML, `key =` in TOML, `"key":` in JSON.
            let matches = trimmed
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
                || trimmed
                    .strip_prefix(['"', '\''])
                    .and_then(|rest| rest.strip_prefix(key))
                    .is_some_and(|rest| rest.starts_with(['"', '\'']));
            if matches {
                found = Some(index + 1);
                break;
            }
        }
        found?;
    }
    found
}

/// A date as written: an instant with an offset, or a local time or day to
/// be placed in the note's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    Instant(DateTime<FixedOffset>),
    Local(NaiveDateTime),
    Day(NaiveDate),
}

/// Parses `2019-11-26`, RFC 3339, or `YYYY-MM-DD HH:MM[:SS]` (local).
pub fn parse_date(text: &str) -> Option<DateValue> {
    parse_any_date(text).filter(|value| match value {
        DateValue::Instant(at) => writable_year(at.year()) && writable_year(at.naive_utc().year()),
        DateValue::Local(at) => writable_year(at.year()),
        DateValue::Day(day) => writable_year(day.year()),
    })
}

/// Whether feeds and calendars can write a year: RFC 3339 and RFC 5545 both
/// have exactly four digits. Years before 1000 are kept (Hugo writes
/// `0001-01-01` for a missing date); a note's own zone can move an instant
/// a day either way, so the first and last years are left out.
pub fn writable_year(year: i32) -> bool {
    (1..=9998).contains(&year)
}

fn parse_any_date(text: &str) -> Option<DateValue> {
    let text = text.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Some(DateValue::Instant(instant));
    }
    // RFC 3339 allows a space for `T`; so do many exporters, with offsets
    // written `+0900` too.
    for format in [
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M%:z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.fZ",
    ] {
        if let Ok(instant) = DateTime::parse_from_str(text, format) {
            return Some(DateValue::Instant(instant));
        }
    }
    if let Some(utc) = text.strip_suffix('Z').or_else(|| text.strip_suffix(" UTC"))
        && let Some(DateValue::Local(local)) = parse_any_date(utc)
    {
        return Some(DateValue::Instant(local.and_utc().fixed_offset()));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(local) = NaiveDateTime::parse_from_str(text, format) {
            return Some(DateValue::Local(local));
        }
    }
    // `21.11.2019`: day first with dots, as German and Russian themes
    // write it (a dotted date cannot be read month first).
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y"] {
        if let Ok(day) = NaiveDate::parse_from_str(text, format) {
            return Some(DateValue::Day(day));
        }
    }
    for format in ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(text, format) {
            return Some(DateValue::Local(local));
        }
    }
    None
}

/// Parses `event.start`/`event.end`: a full date (as `parse_date`) or only a
/// time of day (`19:00`, `19:00:00`).
pub fn parse_time_or_date(text: &str) -> Option<Result<NaiveTime, DateValue>> {
    let trimmed = text.trim();
    for format in ["%H:%M", "%H:%M:%S"] {
        if let Ok(time) = NaiveTime::parse_from_str(trimmed, format) {
            return Some(Ok(time));
        }
    }
    parse_date(trimmed).map(Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hugo_keys_and_ignores_unknown_ones() {
        let fm = parse(
            "title: \"Bonfire #4\"\ndate: 2019-11-26\npublishDate: 2019-11-20\ntags: [event, yahoo]\n\
             weight: 3\nparams: {x: 1}\ndraft: false\nauthor: {name: A, email: a@example.org}\n\
             event:\n  timezone: Asia/Tokyo\n  sequence: 2\n  unknown: 1\n",
            Format::Yaml,
        )
        .unwrap();
        assert_eq!(fm.title.unwrap().0, "Bonfire #4");
        assert_eq!(fm.date.unwrap().0, "2019-11-26");
        assert_eq!(fm.publish_date.unwrap().0, "2019-11-20");
        assert_eq!(fm.tags.unwrap().0, vec!["event", "yahoo"]);
        assert_eq!(fm.draft, Some(Flag(false)));
        assert_eq!(fm.event.unwrap().sequence, Some(2));
    }

    #[test]
    fn scalars_are_text_and_single_tags_are_lists() {
        let fm = parse("title: 2019\ndate: 2019-11-26\ntags: solo\n", Format::Yaml).unwrap();
        assert_eq!(fm.title.unwrap().0, "2019");
        assert_eq!(fm.tags.unwrap().0, vec!["solo"]);
    }

    #[test]
    fn wrong_type_names_its_line() {
        let error = parse(
            "title: x\ndate: 2019-11-26\ntitle2: 1\ndraft: [1]\n",
            Format::Yaml,
        )
        .unwrap_err();
        assert_eq!(error.line, Some(4));
        let error = parse("title:\n  nested: map\n", Format::Yaml).unwrap_err();
        assert_eq!(error.line, Some(2));
    }

    #[test]
    fn toml_and_json_front_matter_read_like_yaml() {
        let fm = parse(
            "title = \"Repair\"\ndate = 2024-05-28T18:00:00\ntags = [\"a\", \"b\"]\n",
            Format::Toml,
        )
        .unwrap();
        assert_eq!(fm.title.unwrap().0, "Repair");
        assert_eq!(fm.date.unwrap().0, "2024-05-28T18:00:00");
        assert_eq!(fm.tags.unwrap().0, vec!["a", "b"]);
        let fm = parse("{\"title\": \"Swap\", \"draft\": true}", Format::Json).unwrap();
        assert_eq!(
            (fm.title.unwrap().0, fm.draft),
            ("Swap".into(), Some(Flag(true)))
        );
    }

    #[test]
    fn toml_and_json_errors_name_the_key_and_its_line() {
        let error = parse("title = 'x'\ndraft = [1]\n", Format::Toml).unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(error.message.starts_with("draft: "), "{}", error.message);
        let error = parse("title = 'x'\ndate = \n", Format::Toml).unwrap_err();
        assert_eq!(error.line, Some(2));
        let error = parse(
            "{\n\"title\": \"x\",\n\"tags\": {\"a\": 1}\n}",
            Format::Json,
        )
        .unwrap_err();
        assert_eq!(error.line, Some(3));
    }

    #[test]
    fn authors_come_as_a_name_a_map_or_a_list() {
        let fm = parse("authors: [Ann, Bo]\n", Format::Yaml).unwrap();
        assert!(matches!(fm.author, Some(AuthorField::Name(Text(name))) if name == "Ann"));
        let fm = parse(
            "author:\n  - {name: Cy, email: c@example.org}\n",
            Format::Yaml,
        )
        .unwrap();
        assert!(matches!(fm.author, Some(AuthorField::Full { name: Text(n), .. }) if n == "Cy"));
        let error = parse("title: x\nauthor: {email: e@example.org}\n", Format::Yaml).unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(!error.message.contains("untagged"), "{}", error.message);
        let fm = parse("category: news\n", Format::Yaml).unwrap();
        assert_eq!(fm.categories.unwrap().0, vec!["news"]);
    }

    #[test]
    fn key_line_finds_nested_keys() {
        let text = "title: x\ntimezone: a\nevent:\n  date: 2019-12-01\n  timezone: Asia/Tokyo\n";
        assert_eq!(key_line(text, &["timezone"]), Some(2));
        assert_eq!(key_line(text, &["event", "timezone"]), Some(5));
        assert_eq!(key_line(text, &["event", "location"]), None);
    }

    #[test]
    fn only_years_feeds_and_calendars_can_write_are_dates() {
        // Found by fuzzing: year -24 made an Atom date no reader parses.
        for text in ["-024-01-01", "0000-01-01", "9999-12-31", "10000-01-01"] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        assert_eq!(
            parse_date("9998-12-31T23:00:00-12:00"),
            None,
            "year 9999 in UTC"
        );
        for text in ["0001-01-01T00:00:00Z", "1970-01-01", "9998-12-31 23:59"] {
            assert!(parse_date(text).is_some(), "{text}");
        }
    }

    #[test]
    fn dates_in_every_documented_form() {
        let day = NaiveDate::from_ymd_opt(2019, 11, 26).unwrap();
        assert_eq!(parse_date("2019-11-26"), Some(DateValue::Day(day)));
        assert_eq!(
            parse_date("2019-11-26 19:30"),
            Some(DateValue::Local(day.and_hms_opt(19, 30, 0).unwrap()))
        );
        assert_eq!(
            parse_date("2019-11-26T19:30:15"),
            Some(DateValue::Local(day.and_hms_opt(19, 30, 15).unwrap()))
        );
        let Some(DateValue::Instant(instant)) = parse_date("2019-11-26T19:00:00+09:00") else {
            panic!("RFC 3339 not read");
        };
        assert_eq!(instant.to_rfc3339(), "2019-11-26T19:00:00+09:00");
        let Some(DateValue::Instant(instant)) = parse_date("2019-11-26 10:00:00 +0000") else {
            panic!("Hugo's space form not read");
        };
        assert_eq!(instant.timestamp(), 1_574_762_400);
        assert!(matches!(
            parse_date("2019-11-26T10:00:00Z"),
            Some(DateValue::Instant(_))
        ));
        assert_eq!(parse_date("next tuesday"), None);
        assert_eq!(parse_date("2019-02-30"), None);
    }

    #[test]
    fn an_html_entity_opening_a_value_is_text() {
        let fm = parse(
            "title: &#x1f195; Meetup info\ndate: 2020-02-22\n",
            Format::Yaml,
        )
        .unwrap();
        assert_eq!(fm.title, Some(Text("🆕 Meetup info".into())));
        // An anchor that is one stays one.
        let anchored = parse("title: &t Meetup\nsummary: *t\n", Format::Yaml).unwrap();
        assert_eq!(anchored.summary, Some(Text("Meetup".into())));
    }

    #[test]
    fn theme_shapes_are_read() {
        let fm = parse(
            "title: T\ndate: 2024-05-02\nlastmod: \"\"\nimages: [{src: /a.png, alt: b}]\ncategories: [[a, b], c]\n",
            Format::Yaml,
        )
        .unwrap();
        assert_eq!(fm.lastmod, None);
        assert_eq!(fm.images, Some(TextList(vec!["/a.png".into()])));
        assert_eq!(
            fm.categories,
            Some(TextList(vec!["a".into(), "b".into(), "c".into()]))
        );
    }
}
