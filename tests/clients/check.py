#!/usr/bin/env python3
"""Reads almanac's output files with real subscribers' software and compares
what each client sees with what almanac's own model says (`almanac check
--json`): entry and event counts, ids, titles, and UTC instants.

Clients: xmllint, feedparser, sfeed, newsboat (over a loopback HTTP server)
for feeds; python icalendar (by zone name, and through the file's own
VTIMEZONEs), vobject, libical, calcurse, khal and ical.js for calendars.
Readers drop or shift what they dislike without an error, so
parsing is not enough: every client's reading must equal the model's.

    check.py site OUT_DIR MANIFEST.json LABEL
    check.py broken DIR      each file in DIR must be rejected
    check.py page URL DOM    every link on the subscribe page resolves
    check.py styled URL MANIFEST.json DOM_DIR
                             each feed, as the browser styled it with feed.xsl,
                             shows its entries as HTML and its links resolve

Prints one line per failure and ends with "N passed, N failed".
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import html.parser
import urllib.parse
import urllib.request
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import feedparser
import icalendar
import vobject

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NODE_MODULES = ROOT / "target" / "clients" / "node" / "node_modules"

# RFC 822 as updated by RFC 1123, with a numeric zone: readers misorder
# entries whose dates carry "UTC" or "GMT" silently.
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
TEXT_PROPERTIES = {"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "NAME", "X-WR-CALNAME", "X-WR-CALDESC"}


class Failure(Exception):
    """A client disagreed, or a rule was broken."""


def utc(value: datetime | date) -> str:
    """A DATE-TIME as its UTC instant; a DATE (an all-day event) as itself."""
    if not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is None:
        raise Failure(f"floating time {value}")
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_epoch(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def expect_equal(client: str, seen, expected) -> None:
    if seen != expected:
        raise Failure(f"{client} reads\n    {seen!r}\n  but almanac's model says\n    {expected!r}")


# ---------------------------------------------------------------- feeds


def xmllint(path: Path) -> None:
    result = subprocess.run(["xmllint", "--noout", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f"xmllint: {result.stderr.strip()}")


def rss_dates(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for tag in ("pubDate", "lastBuildDate"):
        for value in re.findall(rf"<{tag}>([^<]*)</{tag}>", text):
            if not RFC822.match(value):
                raise Failure(f"<{tag}>{value}</{tag}> is not RFC 822 with a numeric zone")


def feedparser_entries(path: Path, rss: bool = False) -> list[tuple[str, str, str]]:
    parsed = feedparser.parse(path.read_bytes())
    if parsed.bozo:
        raise Failure(f"feedparser bozo: {parsed.bozo_exception!r}")
    rows = []
    for entry in parsed.entries:
        published = entry.get("published_parsed")
        if published is None:
            raise Failure(f"feedparser finds no date on {entry.get('id')}")
        stamp = datetime(*published[:6], tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        title = entry.get("title", "")
        if rss:
            # RSS 2.0 does not say whether <title> is text or HTML; feedparser
            # guesses HTML when it sees markup and keeps entities escaped.
            title = html.unescape(title)
        rows.append((entry.get("id", ""), title, stamp))
    return rows


def sfeed_entries(path: Path) -> list[tuple[str, str, str]]:
    result = subprocess.run(["sfeed"], input=path.read_bytes(), capture_output=True)
    if result.returncode != 0:
        raise Failure(f"sfeed exit {result.returncode}")
    rows = []
    for line in result.stdout.decode("utf-8").splitlines():
        fields = line.split("\t")
        # sfeed(5): timestamp, title, link, content, content-type, id, ...
        title = fields[1].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")
        stamp = from_epoch(int(fields[0])) if fields[0] else ""
        rows.append((fields[5], title, stamp))
    return rows


def json_feed(path: Path) -> list[tuple[str, str, str]]:
    feed = json.loads(path.read_text(encoding="utf-8"))
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        raise Failure(f"JSON Feed version {feed.get('version')!r}")
    for key in ("title", "items", "home_page_url", "feed_url"):
        if key not in feed:
            raise Failure(f"JSON Feed without {key}")
    rows = []
    for item in feed["items"]:
        if not isinstance(item.get("id"), str) or not item["id"]:
            raise Failure(f"JSON Feed item without a string id: {item}")
        if "content_html" not in item and "content_text" not in item:
            raise Failure(f"JSON Feed item {item['id']} without content")
        for key in ("date_published", "date_modified"):
            if key in item:
                datetime.fromisoformat(item[key].replace("Z", "+00:00"))
        stamp = utc(datetime.fromisoformat(item["date_published"].replace("Z", "+00:00")))
        rows.append((item["id"], item.get("title", ""), stamp))
    return rows


def newsboat_counts(out_dir: Path, feed_paths: list[str]) -> dict[str, tuple[int, list[str]]]:
    """Serves OUT_DIR on loopback, lets newsboat reload every feed, and reads
    its cache: newsboat's exit code says nothing about feeds it dropped."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out_dir))

    class Quiet(handler.func):  # type: ignore[misc, name-defined]
        def log_message(self, *args):  # noqa: D401 - silence the access log
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        found = {}
        # One cache per feed: newsboat keys items by GUID across all feeds, so
        # the Atom and RSS copies of one entry would share a row.
        for path in feed_paths:
            with tempfile.TemporaryDirectory() as work:
                work_path = Path(work)
                url = base + urllib.parse.quote(path)
                (work_path / "urls").write_text(url + "\n")
                (work_path / "config").write_text("")
                env = dict(os.environ, HOME=work, TERM="dumb")
                subprocess.run(
                    ["newsboat", "-u", str(work_path / "urls"), "-c", str(work_path / "cache.db"),
                     "-C", str(work_path / "config"), "-x", "reload"],
                    capture_output=True, env=env, timeout=120, stdin=subprocess.DEVNULL,
                )
                db = sqlite3.connect(work_path / "cache.db")
                guids = [row[0] for row in db.execute("SELECT guid FROM rss_item WHERE feedurl = ?", (url,))]
                db.close()
                found[path] = (len(guids), guids)
        return found
    finally:
        server.shutdown()


def check_feed(path: Path, file: dict) -> None:
    expected = [(e["id"], e["title"], utc(datetime.fromisoformat(e["published"]))) for e in file["entries"]]
    if file["format"] == "json":
        expect_equal("JSON Feed reader", json_feed(path), expected)
        return
    xmllint(path)
    if file["format"] == "rss":
        rss_dates(path)
    expect_equal("feedparser", feedparser_entries(path, rss=file["format"] == "rss"), expected)
    # sfeed's TSV has one line per entry: it folds whitespace in titles.
    folded = [(i, " ".join(t.split()), d) for i, t, d in expected]
    expect_equal("sfeed", [(i, " ".join(t.split()), d) for i, t, d in sfeed_entries(path)], folded)


# ------------------------------------------------------------ calendars


def raw_ics(path: Path) -> None:
    """RFC 5545 rules no client enforces: CRLF, 75-octet lines folded on
    character boundaries, escaped TEXT, a VTIMEZONE per TZID, UID and DTSTAMP
    on every VEVENT, no floating times."""
    data = path.read_bytes()
    if b"\n" in data.replace(b"\r\n", b""):
        raise Failure("bare LF: every line must end with CRLF (RFC 5545 §3.1)")
    if not data.endswith(b"\r\n"):
        raise Failure("the last line does not end with CRLF")
    physical = data.split(b"\r\n")[:-1]
    for number, line in enumerate(physical, 1):
        if b"\n" in line or b"\r" in line:
            raise Failure(f"line {number}: bare LF or CR")
        if len(line) > 75:
            raise Failure(f"line {number}: {len(line)} octets (RFC 5545 §3.1 allows 75)")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            raise Failure(f"line {number}: a UTF-8 character split by folding") from None
    logical: list[str] = []
    for line in data.decode("utf-8").split("\r\n")[:-1]:
        if line.startswith((" ", "\t")) and logical:
            logical[-1] += line[1:]
        else:
            logical.append(line)
    tzids_used, tzids_defined = set(), set()
    in_vevent, in_vtimezone = False, False
    seen: set[str] = set()
    for line in logical:
        if any(ord(c) < 32 and c != "\t" for c in line):
            raise Failure(f"control character in {line[:40]!r}")
        name_params, _, value = line.partition(":")
        name = name_params.split(";")[0].upper()
        params = name_params.split(";")[1:]
        if line == "BEGIN:VEVENT":
            in_vevent, seen = True, set()
        elif line == "BEGIN:VTIMEZONE":
            in_vtimezone = True
        elif line == "END:VTIMEZONE":
            in_vtimezone = False
        elif line == "END:VEVENT":
            in_vevent = False
            for required in ("UID", "DTSTAMP", "DTSTART"):
                if required not in seen:
                    raise Failure(f"a VEVENT without {required}")
        if in_vtimezone and name == "TZID":
            tzids_defined.add(value)
        if in_vevent:
            seen.add(name)
        for param in params:
            if param.upper().startswith("TZID="):
                tzids_used.add(param[5:].strip('"'))
        if in_vevent and name in ("DTSTART", "DTEND") and "T" in value:
            if not value.endswith("Z") and not any(p.upper().startswith("TZID=") for p in params):
                raise Failure(f"floating time: {line}")
        if name in TEXT_PROPERTIES:
            unescaped = re.sub(r"\\[\\;,nN]", "", value)
            if re.search(r"[;,]|\\", unescaped):
                raise Failure(f"unescaped TEXT in {line[:60]!r} (RFC 5545 §3.3.11)")
    missing = tzids_used - tzids_defined
    if missing:
        raise Failure(f"TZID without VTIMEZONE: {sorted(missing)}")


Event = tuple[str, str, str, str]  # uid, start UTC, end UTC, summary


def python_icalendar(path: Path) -> list[Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    rows = []
    for component in calendar.walk():
        if getattr(component, "errors", None):
            raise Failure(f"icalendar reports {component.errors}")
        if component.name == "VEVENT":
            rows.append((str(component["UID"]), utc(component["DTSTART"].dt), utc(component["DTEND"].dt),
                         str(component["SUMMARY"])))
    return sorted(rows, key=lambda r: (r[1], r[0]))


def python_icalendar_vtimezone(path: Path) -> list[Event]:
    """Instants through the file's own VTIMEZONEs (icalendar's `to_tz`
    expands their RRULEs), not the tz database's zone of the same name:
    what Outlook and other clients without that database see."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    zones = {str(zone["TZID"]): zone.to_tz() for zone in calendar.walk("VTIMEZONE")}

    def instant(prop) -> str:
        tzid = prop.params.get("TZID")
        if tzid is None or not isinstance(prop.dt, datetime):
            return utc(prop.dt)
        zone = zones.get(str(tzid))
        if zone is None:
            raise Failure(f"TZID {tzid} without VTIMEZONE")
        naive = prop.dt.replace(tzinfo=None)
        local = zone.localize(naive) if hasattr(zone, "localize") else naive.replace(tzinfo=zone)
        return utc(local)

    rows = [(str(event["UID"]), instant(event["DTSTART"]), instant(event["DTEND"]), str(event["SUMMARY"]))
            for event in calendar.walk("VEVENT")]
    return sorted(rows, key=lambda r: (r[1], r[0]))


def python_vobject(path: Path) -> list[Event]:
    # vobject resolves TZIDs through the file's own VTIMEZONEs, but keeps
    # the first VTIMEZONE of each TZID it read in a process-wide map: a
    # later file's own (another span of years) would be ignored.
    vobject.icalendar.__tzidMap.clear()
    calendar = vobject.readOne(path.read_text(encoding="utf-8"))
    rows = []
    for event in getattr(calendar, "vevent_list", []):
        rows.append((event.uid.value, utc(event.dtstart.value), utc(event.dtend.value), event.summary.value))
    return sorted(rows, key=lambda r: (r[1], r[0]))


def calcurse(path: Path, expected: list[Event]) -> list[tuple[str, str, str]]:
    """calcurse keeps no UID: compare (start, end, summary)."""
    if not expected:
        return []
    with tempfile.TemporaryDirectory() as work:
        # Any local zone must give the same instants; use one far from UTC.
        env = dict(os.environ, TZ="Pacific/Auckland", HOME=work)
        imported = subprocess.run(["calcurse", "-D", work, "-i", str(path)], capture_output=True, text=True, env=env)
        if imported.returncode != 0 or " 0 skipped" not in imported.stdout:
            raise Failure(f"calcurse import: {imported.stdout.strip()} {imported.stderr.strip()}")
        first = datetime.fromisoformat(min(e[1] for e in expected).replace("Z", "+00:00")).date() - timedelta(days=2)
        last = datetime.fromisoformat(max(e[2] for e in expected).replace("Z", "+00:00")).date() + timedelta(days=2)
        query = subprocess.run(
            ["calcurse", "-D", work, "-Q", "--filter-type", "apt", "--from", first.strftime("%m/%d/%Y"),
             "--days", str((last - first).days), "--format-apt", "%(start:epoch)\x1f%(end:epoch)\x1f%m\x1e\n"],
            capture_output=True, text=True, env=env)
        rows = set()
        for record in query.stdout.split("\x1e\n"):
            record = record.split(":\n", 1)[-1].lstrip("\n")
            if "\x1f" not in record:
                continue
            start, end, summary = record.split("\x1f")
            rows.add((from_epoch(int(start.strip())), from_epoch(int(end)), summary))
        return sorted(rows)


def khal(path: Path) -> list[Event]:
    with tempfile.TemporaryDirectory() as work:
        work_path = Path(work)
        (work_path / "cal").mkdir()
        (work_path / "config").write_text(
            f"[calendars]\n[[cal]]\npath = {work_path / 'cal'}\ntype = calendar\n"
            "[locale]\nlocal_timezone = UTC\ndefault_timezone = UTC\n"
            "timeformat = %H:%M:%S\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
            "datetimeformat = %Y-%m-%dT%H:%M:%S\nlongdatetimeformat = %Y-%m-%dT%H:%M:%S\n")
        env = dict(os.environ, HOME=work, TZ="America/Sao_Paulo")
        config = ["khal", "-c", str(work_path / "config")]
        imported = subprocess.run(config + ["import", "--batch", "-a", "cal", str(path)],
                                  capture_output=True, text=True, env=env)
        if imported.returncode != 0:
            raise Failure(f"khal import: {imported.stderr.strip()}")
        listed = subprocess.run(
            config + ["list", "--once", "--format", "{start}\x1f{end}\x1f{uid}\x1f{title}\x1e", "--day-format", "",
                      "1900-01-01", "2200-01-01"],
            capture_output=True, text=True, env=env)
        if listed.returncode != 0:
            raise Failure(f"khal list: {listed.stderr.strip()}")
        rows = set()
        for record in listed.stdout.split("\x1e"):
            record = record.lstrip("\n")
            if "\x1f" not in record:
                continue
            start, end, uid, title = record.split("\x1f")
            if "T" not in start:
                # An all-day event: khal shows its last day; the file's
                # DTEND is the day after.
                end = (date.fromisoformat(end) + timedelta(days=1)).isoformat()
                rows.add((uid, start, end, title))
            else:
                rows.add((uid, start + "Z", end + "Z", title))
        return sorted(rows, key=lambda r: (r[1], r[0]))


ICALJS = r"""
const ICAL = require('ical.js');
const text = require('fs').readFileSync(process.argv[1], 'utf8');
const root = new ICAL.Component(ICAL.parse(text));
for (const zone of root.getAllSubcomponents('vtimezone')) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
const rows = root.getAllSubcomponents('vevent').map((vevent) => {
  const event = new ICAL.Event(vevent);
  const iso = (t) => t.isDate ? t.toString() : t.toJSDate().toISOString().replace('.000Z', 'Z');
  return [event.uid, iso(event.startDate), iso(event.endDate), event.summary];
});
console.log(JSON.stringify(rows));
"""


def icaljs(path: Path) -> list[Event] | None:
    if not (NODE_MODULES / "ical.js").exists() or shutil.which("node") is None:
        return None
    result = subprocess.run(["node", "-e", ICALJS, str(path)], capture_output=True, text=True,
                            env=dict(os.environ, NODE_PATH=str(NODE_MODULES), TZ="Asia/Kolkata"))
    if result.returncode != 0:
        raise Failure(f"ical.js: {result.stderr.strip()[:300]}")
    return sorted((tuple(row) for row in json.loads(result.stdout)), key=lambda r: (r[1], r[0]))


LIBICAL = r"""
import json, sys
from datetime import datetime, timezone
import gi
gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as ICal

calendar = ICal.Component.new_from_string(open(sys.argv[1], encoding="utf-8").read())
kind = ICal.ComponentKind.VEVENT_COMPONENT

def instant(event, property_kind, value):
    if value.is_date():
        return "%04d-%02d-%02d" % (value.get_year(), value.get_month(), value.get_day())
    tzid = event.get_first_property(property_kind).get_first_parameter(ICal.ParameterKind.TZID_PARAMETER)
    # The calendar's own VTIMEZONE of that TZID, as libical finds it.
    zone = calendar.get_timezone(tzid.get_tzid()) if tzid else None
    seconds = value.as_timet_with_zone(zone) if zone else value.as_timet()
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

rows = []
event = calendar.get_first_component(kind)
while event:
    rows.append([event.get_uid(),
                 instant(event, ICal.PropertyKind.DTSTART_PROPERTY, event.get_dtstart()),
                 instant(event, ICal.PropertyKind.DTEND_PROPERTY, event.get_dtend()),
                 event.get_summary()])
    event = calendar.get_next_component(kind)
print(json.dumps(rows))
"""


def libical(path: Path) -> list[Event]:
    """libical (Evolution, GNOME Calendar) through its GObject bindings,
    run by the system's Python, where the bindings are installed."""
    result = subprocess.run(["/usr/bin/python3", "-c", LIBICAL, str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f"libical: {result.stderr.strip()[-300:]}")
    return sorted((tuple(row) for row in json.loads(result.stdout)), key=lambda r: (r[1], r[0]))


def check_calendar(path: Path, file: dict | None) -> None:
    raw_ics(path)
    clients = {"icalendar": python_icalendar(path), "icalendar VTIMEZONE": python_icalendar_vtimezone(path),
               "vobject": python_vobject(path), "khal": khal(path), "libical": libical(path)}
    seen_by_icaljs = icaljs(path)
    if seen_by_icaljs is not None:
        clients["ical.js"] = seen_by_icaljs
    if file is None:
        # Without a model, the clients must at least agree with each other.
        expected = clients["vobject"]
    else:
        expected = sorted(((e["uid"], e["start"], e["end"], e["summary"]) for e in file["events"]),
                          key=lambda r: (r[1], r[0]))
    for client, rows in clients.items():
        expect_equal(client, rows, expected)
    # calcurse lists all-day events apart from appointments: the timed ones.
    timed = [e for e in expected if "T" in e[1]]
    expect_equal("calcurse", calcurse(path, timed), sorted({(e[1], e[2], e[3]) for e in timed}))


# ----------------------------------------------------------------- runs


class Tally:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def run(self, label: str, check, *args) -> bool:
        try:
            check(*args)
        except Failure as failure:
            self.failed += 1
            print(f"FAIL {label}: {failure}")
            return False
        except Exception as error:  # a client crashing on our file is a failure too
            self.failed += 1
            print(f"FAIL {label}: {type(error).__name__}: {error}")
            return False
        self.passed += 1
        return True


def check_site(tally: Tally, out_dir: Path, manifest_path: Path, label: str) -> None:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    files = manifest["files"]
    on_disk = sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*")
                     if p.is_file() and ".almanac" not in p.relative_to(out_dir).parts)
    tally.run(f"{label}: files", expect_equal, "the output folder", on_disk, sorted(f["path"] for f in files))
    for file in files:
        path = out_dir / file["path"]
        if file["format"] == "ics":
            tally.run(f"{label}/{file['path']}", check_calendar, path, file)
        elif file["format"] in ("atom", "rss", "json"):
            tally.run(f"{label}/{file['path']}", check_feed, path, file)
        elif file["format"] == "xsl":
            # Read by a browser (tests/clients/page.sh); well-formed here.
            tally.run(f"{label}/{file['path']}", xmllint, path)
        # The subscribe page is read by a browser (tests/clients/page.sh).
    xml_feeds = [f for f in files if f["format"] in ("atom", "rss")]

    def newsboat_agrees() -> None:
        counts = newsboat_counts(out_dir, [f["path"] for f in xml_feeds])
        for file in xml_feeds:
            expected = sorted(e["id"] for e in file["entries"])
            count, guids = counts[file["path"]]
            expect_equal(f"newsboat ({file['path']})", (count, sorted(guids)), (len(expected), expected))

    tally.run(f"{label}: newsboat", newsboat_agrees)


# What each broken file must be rejected for: a check that rejects it for
# another reason has not shown that it works.
BROKEN = {
    "unescaped-comma.ics": "unescaped TEXT",
    "tzid-without-vtimezone.ics": "TZID without VTIMEZONE",
    "lf-line-ends.ics": "bare LF",
    "long-line.ics": "octets",
    "split-utf8.ics": "split by folding",
    "floating-time.ics": "floating time",
    "missing-dtstamp.ics": "without DTSTAMP",
    "wrong-offset.ics": "but almanac's model says",
    "rss-utc-zone.xml": "not RFC 822",
    "rss-iso-date.xml": "not RFC 822",
    "not-well-formed.xml": "xmllint",
    "jsonfeed-without-version.json": "JSON Feed version",
}


def check_broken(tally: Tally, directory: Path) -> None:
    """Every file in BROKEN breaks one rule; its check must say so."""
    for name, reason in BROKEN.items():
        path = directory / name
        manifest = directory / (path.stem + ".manifest.json")
        file = json.loads(manifest.read_text())["files"][0] if manifest.exists() else None
        if path.suffix == ".ics":
            check = functools.partial(check_calendar, path, file)
        elif path.suffix == ".json":
            check = functools.partial(json_feed, path)
        else:
            check = functools.partial(lambda p: (xmllint(p), rss_dates(p), feedparser_entries(p)), path)

        def rejected(check=check, name=name, reason=reason) -> None:
            try:
                check()
            except Failure as failure:
                if reason not in str(failure):
                    raise Failure(f"{name} was rejected for another reason: {failure}") from None
                return
            raise Failure(f"{name} was accepted, but it is broken ({reason})")

        tally.run(f"broken/{name}", rejected)


class Links(html.parser.HTMLParser):
    """The links and the copyable URLs of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.values: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "input" and attrs.get("value"):
            self.values.append(attrs["value"])

    def handle_data(self, data) -> None:
        self.text.append(data)


FEEDS_URL = "https://notes.example.org/feeds/"


def resolver(base: str):
    """Resolves a link of a page served at `base` + its path: relative ones
    on the server, `webcal://` and Google Calendar ones to a calendar the
    server has, published URLs to the file under the folder; a note's page
    is on the site itself, which is not served here."""

    def served(relative: str) -> None:
        with urllib.request.urlopen(base + relative) as answer:
            if answer.status != 200:
                raise Failure(f"{relative}: {answer.status}")

    def resolve(link: str, page: str = "") -> None:
        if link.startswith("https://calendar.google.com/"):
            cid = urllib.parse.parse_qs(urllib.parse.urlparse(link).query)["cid"][0]
            return resolve(cid)
        if link.startswith("webcal://"):
            link = "https://" + link[len("webcal://"):]
        if link.startswith(FEEDS_URL):
            return served(link[len(FEEDS_URL):])
        if "://" in link:
            if link.startswith("https://notes.example.org/"):
                return
            raise Failure(f"unexpected link {link}")
        joined = urllib.parse.urljoin(base + page, link)
        if not joined.startswith(base):
            raise Failure(f"{link} from {page or 'the root'} leaves the folder")
        served(joined[len(base):])

    return resolve


def check_page(tally: Tally, base: str, dom_path: Path) -> None:
    """Every link of the subscribe page, as the browser built it, resolves."""
    links = Links()
    links.feed(dom_path.read_text(encoding="utf-8"))
    resolve = resolver(base)
    tally.run("page: links", lambda: [resolve(link) for link in links.hrefs + links.values] and None)
    text = " ".join(links.text)
    tally.run("page: upcoming", expect_equal, "the next 30 days", "Backend Night #7" in text, True)
    tally.run("page: calendars", expect_equal, "subscribe links",
              sum(link.startswith("webcal://") for link in links.hrefs) >= 2, True)


class StyledFeed(Links):
    """A feed as feed.xsl made it: its heading, its entries' links, and
    whether the browser showed raw XML or text instead."""

    def __init__(self) -> None:
        super().__init__()
        self.raw = False
        self.heading: list[str] = []
        self.entries: list[tuple[str, list[str]]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        super().handle_starttag(tag, attrs)
        attrs = dict(attrs)
        # Chromium's text view is a <pre>; its XML tree viewer has this id.
        if tag == "pre" or attrs.get("id") == "xml-viewer-style":
            self.raw = True
        if tag == "ul" and attrs.get("class") == "entries":
            self.open.append("entries")
        elif tag == "a" and self.open[-1:] == ["entries"]:
            self.entries.append((attrs.get("href", ""), []))
            self.open.append("a")
        elif tag == "h1":
            self.open.append("h1")

    def handle_endtag(self, tag) -> None:
        if (tag, self.open[-1:]) in (("a", ["a"]), ("h1", ["h1"]), ("ul", ["entries"])):
            self.open.pop()

    def handle_data(self, data) -> None:
        super().handle_data(data)
        if self.open[-1:] == ["a"]:
            self.entries[-1][1].append(data)
        elif self.open[-1:] == ["h1"]:
            self.heading.append(data)


def check_styled(tally: Tally, base: str, manifest_path: Path, dom_dir: Path) -> None:
    """Each Atom and RSS feed, opened in the browser: an HTML page (not the
    XML) naming the feed, each entry of the model linked under its title,
    in order, its own URL to copy, and every link resolving."""
    files = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
    feeds = [f for f in files if f["format"] in ("atom", "rss")]
    resolve = resolver(base)

    def styled(file: dict) -> None:
        dom = dom_dir / (file["path"].replace("/", "__") + ".html")
        page = StyledFeed()
        page.feed(dom.read_text(encoding="utf-8"))
        if page.raw:
            raise Failure("the browser shows the XML, not the styled page")
        expect_equal("the heading", "".join(page.heading) != "", True)
        entries = [("".join(text), href) for href, text in page.entries]
        expect_equal("the entries", entries, [(e["title"], e["url"]) for e in file["entries"]])
        expect_equal("the URL to copy", page.values, [FEEDS_URL + file["path"]])
        for link in page.hrefs + page.values:
            resolve(link, file["path"])

    tally.run("styled feeds: every feed", expect_equal, "feeds with a DOM",
              sorted(p.name for p in dom_dir.glob("*.html")),
              sorted(f["path"].replace("/", "__") + ".html" for f in feeds))
    for file in feeds:
        tally.run(f"styled {file['path']}", styled, file)


def main(argv: list[str]) -> int:
    tally = Tally()
    if len(argv) == 5 and argv[1] == "site":
        check_site(tally, Path(argv[2]), Path(argv[3]), argv[4])
    elif len(argv) == 4 and argv[1] == "page":
        check_page(tally, argv[2], Path(argv[3]))
    elif len(argv) == 5 and argv[1] == "styled":
        check_styled(tally, argv[2], Path(argv[3]), Path(argv[4]))
    elif len(argv) == 3 and argv[1] == "broken":
        check_broken(tally, Path(argv[2]))
    else:
        print(__doc__)
        return 2
    print(f"{tally.passed} passed, {tally.failed} failed")
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
