//! The site configuration (`almanac.yaml`), read strictly: a typo in our own
//! file is an error, unlike note front matter, which carries other tools' keys.

use crate::yaml;
use chrono_tz::Tz;
use serde::Deserialize;
use url::Url;

/// `almanac.yaml` as written by the user, or a generator's config read in
/// its terms (`crate::generator`); every key optional until validated.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub author: Option<Author>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub feed_limit: Option<usize>,
    #[serde(default)]
    pub default_slot_minutes: Option<u32>,
    #[serde(default)]
    pub end_markers: Vec<String>,
    #[serde(default)]
    pub feeds_url: Option<String>,
    #[serde(default)]
    pub refresh_minutes: Option<u32>,
    #[serde(default)]
    pub max_note_bytes: Option<u64>,
    #[serde(default)]
    pub max_tags: Option<usize>,
    #[serde(default)]
    pub max_entry_bytes: Option<usize>,
    #[serde(default)]
    pub keep_going: Option<bool>,
    #[serde(default)]
    pub event_title: Option<String>,
    #[serde(default)]
    pub alarm_minutes: Option<u32>,
    #[serde(default)]
    pub subscribe_page: Option<bool>,
    #[serde(default)]
    pub feed_stylesheet: Option<bool>,
    #[serde(default)]
    pub websub_hub: Option<String>,
    #[serde(default)]
    pub calendar_past_days: Option<u32>,
    #[serde(default)]
    pub calendar_max_events: Option<usize>,
    #[serde(default)]
    pub calendar_max_bytes: Option<u64>,
    #[serde(default)]
    pub calendar_archive: Option<bool>,
    #[serde(default)]
    pub cancelled_days: Option<u32>,
}

impl Settings {
    /// These settings, each unset key taken from `under` (a generator's
    /// config under almanac.yaml).
    pub fn over(self, under: Settings) -> Settings {
        Settings {
            title: self.title.or(under.title),
            base_url: self.base_url.or(under.base_url),
            description: self.description.or(under.description),
            author: self.author.or(under.author),
            language: self.language.or(under.language),
            timezone: self.timezone.or(under.timezone),
            feed_limit: self.feed_limit.or(under.feed_limit),
            default_slot_minutes: self.default_slot_minutes.or(under.default_slot_minutes),
            end_markers: if self.end_markers.is_empty() {
                under.end_markers
            } else {
                self.end_markers
            },
            feeds_url: self.feeds_url.or(under.feeds_url),
            refresh_minutes: self.refresh_minutes.or(under.refresh_minutes),
            max_note_bytes: self.max_note_bytes.or(under.max_note_bytes),
            max_tags: self.max_tags.or(under.max_tags),
            max_entry_bytes: self.max_entry_bytes.or(under.max_entry_bytes),
            keep_going: self.keep_going.or(under.keep_going),
            event_title: self.event_title.or(under.event_title),
            alarm_minutes: self.alarm_minutes.or(under.alarm_minutes),
            subscribe_page: self.subscribe_page.or(under.subscribe_page),
            feed_stylesheet: self.feed_stylesheet.or(under.feed_stylesheet),
            websub_hub: self.websub_hub.or(under.websub_hub),
            calendar_past_days: self.calendar_past_days.or(under.calendar_past_days),
            calendar_max_events: self.calendar_max_events.or(under.calendar_max_events),
            calendar_max_bytes: self.calendar_max_bytes.or(under.calendar_max_bytes),
            calendar_archive: self.calendar_archive.or(under.calendar_archive),
            cancelled_days: self.cancelled_days.or(under.cancelled_days),
        }
    }
}

/// The site's author, also the default author of every note.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Author {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// The span and caps of the subscribed calendars (docs/outputs.md,
/// "Calendar window"): Google Calendar silently drops events past about
/// 1 MB or 1,100 events, and Nextcloud times out on 2 MB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// Events that started up to this many days before the build's "now"
    /// stay; every later one is in.
    pub past_days: u32,
    /// At most this many events (the oldest leave first); 0 for no cap.
    pub max_events: usize,
    /// At most this many bytes of file (the oldest leave first); 0 for no cap.
    pub max_bytes: u64,
    /// Whether `archive.ics` holds every event, windowless.
    pub archive: bool,
    /// Days a removed slot stays in the calendars as cancelled.
    pub cancelled_days: u32,
}

/// The validated site configuration every later stage reads.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub description: Option<String>,
    /// Always ends with `/`, so relative paths join under it.
    pub base_url: Url,
    /// Where `feeds/` is served; self links of feeds point here.
    pub feeds_url: Url,
    pub author: Author,
    pub language: String,
    pub timezone: Tz,
    /// 0 means every entry.
    pub feed_limit: usize,
    pub default_slot_minutes: u32,
    /// Built-in end markers plus the site's own, lowercased.
    pub end_markers: Vec<String>,
    /// How often calendar apps should poll (REFRESH-INTERVAL, X-PUBLISHED-TTL).
    pub refresh_minutes: u32,
    /// Notes larger than this are refused before they are read: parsing
    /// one costs many times its size (see [`crate::source::budget`]).
    pub max_note_bytes: u64,
    /// Tags (and, apart, categories) one note may have: every tag is a
    /// feed holding the note with all its categories, so a note's share of
    /// the output grows with the square of its tags.
    pub max_tags: usize,
    /// Content HTML one feed entry may carry; a longer one becomes the
    /// summary and a link. Readers drop what they cannot parse (libxml2
    /// refuses a text node past 10 MB, and newsboat then loses every older
    /// entry with it).
    pub max_entry_bytes: usize,
    /// How an event is titled: `{note}` and `{slot}` replaced by the
    /// note's title and the slot's (with its speaker). In a site or tag
    /// calendar a slot's own title (`Doors open`) says nothing of which
    /// event it belongs to.
    pub event_title: String,
    /// Minutes before each event a reminder goes off (one VALARM), if set.
    pub alarm_minutes: Option<u32>,
    /// Whether to write `index.html`, the subscribe page.
    pub subscribe_page: bool,
    /// Whether to write `feed.xsl` and name it in the Atom and RSS feeds,
    /// so that a browser shows them as a page.
    pub feed_stylesheet: bool,
    /// A WebSub hub: feeds name it, and a build tells it of every feed it
    /// changed, so subscribers' readers fetch at once instead of polling.
    pub websub_hub: Option<Url>,
    /// What the subscribed calendars (the site's and each tag's) hold.
    pub window: Window,
    /// `keep_going: true`: as `--keep-going` on every build.
    pub keep_going: bool,
    /// `--drafts`: drafts are notes like any other.
    pub drafts: bool,
    /// `--future`: a note is in the feeds before its date.
    pub future: bool,
    /// With `--source`, how the generator places pages (file-name dates,
    /// permalinks, which pages are posts); `None` for almanac's own layout.
    pub rules: Option<crate::generator::Rules>,
}

/// Slot titles that only end the slot before them (docs/format.md, "Agenda slots").
pub const DEFAULT_END_MARKERS: [&str; 33] = [
    "終了",
    "閉会",
    "解散",
    "撤収",
    "退館",
    "end",
    "close",
    "closing",
    "doors close",
    "close up",
    "adjourn",
    "end of event",
    "end of the event",
    "event ends",
    "fin",
    "clôture",
    "ende",
    "schluss",
    "slut",
    "encerramento",
    "fim",
    "cierre",
    "koniec",
    "selesai",
    "конец",
    "结束",
    "会议结束",
    "活动结束",
    "散会",
    "종료",
    "폐회",
    "일정 마무리",
    "お開き",
];

/// A config file that cannot be used, with the line when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct ConfigError {
    pub line: Option<usize>,
    pub message: String,
}

impl ConfigError {
    fn at(text: &str, key: &str, message: String) -> Self {
        Self {
            line: key_line(text, key),
            message,
        }
    }
}

/// The 1-based line of a top-level `key:` in a YAML text, if present.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|index| index + 1)
}

/// Reads the site config at `path`: the config, and a hash of the text it
/// was read from (part of the cache's key).
pub fn load(path: &std::path::Path) -> Result<(SiteConfig, u64), crate::error::Error> {
    let text = read(path)?;
    let hash = crate::digest::fnv1a(text.as_bytes());
    SiteConfig::parse(&text)
        .map(|config| (config, hash))
        .map_err(|error| located(path, &error))
}

/// Reads `almanac.yaml` at `path`, if there is one, over the settings a
/// generator's config gave (`from`, the file they came from), `base_url`
/// (`--base-url`) over both. An error in a key almanac.yaml does not set
/// names the generator's file.
pub fn load_over(
    path: &std::path::Path,
    under: Settings,
    from: &std::path::Path,
    base_url: Option<&str>,
) -> Result<SiteConfig, crate::error::Error> {
    let text = match path.exists() {
        true => read(path)?,
        false => String::new(),
    };
    let own: Settings = yaml::from_str(&text).map_err(|error| {
        located(
            path,
            &ConfigError {
                line: error.line,
                message: error.message,
            },
        )
    })?;
    let mut settings = own.over(under);
    if let Some(url) = base_url {
        settings.base_url = Some(url.to_string());
    }
    SiteConfig::validate(&text, settings).map_err(|error| match error.line {
        Some(_) => located(path, &error),
        None => crate::error::Error::Config(format!("{}: {}", from.display(), error.message)),
    })
}

fn read(path: &std::path::Path) -> Result<String, crate::error::Error> {
    use crate::error::Error;
    std::fs::read(path)
        .map_err(|error| {
            let hint = match error.kind() {
                std::io::ErrorKind::NotFound => "; `almanac init` starts a site here",
                _ => "",
            };
            Error::Config(format!(
                "{}: cannot read the site config: {error}{hint}",
                path.display()
            ))
        })
        .and_then(|bytes| {
            crate::source::decode(bytes)
                .map_err(|p| Error::Config(format!("{}:{}: {}", path.display(), p.line, p.message)))
        })
}

fn located(path: &std::path::Path, error: &ConfigError) -> crate::error::Error {
    crate::error::Error::Config(format!(
        "{}:{}: {}",
        path.display(),
        error.line.unwrap_or(1),
        error.message
    ))
}

impl SiteConfig {
    /// Parses and validates the text of `almanac.yaml`.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let raw: Settings = yaml::from_str(text).map_err(|error| ConfigError {
            line: error.line,
            message: error.message,
        })?;
        for (key, value) in [("title", &raw.title), ("base_url", &raw.base_url)] {
            if value.is_none() {
                return Err(ConfigError {
                    line: Some(1),
                    message: format!("missing field `{key}`"),
                });
            }
        }
        Self::validate(text, raw)
    }

    /// Validates settings read from `text` (for the lines of their keys).
    fn validate(text: &str, raw: Settings) -> Result<Self, ConfigError> {
        let (base_url, feeds_url) = urls(text, &raw)?;
        let zone_name = raw.timezone.as_deref().unwrap_or("UTC");
        let timezone = zone_name.parse::<Tz>().map_err(|_| {
            ConfigError::at(
                text,
                "timezone",
                format!("unknown time zone `{zone_name}` (use an IANA name such as Asia/Tokyo)"),
            )
        })?;
        let default_slot_minutes = raw.default_slot_minutes.unwrap_or(30);
        if default_slot_minutes == 0 || default_slot_minutes > 24 * 60 {
            return Err(ConfigError::at(
                text,
                "default_slot_minutes",
                "default_slot_minutes must be between 1 and 1440".into(),
            ));
        }
        let refresh_minutes = raw.refresh_minutes.unwrap_or(60);
        if refresh_minutes == 0 {
            return Err(ConfigError::at(
                text,
                "refresh_minutes",
                "refresh_minutes must be at least 1".into(),
            ));
        }
        let title = raw.title.clone().unwrap_or_default();
        if title.trim().is_empty() {
            return Err(ConfigError::at(text, "title", "title is empty".into()));
        }
        let (event_title, websub_hub) = subscriber_keys(text, &raw)?;
        let mut end_markers: Vec<String> =
            DEFAULT_END_MARKERS.iter().map(|m| m.to_string()).collect();
        end_markers.extend(
            raw.end_markers
                .iter()
                .map(|m| m.trim().to_lowercase())
                .filter(|m| !m.is_empty()),
        );
        Ok(Self {
            title,
            description: raw.description,
            base_url,
            feeds_url,
            author: raw.author.unwrap_or_default(),
            language: raw.language.unwrap_or_else(|| "en".into()),
            timezone,
            feed_limit: raw.feed_limit.unwrap_or(50),
            default_slot_minutes,
            end_markers,
            refresh_minutes,
            max_note_bytes: raw.max_note_bytes.unwrap_or(4 * 1024 * 1024),
            max_tags: raw.max_tags.unwrap_or(100),
            max_entry_bytes: raw.max_entry_bytes.unwrap_or(512 * 1024),
            event_title,
            alarm_minutes: raw.alarm_minutes,
            subscribe_page: raw.subscribe_page.unwrap_or(true),
            feed_stylesheet: raw.feed_stylesheet.unwrap_or(true),
            websub_hub,
            window: Window {
                past_days: raw.calendar_past_days.unwrap_or(90),
                max_events: raw.calendar_max_events.unwrap_or(1000),
                max_bytes: raw.calendar_max_bytes.unwrap_or(1_000_000),
                archive: raw.calendar_archive.unwrap_or(false),
                cancelled_days: raw.cancelled_days.unwrap_or(30),
            },
            keep_going: raw.keep_going.unwrap_or(false),
            drafts: false,
            future: false,
            rules: None,
        })
    }

    /// The host part of `base_url`, the right-hand side of every calendar UID.
    pub fn host(&self) -> &str {
        self.base_url.host_str().unwrap_or("localhost")
    }
}

/// `event_title` (default `{note}: {slot}`, which must hold `{slot}`) and
/// `websub_hub`, an absolute http(s) URL if set.
fn subscriber_keys(text: &str, raw: &Settings) -> Result<(String, Option<Url>), ConfigError> {
    let websub_hub = match &raw.websub_hub {
        None => None,
        Some(hub) => Some(
            Url::parse(hub.trim())
                .ok()
                .filter(|url| matches!(url.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    ConfigError::at(
                        text,
                        "websub_hub",
                        format!("websub_hub `{hub}` is not an absolute http(s) URL"),
                    )
                })?,
        ),
    };
    let event_title = raw
        .event_title
        .clone()
        .unwrap_or_else(|| "{note}: {slot}".into());
    if !event_title.contains("{slot}") {
        return Err(ConfigError::at(
            text,
            "event_title",
            "event_title must contain `{slot}` (and may contain `{note}`)".into(),
        ));
    }
    Ok((event_title, websub_hub))
}

/// Parses an absolute http(s) URL and makes it end with `/`.
/// `base_url`, and `feeds_url` (else `feeds/` under `base_url`).
fn urls(text: &str, raw: &Settings) -> Result<(Url, Url), ConfigError> {
    let Some(base) = raw.base_url.as_deref() else {
        return Err(ConfigError::at(
            text,
            "base_url",
            "no base_url: set it in almanac.yaml (or pass --base-url)".into(),
        ));
    };
    let base_url = directory_url(base).ok_or_else(|| {
        ConfigError::at(
            text,
            "base_url",
            format!("base_url `{base}` is not an absolute http(s) URL"),
        )
    })?;
    let feeds_url = match &raw.feeds_url {
        Some(url) => directory_url(url).ok_or_else(|| {
            ConfigError::at(
                text,
                "feeds_url",
                format!("feeds_url `{url}` is not an absolute http(s) URL"),
            )
        })?,
        None => base_url.join("feeds/").expect("a relative path joins"),
    };
    Ok((base_url, feeds_url))
}

fn directory_url(text: &str) -> Option<Url> {
    let mut url = Url::parse(text.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title: Notes\nbase_url: https://notes.example.org\n";

    #[test]
    fn defaults_follow_the_format() {
        let config = SiteConfig::parse(MINIMAL).unwrap();
        assert_eq!(config.base_url.as_str(), "https://notes.example.org/");
        assert_eq!(
            config.feeds_url.as_str(),
            "https://notes.example.org/feeds/"
        );
        assert_eq!(config.timezone, Tz::UTC);
        assert_eq!(config.feed_limit, 50);
        assert_eq!(config.default_slot_minutes, 30);
        assert_eq!(config.host(), "notes.example.org");
        assert!(config.end_markers.iter().any(|m| m == "終了"));
    }

    #[test]
    fn unknown_key_is_refused_with_its_line() {
        let error = SiteConfig::parse(&format!("{MINIMAL}feed_limt: 3\n")).unwrap_err();
        assert_eq!(error.line, Some(3));
        assert!(error.message.contains("feed_limt"), "{error}");
    }

    #[test]
    fn bad_time_zone_names_its_line() {
        let error = SiteConfig::parse(&format!("{MINIMAL}timezone: Asia/Tokio\n")).unwrap_err();
        assert_eq!(error.line, Some(3));
        assert!(error.message.contains("Asia/Tokio"));
    }

    #[test]
    fn extra_end_markers_are_lowercased() {
        let config =
            SiteConfig::parse(&format!("{MINIMAL}end_markers: [\"Fin\", \" お開き \"]\n")).unwrap();
        assert!(config.end_markers.contains(&"fin".to_string()));
        assert!(config.end_markers.contains(&"お開き".to_string()));
    }

    #[test]
    fn relative_base_url_is_refused() {
        assert!(SiteConfig::parse("title: x\nbase_url: /blog/\n").is_err());
    }
}
