#!/usr/bin/env bash
# The subscribe page in a real browser: the sample site built and served
# by `almanac serve`, opened in headless Chromium at a phone's and a
# desktop's width. Screenshots go to target/clients/screenshots/ to be
# looked at; the page must log nothing to the console, and every link and
# URL on it must resolve on the server (tests/clients/check.py page).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
almanac="$root/target/debug/almanac"
python="$root/target/clients/venv/bin/python"
shots="$root/target/clients/screenshots"
mkdir -p "$shots"
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/site"
cp "$root/almanac.yaml" "$work/site/"
cp -r "$root/content" "$work/site/content"
# A "now" a week before the sample's next meetup, so the page lists it.
"$almanac" serve --port 0 --config "$work/site/almanac.yaml" --out "$work/out" \
  --now 2024-11-20T00:00:00Z >/dev/null 2>"$work/serve.log" &
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
exit $status
