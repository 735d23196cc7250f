#!/usr/bin/env bash
# Builds the sample site and every valid fixture site, then reads each
# output file with third-party clients (tests/clients/check.py) and checks
# that the deliberately broken files under tests/clients/broken are rejected.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

"$here/install.sh"
cargo build --locked --quiet
almanac="$root/target/debug/almanac"
python="$root/target/clients/venv/bin/python"
now=2026-01-01T00:00:00Z
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
check_site() {
  local label=$1 config=$2
  local out="$work/$label"
  "$almanac" build --quiet --config "$config" --out "$out" --now "$now"
  "$almanac" check --json --config "$config" --now "$now" >"$work/$label.json"
  echo "clients: $label"
  "$python" "$here/check.py" site "$out" "$work/$label.json" "$label" || status=1
}

check_site sample "$root/almanac.yaml"
for site in "$root"/tests/fixtures/*/; do
  name=$(basename "$site")
  case "$name" in invalid-*) continue ;; esac
  check_site "$name" "$site/almanac.yaml"
done
# Five zones from 2015 to 2035, either side of every change of offset:
# each client expands the calendars' VTIMEZONEs to the tz database's instants.
check_site zones "$here/zones/almanac.yaml"
"$here/page.sh" || status=1
echo "clients: broken files"
"$python" "$here/check.py" broken "$here/broken" || status=1
exit $status
