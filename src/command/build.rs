//! A build's last step: which files this run's changes touch, the content
//! HTML their feeds show, and rendering them into `publish`. Files no
//! change touches are left as the last run wrote them (the cache is only
//! trusted for the same config and binary).

use crate::config::SiteConfig;
use crate::incremental::reach::Touched;
use crate::incremental::spool::Spool;
use crate::model::Site;
use crate::problem::Problem;
use crate::publish;
use crate::render::{self, Format, Planned, Shared};
use crate::site;
use anyhow::{Context, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What publishing gave.
pub enum Built {
    /// The files were published; the spool is the next run's cache.
    Published(publish::Report, Spool),
    /// Notes changed or vanished while the build ran: nothing was published.
    Changed(Vec<Problem>),
}

/// Renders and publishes the files of `site` under `out`, rendering only
/// those `touched` makes stale.
pub fn publish_site(
    site: &mut Site,
    config: &SiteConfig,
    out: &Path,
    touched: &Touched,
    shared: Shared,
) -> Result<Built> {
    let present = publish::present(out);
    let needed = feed_entries(site, touched, &present);
    let problems = site::fill_content(site, &needed, config);
    if !problems.is_empty() {
        return Ok(Built::Changed(problems));
    }
    let site = &*site;
    let plan = render::plan(site);
    let files: Vec<String> = plan.iter().map(|planned| planned.path.clone()).collect();
    // Which files this run's changes reach, worked out once for each.
    let reached: Vec<bool> = plan
        .iter()
        .map(|planned| touched.reaches(site, planned))
        .collect();
    // What to compare with before writing: the published files, less the
    // calendars known to differ (a changed event, a new name), whose
    // comparison would read a large site's whole calendar to find the
    // difference at its end.
    let compared: HashSet<String> = plan
        .iter()
        .zip(&reached)
        .filter(|(planned, _)| present.contains(&planned.path))
        .filter(|(planned, reached)| !(**reached && touched.differs_when_reached(planned)))
        .map(|(planned, _)| planned.path.clone())
        .collect();
    let report = publish::publish_rendered(out, &files, &compared, |index, writer| {
        let planned = &plan[index];
        if is_current(planned, reached[index], &present) {
            return Ok(false);
        }
        render::render(site, planned, &shared, writer).map(|()| true)
    })
    .with_context(|| format!("publishing to {}", out.display()))?;
    Ok(Built::Published(report, shared.into_spool()))
}

/// Whether the published copy of a planned file is as this run would write
/// it: no change of this run `reached` it, and it is there.
fn is_current(planned: &Planned, reached: bool, present: &HashSet<String>) -> bool {
    !reached && present.contains(&planned.path)
}

/// The notes whose content the feeds this run renders show.
fn feed_entries(site: &Site, touched: &Touched, present: &HashSet<String>) -> HashSet<PathBuf> {
    render::plan(site)
        .iter()
        .filter(|planned| planned.format != Format::Calendar)
        .filter(|planned| !is_current(planned, touched.reaches(site, planned), present))
        .flat_map(|planned| planned.selection.entries(site))
        .map(|note| note.path.clone())
        .collect()
}
