#!/usr/bin/python3
"""Score receipt-scan against truth files.

Finds every image in the given folders (recursively) that has a truth file
X.json beside it, runs receipt-scan --json on them, and prints per source
(the truth's "source" field): n, total accuracy (exact cents), date accuracy,
store accuracy (where the truth names a chain), item-amount F1 (where the
truth lists items) and median OCR ms. An image receipt-scan refuses counts as
wrong on every field. With --min-total / --min-date it is a test: each source
below a threshold fails, and the last line reads "N passed, N failed".
"""
import argparse
import collections
import json
import os
import statistics
import subprocess
import sys

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


def run_scan(scan, jobs, images, extra):
    """Runs receipt-scan once over all images; returns {file: result}."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = subprocess.run([scan, "--json", "--jobs", str(jobs)] + extra +
                         images, stdout=subprocess.PIPE, env=env,
                         check=False, text=True).stdout
    results = {}
    for line in out.splitlines():
        obj = json.loads(line)
        results[obj["file"]] = obj
    return results


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


def score(pairs, results):
    """Returns {source: metrics} and a list of per-file misses."""
    acc = collections.defaultdict(lambda: collections.defaultdict(list))
    misses = []
    for image, truth_path in pairs:
        with open(truth_path, encoding="utf-8") as f:
            truth = json.load(f)
        got = results.get(image, {})
        m = acc[truth.get("source", os.path.dirname(image))]
        ok_total = got.get("total") == truth.get("total")
        m["total"].append(ok_total)
        if truth.get("date"):
            m["date"].append(got.get("date") == truth["date"])
        if truth.get("store") and truth["store"] != "generic":
            m["store"].append(got.get("store") == truth["store"])
        if "items" in truth:
            m["items"].append(item_f1(truth["items"], got.get("items", [])))
        if "ocr_ms" in got:
            m["ms"].append(got["ocr_ms"])
        if not ok_total or (truth.get("date") and
                            got.get("date") != truth["date"]):
            misses.append("%s: total %s/%s date %s/%s" % (
                image, got.get("total"), truth.get("total"),
                got.get("date"), truth.get("date")))
    return acc, misses


def mean(xs):
    return sum(xs) / len(xs) if xs else None


def pct(x):
    return "   -  " if x is None else "%5.1f%%" % (100 * x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--scan", default="build/receipt-scan")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--min-total", type=float)
    ap.add_argument("--min-date", type=float)
    ap.add_argument("--misses", action="store_true",
                    help="list every file whose total or date is wrong")
    ap.add_argument("--scan-arg", action="append", default=[])
    args = ap.parse_args()

    pairs = find_labelled(args.dirs)
    if not pairs:
        sys.exit("score: no labelled images in %s" % " ".join(args.dirs))
    acc, misses = score(pairs, run_scan(args.scan, args.jobs,
                                        [p[0] for p in pairs], args.scan_arg))
    print("%-22s %4s %7s %7s %7s %7s %8s" % ("source", "n", "total", "date",
                                             "store", "itemF1", "med ms"))
    passed = failed = 0
    for src in sorted(acc):
        m = acc[src]
        tot, date = mean(m["total"]), mean(m["date"])
        print("%-22s %4d %7s %7s %7s %7s %8s" % (
            src, len(m["total"]), pct(tot), pct(date), pct(mean(m["store"])),
            pct(mean(m["items"])),
            "%d" % statistics.median(m["ms"]) if m["ms"] else "-"))
        for name, val, lim in (("total", tot, args.min_total),
                               ("date", date, args.min_date)):
            if lim is None or val is None:
                continue
            if val >= lim:
                passed += 1
            else:
                failed += 1
                print("FAIL %s: %s accuracy %s below %s" % (
                    src, name, pct(val), pct(lim)))
    if args.misses:
        print("\n".join(misses))
    if args.min_total is not None or args.min_date is not None:
        print("accuracy: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
