//! The command line (clap derive), turned into one validated `Run`.

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  a note or the content is invalid (every problem listed as path:line: message;
     nothing in the output folder is replaced), or the output could not be written
  2  usage or configuration error
  3  another run held the output folder longer than --lock-timeout
  4  with --keep-going: some notes were invalid (each listed); the others were published";

/// Publishes a folder of Markdown notes as Atom, RSS, JSON Feed and iCalendar.
#[derive(Debug, Parser)]
#[command(name = "almanac", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the notes and write feeds and calendars to the output folder.
    Build(BuildArgs),
    /// Read the notes and report every problem, without writing anything.
    Check(CheckArgs),
    /// Print the agenda slots found in the given notes.
    Slots(SlotsArgs),
    /// Start a new site in DIR: a commented almanac.yaml, an example note
    /// with an agenda, and a .gitignore; with --source, an almanac.yaml
    /// for an existing Hugo, Jekyll, Zola or Eleventy site.
    Init(InitArgs),
    /// Write a new note with its front matter filled in.
    New(NewArgs),
    /// Build, then serve the output folder on 127.0.0.1 and rebuild on every change.
    Serve(ServeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the manual page (roff).
    Man,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder of the new site [default: the current folder].
    #[arg(value_name = "DIR", default_value = ".", conflicts_with = "source")]
    pub dir: PathBuf,
    /// An existing site's root folder: write an almanac.yaml of what its
    /// generator's config says.
    #[arg(long, short, value_name = "DIR")]
    pub source: Option<PathBuf>,
    /// Where to write it [default: almanac.yaml in the site's folder].
    #[arg(long, value_name = "FILE", requires = "source")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The note's title.
    pub title: String,
    /// Site configuration file (the note goes in its content folder).
    #[arg(long, value_name = "FILE", default_value = "almanac.yaml")]
    pub config: PathBuf,
    /// The note's day [default: today in the site's time zone].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub date: Option<chrono::NaiveDate>,
    /// Add an `event` map and an agenda to fill in.
    #[arg(long)]
    pub event: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder [default: `feeds/` beside the config file].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Port on 127.0.0.1 (0: any free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Open the served folder in a browser.
    #[arg(long)]
    pub open: bool,
}

impl ServeArgs {
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            paths: Paths::resolve(&self.site, self.out.as_ref(), None),
            now: self.site.now,
            quiet: false,
            verbose: false,
            lock_timeout: std::time::Duration::from_secs(60),
            watch: false,
            verify: false,
            keep_going: false,
        }
    }
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date like 2025-05-01"))
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Site configuration file [default: almanac.yaml; with --source,
    /// almanac.yaml in DIR if there is one].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A Hugo, Jekyll, Zola or Eleventy site's root folder, read as it is:
    /// its generator's config gives the site keys and where the posts are.
    #[arg(long, short, value_name = "DIR")]
    pub source: Option<PathBuf>,
    /// The site's address, over the config's `base_url`.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Publish drafts too (`draft: true`, and Jekyll's `_drafts/`).
    #[arg(long)]
    pub drafts: bool,
    /// Publish notes dated after now (or `--now`) too.
    #[arg(long)]
    pub future: bool,
    /// Folder of notes [default: `content/` beside the config file].
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// The moment that decides publishDate/expiryDate [default: the clock].
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder [default: `feeds/` beside the config file].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print nothing unless something is wrong.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say which notes were read anew and which files were written.
    #[arg(long, short)]
    pub verbose: bool,
    /// Folder for the incremental cache [default: `.almanac/` in the output folder].
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// After building, rebuild whenever a note or the config changes (Ctrl-C stops).
    #[arg(long)]
    pub watch: bool,
    /// Seconds to wait for another run on the same output folder.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub lock_timeout: u64,
    /// Render every file and rewrite each published one that differs (one
    /// damaged or restored from an old backup); cheap enough for a daily cron.
    #[arg(long, conflicts_with = "watch")]
    pub verify: bool,
    /// Publish the valid notes when some are invalid (each is listed; exit 4).
    #[arg(long)]
    pub keep_going: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Print, as JSON, every output file with the entries or events it holds.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SlotsArgs {
    /// Site configuration file (for the time zone and slot rules)
    /// [default: almanac.yaml].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A generator's site folder whose config gives the time zone.
    #[arg(long, short, value_name = "DIR")]
    pub source: Option<PathBuf>,
    /// Also tell, line by line, why a line became a slot, a day, a speaker
    /// or an end, or why it did not.
    #[arg(long)]
    pub explain: bool,
    /// Note files to read.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|error| {
            format!("`{text}` is not an RFC 3339 date-time ({error}); e.g. 2024-01-31T12:00:00Z")
        })
}

/// Where a run reads and writes, with defaults resolved against the config
/// file's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config: PathBuf,
    /// A generator's site folder (`--source`): its config is read under
    /// `config`, which then need not exist.
    pub source: Option<PathBuf>,
    /// `--base-url`, over every config.
    pub base_url: Option<String>,
    /// `--drafts` and `--future`: which notes a run reads as published.
    pub drafts: bool,
    pub future: bool,
    /// Whether the posts are where the `--source` generator keeps them
    /// (no `--content` given).
    pub content_from_source: bool,
    pub content: PathBuf,
    pub out: PathBuf,
    pub cache: PathBuf,
}

impl Paths {
    pub fn resolve(site: &SiteArgs, out: Option<&PathBuf>, cache: Option<&PathBuf>) -> Self {
        let config = config_path(site.config.as_ref(), site.source.as_ref());
        let base = site
            .source
            .clone()
            .or_else(|| config.parent().map(PathBuf::from))
            .unwrap_or_default();
        let out = out.cloned().unwrap_or_else(|| base.join("feeds"));
        Self {
            config,
            source: site.source.clone(),
            base_url: site.base_url.clone(),
            drafts: site.drafts,
            future: site.future,
            content_from_source: site.source.is_some() && site.content.is_none(),
            content: site.content.clone().unwrap_or_else(|| base.join("content")),
            cache: cache
                .cloned()
                .unwrap_or_else(|| out.join(crate::publish::STATE_DIR)),
            out,
        }
    }
}

/// `--config`, else `almanac.yaml` in the `--source` folder or here.
pub fn config_path(config: Option<&PathBuf>, source: Option<&PathBuf>) -> PathBuf {
    match (config, source) {
        (Some(config), _) => config.clone(),
        (None, Some(source)) => source.join("almanac.yaml"),
        (None, None) => PathBuf::from("almanac.yaml"),
    }
}

/// What `almanac build` was asked to do, validated.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub paths: Paths,
    /// The moment that decides publishDate/expiryDate; the clock if unset.
    pub now: Option<DateTime<Utc>>,
    pub quiet: bool,
    pub verbose: bool,
    pub lock_timeout: std::time::Duration,
    pub watch: bool,
    pub verify: bool,
    /// Invalid notes are left out instead of stopping the run.
    pub keep_going: bool,
}

impl BuildArgs {
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            paths: Paths::resolve(&self.site, self.out.as_ref(), self.cache.as_ref()),
            now: self.site.now,
            quiet: self.quiet,
            verbose: self.verbose,
            lock_timeout: std::time::Duration::from_secs(self.lock_timeout),
            watch: self.watch,
            verify: self.verify,
            keep_going: self.keep_going,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn paths_default_beside_the_config() {
        let cli = Cli::parse_from(["almanac", "build", "--config", "site/almanac.yaml"]);
        let Command::Build(args) = cli.command else {
            panic!()
        };
        let paths = Paths::resolve(&args.site, args.out.as_ref(), None);
        assert_eq!(paths.content, PathBuf::from("site/content"));
        assert_eq!(paths.out, PathBuf::from("site/feeds"));
    }

    #[test]
    fn source_folder_holds_the_config_and_the_output() {
        let cli = Cli::parse_from(["almanac", "build", "-s", "blog"]);
        let Command::Build(args) = cli.command else {
            panic!()
        };
        let paths = Paths::resolve(&args.site, None, None);
        assert_eq!(paths.config, PathBuf::from("blog/almanac.yaml"));
        assert_eq!(paths.source, Some(PathBuf::from("blog")));
        assert_eq!(paths.out, PathBuf::from("blog/feeds"));
    }

    #[test]
    fn now_must_be_rfc3339() {
        assert!(Cli::try_parse_from(["almanac", "check", "--now", "yesterday"]).is_err());
        let cli = Cli::parse_from(["almanac", "check", "--now", "2024-01-31T12:00:00+09:00"]);
        let Command::Check(args) = cli.command else {
            panic!()
        };
        assert_eq!(
            args.site.now.unwrap().to_rfc3339(),
            "2024-01-31T03:00:00+00:00"
        );
    }
}
