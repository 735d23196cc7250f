#!/usr/bin/env bash
# The subscribe page and the styled feeds in a real browser: the sample
# site built and served by `almanac serve`, opened in headless Chromium at
# a phone's and a desktop's width. Screenshots go to
# target/clients/screenshots/ to be looked at; the page must log nothing
# to the console, and every link and URL on it must resolve on the server
# (tests/clients/check.py page).
#
# Then every Atom and RSS feed, served as static hosts serve .xml
# (application/xml: Chromium shows application/atom+xml and
# application/rss+xml as plain text and applies no stylesheet), must
# become feed.xsl's page: its entries as HTML, every link resolving
# (check.py styled), and nothing in the console but Chromium's notice that
# XSLT is deprecated. What Chromium does with XSLT is printed as measured
# (docs/outputs.md, "The feeds' stylesheet").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
almanac="$root/target/debug/almanac"
python="$root/target/clients/venv/bin/python"
shots="$root/target/clients/screenshots"
mkdir -p "$shots"
work=$(mktemp -d)
server=""
static=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  [ -n "$static" ] && kill "$static" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/site"
cp "$root/almanac.yaml" "$work/site/"
cp -r "$root/content" "$work/site/content"
# A "now" a week before the sample's next meetup, so the page lists it.
now=2024-11-20T00:00:00Z
"$almanac" serve --port 0 --config "$work/site/almanac.yaml" --out "$work/out" \
  --now "$now" >/dev/null 2>"$work/serve.log" &
server=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.log" | head -n 1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "page: the server did not start"; cat "$work/serve.log"; exit 1; }
url="http://127.0.0.1:$port/"

browser() {
  chromium-headless-shell --no-sandbox --hide-scrollbars --disable-gpu "$@"
}
status=0
for width in 390 1280; do
  browser --window-size="$width,2400" --screenshot="$shots/index-$width.png" "$url" \
    >/dev/null 2>"$work/console-$width.log"
  if grep -q "CONSOLE" "$work/console-$width.log"; then
    echo "page: the browser console is not empty at width $width:"
    grep "CONSOLE" "$work/console-$width.log"
    status=1
  fi
done
browser --dump-dom "$url" >"$work/dom.html" 2>/dev/null
echo "clients: subscribe page (screenshots in ${shots#"$root"/})"
"$python" "$here/check.py" page "$url" "$work/dom.html" || status=1

# The styled feeds, from the folder `almanac serve` built, served by a
# static server with Python's types (/etc/mime.types: .xml
# application/xml, .xsl application/xslt+xml), as GitHub Pages and Apache
# serve them.
"$python" -u -m http.server --bind 127.0.0.1 --directory "$work/out" 0 \
  >"$work/static.log" 2>&1 &
static=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/static.log" | head -n 1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "feeds: the static server did not start"; cat "$work/static.log"; exit 1; }
static_url="http://127.0.0.1:$port/"
"$almanac" check --json --config "$work/site/almanac.yaml" --now "$now" >"$work/manifest.json"

deprecated="XSLTProcessor and XSLT Processing Instructions have been deprecated"
# Anything in the console but Chromium's XSLT deprecation notice fails.
console_clean() {
  local log=$1 what=$2
  if grep "CONSOLE" "$log" | grep -v -q "$deprecated"; then
    echo "feeds: the browser console is not empty for $what:"
    grep "CONSOLE" "$log" | grep -v "$deprecated"
    return 1
  fi
}
mkdir -p "$work/styled"
(cd "$work/out" && find . -name '*.xml' | sed 's|^\./||' | sort) >"$work/feeds.txt"
while read -r feed; do
  name=${feed//\//__}
  browser --dump-dom "$static_url$feed" >"$work/styled/$name.html" 2>"$work/styled-$name.log"
  console_clean "$work/styled-$name.log" "$feed" || status=1
done <"$work/feeds.txt"
for feed in atom.xml rss.xml; do
  for width in 390 1280; do
    browser --window-size="$width,1600" --screenshot="$shots/${feed%.xml}-$width.png" \
      "$static_url$feed" >/dev/null 2>"$work/shot.log"
    console_clean "$work/shot.log" "$feed at width $width" || status=1
  done
done
echo "clients: styled feeds ($(wc -l <"$work/feeds.txt") feeds)"
"$python" "$here/check.py" styled "$static_url" "$work/manifest.json" "$work/styled" || status=1

# Measured, not required: what this Chromium does with XSLT, with feeds
# served with their own types, and once XSLT is gone (its removal switch).
version=$(chromium-headless-shell --version 2>/dev/null | head -n 1)
if grep -q "xslt-warning-banner" "$work/styled/atom.xml.html"; then
  echo "measured: $version shows its XSLT removal banner over styled feeds"
fi
if grep -q "$deprecated" "$work/styled-atom.xml.log"; then
  echo "measured: $version logs that XSLT is deprecated"
fi
browser --dump-dom "${url}atom.xml" >"$work/typed.html" 2>/dev/null
if grep -q "<pre" "$work/typed.html"; then
  echo "measured: $version shows application/atom+xml (almanac serve) as plain text, unstyled"
fi
browser --disable-blink-features=XSLT --window-size=1280,1600 \
  --screenshot="$shots/atom-without-xslt-1280.png" "${static_url}atom.xml" >/dev/null 2>&1
browser --disable-blink-features=XSLT --dump-dom "${static_url}atom.xml" >"$work/removed.html" 2>/dev/null
if grep -q "xml-viewer-style" "$work/removed.html"; then
  echo "measured: without XSLT, $version shows the feed in its XML viewer"
else
  echo "feeds: without XSLT, the browser did not show the feed as XML"
  status=1
fi
exit $status
