//! End-to-end tests: the `almanac` binary on the sample site and on fixture
//! sites under `tests/fixtures/`, its outputs read back by independent parsers.

mod calendar;
mod cli_surface;
mod corpus;
mod cron;
mod faults;
mod feeds;
mod fixtures;
mod fuzz_regressions;
mod incremental;
mod sample;
mod sources;
mod support;
mod sync;
