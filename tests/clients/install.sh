#!/usr/bin/env bash
# Installs the third-party feed readers and calendar clients that
# tests/clients/check.py runs on every output file. Idempotent; prints
# nothing on success. Debian packages come from apt, Python ones go into a
# virtualenv under target/, ical.js into target/ from npm when npm exists.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
clients="$root/target/clients"
mkdir -p "$clients"
log="$clients/install.log"
: >"$log"

fail() {
  echo "tests/clients/install.sh: $1 (log: $log)" >&2
  tail -n 40 "$log" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages, by the command each provides.
missing=()
for pair in xmllint:libxml2-utils calcurse:calcurse khal:khal sfeed:sfeed \
  newsboat:newsboat sqlite3:sqlite3 chromium-headless-shell:chromium-headless-shell; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
# libical's GObject bindings, for the system's Python.
/usr/bin/python3 -c 'import gi; gi.require_version("ICalGLib", "3.0")' >/dev/null 2>&1 \
  || missing+=(python3-gi gir1.2-ical-3.0)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq >>"$log" 2>&1 || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >>"$log" 2>&1 || fail "apt-get install ${missing[*]} failed"
fi

# Python parsers, pinned, in a virtualenv of their own.
venv="$clients/venv"
requirements="$here/requirements.txt"
stamp="$venv/.installed"
if [ ! -f "$stamp" ] || ! cmp -s "$requirements" "$stamp"; then
  rm -rf "$venv"
  python3 -m venv "$venv" >>"$log" 2>&1 || fail "python3 -m venv failed"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements" >>"$log" 2>&1 \
    || fail "pip install failed"
  cp "$requirements" "$stamp"
fi

# ical.js (Mozilla's parser, used by Thunderbird) if npm is available.
if command -v npm >/dev/null 2>&1 && [ ! -d "$clients/node/node_modules/ical.js" ]; then
  npm install --silent --no-audit --no-fund --prefix "$clients/node" ical.js@2 >>"$log" 2>&1 \
    || echo "note: ical.js could not be installed from npm; it will be skipped" >>"$log"
fi
exit 0
