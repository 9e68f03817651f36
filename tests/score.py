#!/usr/bin/python3
"""Score receipt-scan against truth files.

Finds every image in the given folders (recursively) that has a truth file
X.json beside it, runs receipt-scan --json on them, and prints per source
(the truth's "source" field): n, total accuracy (exact cents), date accuracy,
store accuracy (where the truth names a chain), currency accuracy (where
the truth gives one; a wrong currency credits a foreign amount or refuses
the receipt), item-amount F1 (where the
truth lists items), item names (the share of items read with their amount
and a name about as printed) and median OCR ms. Where truths name a
distortion level, a row per level follows its source's row ("synthetic-photo/faded"). An image
receipt-scan refuses counts as wrong on every field. With --min-total /
--min-date it is a test: each source row (all its levels together) below a
threshold fails, and the last line reads "N passed, N failed". With
--misses --read the missed images are read again as text and each miss
says which wrong fields OCR did read as printed (score_text.py's test):
those are the parser's misses, the rest OCR's. With
--report DIR it also writes DIR/latest.json (the previous one becomes
DIR/previous.json) and DIR/report.html, which compares against a baseline.
"""
import argparse
import collections
import datetime
import difflib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

import accuracy_report
import score_text

IMAGE_EXT = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp")


def find_labelled(dirs):
    """Returns sorted (image, truth) pairs below dirs."""
    pairs = []
    for top in dirs:
        for root, _, files in os.walk(top):
            for f in files:
                stem, ext = os.path.splitext(f)
                truth = os.path.join(root, stem + ".json")
                if ext.lower() in IMAGE_EXT and os.path.exists(truth):
                    pairs.append((os.path.join(root, f), truth))
    return sorted(pairs)


def scan_output(scan, mode, jobs, images, extra):
    """Runs receipt-scan once in mode (--json, --text) over all images;
    returns what it printed."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    return subprocess.run([scan, mode, "--jobs", str(jobs)] + extra + images,
                          stdout=subprocess.PIPE, env=env, check=False,
                          text=True).stdout


def run_scan(scan, jobs, images, extra):
    """Runs receipt-scan once over all images; returns {file: result}."""
    results = {}
    for line in scan_output(scan, "--json", jobs, images, extra).splitlines():
        obj = json.loads(line)
        results[obj["file"]] = obj
    return results


def run_text(scan, jobs, images, extra):
    """Runs receipt-scan --text over images; returns {file: OCR text}."""
    out = scan_output(scan, "--text", jobs, images, extra)
    texts, cur = {}, None
    for line in out.splitlines():
        if line.startswith("== ") and " (" in line:
            cur = line[3:line.rindex(" (")]
            texts[cur] = []
        elif cur is not None:
            texts[cur].append(line)
    return {k: "\n".join(v) for k, v in texts.items()}


def in_text(text, truth):
    """The truth's fields OCR read as printed somewhere in text (as
    score_text.py classes a miss: the parser's, not OCR's)."""
    found = []
    if score_text.digits_in_text(truth.get("total"), text):
        found.append("total")
    if score_text.date_in_text(truth.get("date"), text):
        found.append("date")
    return found


def read_misses(scan, jobs, extra, wrong):
    """Tags each miss with the fields its OCR text holds as printed and
    returns the tagged lines and a summary line."""
    texts = run_text(scan, jobs, [w[0] for w in wrong], extra)
    lines, counts = [], collections.Counter()
    for image, truth, fields, line in wrong:
        found = in_text(texts.get(image, ""), truth)
        for field in fields:
            counts[field] += 1
            counts[field + " read"] += field in found
        tags = [f for f in fields if f in found]
        lines.append(line + ("  [read: %s]" % ",".join(tags) if tags else ""))
    summary = ("wrong totals %d (figure read as printed: %d), wrong dates %d "
               "(read as printed: %d)" % (
                   counts["total"], counts["total read"], counts["date"],
                   counts["date read"]))
    return lines, summary


def item_f1(truth_items, got_items):
    """F1 of item amounts as multisets (names are too noisy to compare)."""
    want = collections.Counter(i["amount"] for i in truth_items)
    got = collections.Counter(i["amount"] for i in got_items)
    hit = sum((want & got).values())
    if not want and not got:
        return 1.0
    p = hit / max(1, sum(got.values()))
    r = hit / max(1, sum(want.values()))
    return 0.0 if hit == 0 else 2 * p * r / (p + r)


def name_key(name):
    """A name as compared: lower case, letters and digits, no article
    number in front."""
    name = re.sub(r"^\s*\d{6,}\s+", "", str(name or ""))
    return "".join(c for c in name.lower() if c.isalnum())


def item_names(truth_items, got_items):
    """Share of the truth's items read with their amount and a name that
    reads about the same (difflib ratio >= 0.8): what rules on chosen
    products need."""
    left = [name_key(i.get("name")) for i in got_items]
    amounts = [i["amount"] for i in got_items]
    hit = 0
    for t in truth_items:
        want = name_key(t.get("name"))
        best, at = 0.0, None
        for k, (a, n) in enumerate(zip(amounts, left)):
            if a != t["amount"] or n is None:
                continue
            r = difflib.SequenceMatcher(None, want, n).ratio()
            if at is None or r > best:
                best, at = r, k
        if at is not None:
            left[at] = None
            hit += best >= 0.8
    return hit / len(truth_items) if truth_items else 1.0


def same_store(want, got):
    """Truths label ALDI as "aldi" where they do not tell Nord from Sued."""
    return got == want or (want == "aldi" and str(got).startswith("aldi_"))


def add_result(m, truth, got):
    """Appends one receipt's outcome to the metric lists m."""
    m["total"].append(got.get("total") == truth.get("total"))
    if truth.get("date"):
        m["date"].append(got.get("date") == truth["date"])
    if truth.get("store") and truth["store"] != "generic":
        m["store"].append(same_store(truth["store"], got.get("store")))
    if "currency" in truth:
        m["currency"].append(got.get("currency") == truth["currency"])
    if "items" in truth:
        m["items"].append(item_f1(truth["items"], got.get("items", [])))
        m["names"].append(item_names(truth["items"], got.get("items", [])))
    if "ocr_ms" in got:
        m["ms"].append(got["ocr_ms"])


def score(pairs, results):
    """Returns {row: metric lists} and the per-file misses as (image,
    truth, wrong fields, line).

    Rows are sources, and "source/level" for truths with a distortion level.
    """
    acc = collections.defaultdict(lambda: collections.defaultdict(list))
    misses = []
    for image, truth_path in pairs:
        with open(truth_path, encoding="utf-8") as f:
            truth = json.load(f)
        got = results.get(image, {})
        src = truth.get("source", os.path.dirname(image))
        add_result(acc[src], truth, got)
        if truth.get("distortion"):
            add_result(acc[src + "/" + truth["distortion"]], truth, got)
        # Per chain: "source/@rewe" (rows with '/' carry no thresholds).
        if truth.get("store") and truth["store"] != "generic":
            add_result(acc[src + "/@" + truth["store"]], truth, got)
        fields = [f for f in ("total", "date")
                  if truth.get(f) is not None and got.get(f) != truth[f]]
        if fields:
            misses.append((image, truth, fields,
                           "%s: total %s/%s date %s/%s" % (
                               image, got.get("total"), truth.get("total"),
                               got.get("date"), truth.get("date"))))
    return acc, misses


def mean(xs):
    return sum(xs) / len(xs) if xs else None


def pct(x):
    return "   -  " if x is None else "%5.1f%%" % (100 * x)


def summarize(acc):
    """Returns {row: {n, total, date, store, currency, item_f1, names,
    median_ms}}
    (None: no data)."""
    rows = {}
    for name, m in acc.items():
        rows[name] = {"n": len(m["total"]), "total": mean(m["total"]),
                      "date": mean(m["date"]), "store": mean(m["store"]),
                      "currency": mean(m["currency"]),
                      "item_f1": mean(m["items"]),
                      "names": mean(m["names"]),
                      "median_ms": statistics.median(m["ms"]) if m["ms"] else None}
    return rows


def git_describe():
    """Short commit of the working tree, with '+' if it has changes."""
    def git(*a):
        return subprocess.run(["git"] + list(a), stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True,
                              check=False).stdout.strip()
    head = git("rev-parse", "--short", "HEAD")
    return head + ("+" if git("status", "--porcelain", "--untracked-files=no") else "")


def write_report(outdir, baseline_path, run):
    """Writes outdir/latest.json (keeping the old one as previous.json) and
    outdir/report.html against the baseline; returns the report's path."""
    os.makedirs(outdir, exist_ok=True)
    latest = os.path.join(outdir, "latest.json")
    previous = os.path.join(outdir, "previous.json")
    if os.path.exists(latest):
        shutil.move(latest, previous)
    with open(latest, "w", encoding="utf-8") as f:
        json.dump(run, f, indent=1, sort_keys=True)
        f.write("\n")
    baseline = None
    path = baseline_path or (previous if os.path.exists(previous) else None)
    if path:
        with open(path, encoding="utf-8") as f:
            baseline = json.load(f)
        baseline["path"] = path
    html = os.path.join(outdir, "report.html")
    with open(html, "w", encoding="utf-8") as f:
        f.write(accuracy_report.render(run, baseline))
    return html


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--scan", default="build/receipt-scan")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--min-total", type=float)
    ap.add_argument("--min-date", type=float)
    ap.add_argument("--min-store", type=float)
    ap.add_argument("--min-items", type=float, help="item-amount F1 floor")
    ap.add_argument("--misses", action="store_true",
                    help="list every file whose total or date is wrong")
    ap.add_argument("--read", action="store_true",
                    help="with --misses: read the missed images again as "
                    "text and tell which wrong fields OCR did read as "
                    "printed (the parser's misses) from those it did not")
    ap.add_argument("--scan-arg", action="append", default=[])
    ap.add_argument("--report", metavar="DIR",
                    help="write DIR/latest.json and DIR/report.html")
    ap.add_argument("--baseline", metavar="FILE",
                    help="results JSON to compare with (default DIR/previous.json)")
    args = ap.parse_args()
    if args.baseline and not os.path.exists(args.baseline):
        sys.exit("score: no baseline %s" % args.baseline)

    pairs = find_labelled(args.dirs)
    if not pairs:
        sys.exit("score: no labelled images in %s" % " ".join(args.dirs))
    acc, misses = score(pairs, run_scan(args.scan, args.jobs,
                                        [p[0] for p in pairs], args.scan_arg))
    print("%-26s %4s %7s %7s %7s %7s %7s %7s %8s" % (
        "source", "n", "total", "date", "store", "curr", "itemF1", "names",
        "med ms"))
    passed = failed = 0
    rows = summarize(acc)
    for src in sorted(rows, key=lambda n: n.split("/", 1)):
        r = rows[src]
        print("%-26s %4d %7s %7s %7s %7s %7s %7s %8s" % (
            src, r["n"], pct(r["total"]), pct(r["date"]), pct(r["store"]),
            pct(r["currency"]), pct(r["item_f1"]), pct(r["names"]),
            "-" if r["median_ms"] is None else "%d" % r["median_ms"]))
        for name, val, lim in (("total", r["total"], args.min_total),
                               ("date", r["date"], args.min_date),
                               ("store", r["store"], args.min_store),
                               ("item F1", r["item_f1"], args.min_items)):
            if lim is None or val is None or "/" in src:
                continue
            if val >= lim:
                passed += 1
            else:
                failed += 1
                print("FAIL %s: %s accuracy %s below %s" % (
                    src, name, pct(val), pct(lim)))
    if args.misses and args.read and misses:
        lines, summary = read_misses(args.scan, args.jobs, args.scan_arg,
                                     misses)
        print("\n".join(lines))
        print(summary)
    elif args.misses and misses:
        print("\n".join(m[3] for m in misses))
    if args.report:
        run = {"when": datetime.datetime.now(datetime.timezone.utc).strftime(
                   "%Y-%m-%dT%H:%M:%SZ"),
               "commit": git_describe(), "dirs": args.dirs,
               "scan_args": args.scan_arg, "rows": rows,
               "misses": [m[3] for m in misses]}
        print("report: %s" % write_report(args.report, args.baseline, run))
    if any(v is not None for v in (args.min_total, args.min_date,
                                   args.min_store, args.min_items)):
        print("accuracy: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
