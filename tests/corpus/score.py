#!/usr/bin/env python3
"""Score almanac's agenda reader against the agenda corpus.

Every note in the corpus (tests/corpus/agendas/content/<name>.md) has a
sidecar <name>.expected.json with the slots a person reading the note sees.
This runs `almanac slots --config <corpus>/almanac.yaml <note>` for each note,
matches the slots it prints to the expected ones, and reports recall,
precision, phantom events and wrong days or hours, per note and in total.

    tests/corpus/score.py [ALMANAC] [--json] [--verbose]
                          [--min-recall X] [--min-precision Y]
                          [--corpus DIR] [--note SUBSTRING ...]

ALMANAC is the binary to run (default: $ALMANAC, else target/debug/almanac).
X and Y are fractions (0.8) or percentages (80). Exit status: 0 when the goals
are met (or none are given), 1 when total recall or precision is below its
goal, 2 when the binary or the corpus cannot be used.

Matching, per note:
- a found slot matches an expected one when both have the same day and the
  same start (HH:MM, wall-clock time in the note's zone); among several
  candidates (parallel tracks) the one whose title matches is preferred;
- a matched slot is also checked for its end (when the expected end is not
  null: same date and time, an end earlier than the start meaning the next
  day), its title (normalized containment, either way), its speaker (when
  expected: normalized containment) and its zone abbreviation (when the
  Python zoneinfo database knows the expected zone);
- an unmatched found slot is a wrong day when an unmatched expected slot has
  its start and title on another day, a wrong hour when an unmatched expected
  slot has its day and title at another start, else a wrong day when an
  unmatched expected slot has its start on another day, and a phantom
  otherwise;
  every slot found in a note that expects none is a phantom.

Recall is matched / expected; precision is matched / found. "Strict" counts
matched slots whose end, title and speaker are right too.
"""

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import unicodedata

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
except ImportError:  # Python < 3.9
    ZoneInfo = None

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CORPUS = os.path.join(HERE, "agendas")

ROW = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2}) (?P<time>\d{2}:\d{2})(?: (?P<zone>\S+))?$"
)


def normalize(text):
    """Letters, digits and symbols only, case-folded (NFKC first)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(
        ch for ch in text
        if unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "So"
    )


def contains(expected, found):
    e, f = normalize(expected), normalize(found)
    if not e:
        return True
    if not f:
        return False
    return e in f or f in e


def parse_stamp(text):
    m = ROW.match(text.strip())
    if not m:
        return None
    return {
        "date": m.group("date"),
        "time": m.group("time"),
        "zone": m.group("zone") or "",
    }


def parse_slots(stdout):
    """The rows of `almanac slots` output: line, start, end, title, speaker, uid."""
    slots = []
    for raw in stdout.splitlines():
        cells = raw.split("\t")
        if len(cells) < 6 or not cells[0].strip().isdigit():
            continue
        start = parse_stamp(cells[1])
        if start is None:
            continue
        slots.append({
            "line": int(cells[0]),
            "day": start["date"],
            "start": start["time"],
            "zone": start["zone"],
            "end": parse_stamp(cells[2]),
            "title": cells[3],
            "speaker": cells[4],
            "uid": cells[5],
        })
    return slots


def expected_end(slot):
    """(date, HH:MM) of an expected end; an end before the start is the next day."""
    if slot.get("end") is None:
        return None
    day = dt.date.fromisoformat(slot["day"])
    if slot["end"] < slot["start"]:
        day += dt.timedelta(days=1)
    return (day.isoformat(), slot["end"])


def zone_abbreviation(zone, day, hhmm):
    if ZoneInfo is None or not zone:
        return None
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    h, m = map(int, hhmm.split(":"))
    d = dt.date.fromisoformat(day)
    return dt.datetime(d.year, d.month, d.day, h, m, tzinfo=tz).tzname()


def score_note(expected, found):
    """Match found slots to expected ones; return counts and the pairings."""
    zone = expected.get("timezone", "")
    exp = expected.get("slots", [])
    result = {
        "expected": len(exp), "found": len(found), "matched": 0, "strict": 0,
        "phantom": 0, "wrong_day": 0, "wrong_hour": 0, "wrong_end": 0,
        "wrong_title": 0, "wrong_speaker": 0, "wrong_zone": 0, "details": [],
    }
    used_exp, used_found = set(), set()

    # Pass 1: same day and start, title-matching candidates first.
    for prefer_title in (True, False):
        for fi, f in enumerate(found):
            if fi in used_found:
                continue
            for ei, e in enumerate(exp):
                if ei in used_exp or e["day"] != f["day"] or e["start"] != f["start"]:
                    continue
                if prefer_title and not contains(e.get("title"), f["title"]):
                    continue
                used_exp.add(ei)
                used_found.add(fi)
                result["matched"] += 1
                problems = []
                want_end = expected_end(e)
                if want_end is not None:
                    got = f["end"]
                    if got is None or (got["date"], got["time"]) != want_end:
                        problems.append("end")
                        result["wrong_end"] += 1
                if not contains(e.get("title"), f["title"]):
                    problems.append("title")
                    result["wrong_title"] += 1
                if e.get("speaker") and not contains(e["speaker"], f["speaker"]):
                    problems.append("speaker")
                    result["wrong_speaker"] += 1
                want_zone = zone_abbreviation(zone, e["day"], e["start"])
                if want_zone and f["zone"] and f["zone"] != want_zone:
                    problems.append("zone")
                    result["wrong_zone"] += 1
                if not (set(problems) - {"zone"}):
                    result["strict"] += 1
                result["details"].append({
                    "kind": "match", "expected": e, "found": strip(f),
                    "problems": problems,
                })
                break

    # Pass 2: what is left over.
    for fi, f in enumerate(found):
        if fi in used_found:
            continue
        kind, claimed = "phantom", None
        for ei, e in enumerate(exp):
            if ei in used_exp or not contains(e.get("title"), f["title"]):
                continue
            if e["start"] == f["start"] and e["day"] != f["day"]:
                kind, claimed = "wrong_day", ei
            elif e["day"] == f["day"] and e["start"] != f["start"]:
                kind, claimed = "wrong_hour", ei
            else:
                continue
            break
        if claimed is None:
            # The right time on another day counts as a wrong day whatever the title.
            for ei, e in enumerate(exp):
                if ei not in used_exp and e["start"] == f["start"] and e["day"] != f["day"]:
                    kind, claimed = "wrong_day", ei
                    break
        if claimed is None:
            result["details"].append({"kind": "phantom", "found": strip(f)})
        else:
            used_exp.add(claimed)
            result["details"].append({"kind": kind, "expected": exp[claimed], "found": strip(f)})
        result[kind] += 1
    for ei, e in enumerate(exp):
        if ei not in used_exp:
            result["details"].append({"kind": "missed", "expected": e})
    return result


def strip(found):
    out = {k: found[k] for k in ("line", "day", "start", "zone", "title", "speaker")}
    out["end"] = None if found["end"] is None else "%s %s" % (found["end"]["date"], found["end"]["time"])
    return out


def ratio(a, b):
    return None if b == 0 else a / b


def pct(x):
    return "    -" if x is None else "%5.1f" % (100 * x)


def goal(value):
    v = float(value)
    return v / 100 if v > 1 else v


def find_binary(arg):
    candidates = [arg or os.environ.get("ALMANAC") or "target/debug/almanac"]
    if not os.path.isabs(candidates[0]):
        candidates.append(os.path.join(REPO, candidates[0]))
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return os.path.abspath(c)
    return None


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Score almanac's agenda reader against the agenda corpus.")
    ap.add_argument("almanac", nargs="?",
                    help="almanac binary (default: $ALMANAC, else target/debug/almanac)")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS,
                    help="corpus folder holding almanac.yaml and content/ (default: %(default)s)")
    ap.add_argument("--note", action="append", default=[],
                    help="only notes whose name contains this (repeatable)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="list every missed, phantom and mismatched slot")
    ap.add_argument("--min-recall", type=goal, metavar="X",
                    help="exit 1 when total recall is below X")
    ap.add_argument("--min-precision", type=goal, metavar="Y",
                    help="exit 1 when total precision is below Y")
    args = ap.parse_args(argv)

    binary = find_binary(args.almanac)
    if binary is None:
        print("score.py: no almanac binary at %s (give a path or set ALMANAC)"
              % (args.almanac or os.environ.get("ALMANAC") or "target/debug/almanac"),
              file=sys.stderr)
        return 2
    corpus = os.path.abspath(args.corpus)
    config = os.path.join(corpus, "almanac.yaml")
    content = os.path.join(corpus, "content")
    if not os.path.isfile(config) or not os.path.isdir(content):
        print("score.py: %s needs almanac.yaml and content/" % corpus, file=sys.stderr)
        return 2

    names = sorted(f[:-3] for f in os.listdir(content) if f.endswith(".md"))
    if args.note:
        names = [n for n in names if any(s in n for s in args.note)]

    notes, totals = [], {k: 0 for k in (
        "notes", "expected", "found", "matched", "strict", "phantom", "wrong_day",
        "wrong_hour", "wrong_end", "wrong_title", "wrong_speaker", "wrong_zone",
        "errors", "phantom_notes")}
    for name in names:
        note_path = os.path.join(content, name + ".md")
        exp_path = os.path.join(content, name + ".expected.json")
        if not os.path.isfile(exp_path):
            print("score.py: %s has no %s.expected.json" % (name, name), file=sys.stderr)
            return 2
        with open(exp_path, encoding="utf-8") as f:
            expected = json.load(f)
        run = subprocess.run([binary, "slots", "--config", config, note_path],
                             capture_output=True, text=True, encoding="utf-8",
                             errors="replace")
        error = None
        if run.returncode != 0:
            lines = [l for l in run.stderr.splitlines() if "warning:" not in l]
            error = "exit %d: %s" % (run.returncode, " | ".join(lines)[:300])
        res = score_note(expected, parse_slots(run.stdout))
        res["note"] = name
        res["error"] = error
        res["recall"] = ratio(res["matched"], res["expected"])
        res["precision"] = ratio(res["matched"], res["found"])
        notes.append(res)
        totals["notes"] += 1
        for k in ("expected", "found", "matched", "strict", "phantom", "wrong_day",
                  "wrong_hour", "wrong_end", "wrong_title", "wrong_speaker", "wrong_zone"):
            totals[k] += res[k]
        totals["errors"] += error is not None
        totals["phantom_notes"] += res["expected"] == 0 and res["found"] > 0

    totals["recall"] = ratio(totals["matched"], totals["expected"])
    totals["precision"] = ratio(totals["matched"], totals["found"])
    totals["strict_recall"] = ratio(totals["strict"], totals["expected"])
    totals["notes_without_events"] = sum(1 for n in notes if n["expected"] == 0)
    totals["notes_fully_found"] = sum(
        1 for n in notes if n["expected"] and n["matched"] == n["expected"] and n["found"] == n["matched"])

    failed = []
    if args.min_recall is not None and (totals["recall"] or 0) < args.min_recall:
        failed.append("recall %.3f < %.3f" % (totals["recall"] or 0, args.min_recall))
    if args.min_precision is not None and (totals["precision"] or 0) < args.min_precision:
        failed.append("precision %.3f < %.3f" % (totals["precision"] or 0, args.min_precision))

    if args.json:
        out = {"almanac": binary, "corpus": corpus, "totals": totals,
               "goals": {"min_recall": args.min_recall, "min_precision": args.min_precision,
                         "failed": failed},
               "notes": notes if args.verbose else [
                   {k: v for k, v in n.items() if k != "details"} for n in notes]}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        head = "%-34s %4s %5s %5s %6s %6s %5s %4s %4s %4s %5s %4s" % (
            "note", "exp", "found", "match", "recall", "prec", "phant", "wday",
            "whr", "end", "title", "spkr")
        print(head)
        print("-" * len(head))
        for n in notes:
            print("%-34s %4d %5d %5d %6s %6s %5d %4d %4d %4d %5d %4d%s" % (
                n["note"][:34], n["expected"], n["found"], n["matched"], pct(n["recall"]),
                pct(n["precision"]), n["phantom"], n["wrong_day"], n["wrong_hour"],
                n["wrong_end"], n["wrong_title"], n["wrong_speaker"],
                "  ERROR " + n["error"] if n["error"] else ""))
            if args.verbose:
                for d in n["details"]:
                    if d["kind"] == "match" and not d["problems"]:
                        continue
                    e, f = d.get("expected"), d.get("found")
                    want = "%s %s-%s %s" % (e["day"], e["start"], e["end"] or "", e["title"]) if e else ""
                    got = "%s %s-%s %s" % (f["day"], f["start"], (f["end"] or "")[-5:], f["title"]) if f else ""
                    tag = d["kind"] if d["kind"] != "match" else "match(" + ",".join(d["problems"]) + ")"
                    print("    %-20s want: %s" % (tag, want) if e else "    %-20s" % tag,
                          ("  got: " + got) if f else "")
        print("-" * len(head))
        print("%-34s %4d %5d %5d %6s %6s %5d %4d %4d %4d %5d %4d" % (
            "TOTAL (%d notes)" % totals["notes"], totals["expected"], totals["found"],
            totals["matched"], pct(totals["recall"]), pct(totals["precision"]),
            totals["phantom"], totals["wrong_day"], totals["wrong_hour"],
            totals["wrong_end"], totals["wrong_title"], totals["wrong_speaker"]))
        print()
        print("recall    %s%%  (%d of %d expected slots found on the right day and start)"
              % (pct(totals["recall"]).strip(), totals["matched"], totals["expected"]))
        print("precision %s%%  (%d of %d found slots are expected)"
              % (pct(totals["precision"]).strip(), totals["matched"], totals["found"]))
        print("strict    %s%%  (%d matched with the right end, title and speaker)"
              % (pct(totals["strict_recall"]).strip(), totals["strict"]))
        print("phantom events %d (in %d of %d notes that expect none), wrong day %d, wrong hour %d,"
              " wrong zone %d, notes fully right %d, notes with errors %d"
              % (totals["phantom"], totals["phantom_notes"], totals["notes_without_events"],
                 totals["wrong_day"], totals["wrong_hour"], totals["wrong_zone"],
                 totals["notes_fully_found"], totals["errors"]))
        for f in failed:
            print("GOAL NOT MET: " + f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
