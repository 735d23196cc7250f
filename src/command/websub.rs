//! WebSub pings: after a build, the hub named by `websub_hub` is told of
//! every feed whose bytes changed (`hub.mode=publish`, the form hubs
//! accept), so subscribers' readers fetch it at once. A hub that cannot be
//! reached warns; it never fails the build.

use crate::config::SiteConfig;
use std::time::Duration;
use url::Url;

/// Pings `hub` for each feed among `written` (paths under the output
/// folder); returns a warning for each ping that failed.
pub fn ping(config: &SiteConfig, hub: &Url, written: &[String]) -> Vec<String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    written
        .iter()
        .filter(|path| is_feed(path))
        .filter_map(|path| {
            let feed = config.feeds_url.join(path).ok()?;
            let answer = agent
                .post(hub.as_str())
                .send_form([("hub.mode", "publish"), ("hub.url", feed.as_str())]);
            match answer {
                Ok(response) if response.status().is_success() => None,
                Ok(response) => Some(format!(
                    "the WebSub hub {hub} answered {} for {feed}",
                    response.status()
                )),
                Err(error) => Some(format!(
                    "cannot ping the WebSub hub {hub} for {feed}: {error}"
                )),
            }
        })
        .collect()
}

fn is_feed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(name, "atom.xml" | "rss.xml" | "feed.json")
}
