#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit and end-to-end tests, and
# third-party clients reading every output file.
# This is the README's test command; .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")"

cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked

# Every output file of the sample and fixture sites, read by real feed
# readers and calendar clients (installed by tests/clients/install.sh).
tests/clients/run.sh
