#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit and end-to-end tests.
# This is the README's test command; .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")"

cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked
