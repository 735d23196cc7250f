//! A progress bar for long builds: shown on a terminal only, and only once a
//! build has run for a second, so cron output and quick runs stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// Counts notes read; visible after a second on a terminal.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn new(total: usize, quiet: bool) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        if !quiet && std::io::stderr().is_terminal() {
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} notes {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let delayed = bar.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(1));
                if !delayed.is_finished() {
                    delayed.set_draw_target(ProgressDrawTarget::stderr());
                }
            });
        }
        Self { bar }
    }

    pub fn tick(&self) {
        self.bar.inc(1);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
