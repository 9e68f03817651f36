#!/usr/bin/python3
"""Score the parser alone on stored OCR text (a parser developer's tool).

Usage: tests/score_text.py [--scan build/receipt-scan] [--misses]
                           TEXT_DIR TRUTH_DIR

TEXT_DIR holds X.txt files as `receipt-scan --text` prints them, in
sub-folders like TRUTH_DIR's (TEXT_DIR/sroie/a.txt pairs with
TRUTH_DIR/sroie/a.json). Runs `receipt-scan --from-text --json` once over
all of them and prints per source (the truth's "source" field) total and
date accuracy. Each missed total is put in one of two classes:

  ocr    the truth total's digits appear nowhere in the text: OCR lost it
  parse  they do appear: the parser chose wrong

Missed dates are classed alike (day, month and year printed in some
order, any separators). --misses lists every miss with what was read and
what was expected.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys


def find_pairs(text_dir, truth_dir):
    """Returns sorted (text, truth) pairs: every X.txt with a truth X.json."""
    pairs = []
    for root, _, files in os.walk(text_dir):
        rel = os.path.relpath(root, text_dir)
        for f in files:
            stem, ext = os.path.splitext(f)
            if ext != ".txt":
                continue
            truth = os.path.normpath(os.path.join(truth_dir, rel, stem + ".json"))
            if os.path.exists(truth):
                pairs.append((os.path.join(root, f), truth))
    return sorted(pairs)


def run_scan(scan, files):
    """Runs receipt-scan --from-text over files; returns {file: result}."""
    out = subprocess.run([scan, "--from-text", "--json"] + files,
                         stdout=subprocess.PIPE, check=False,
                         text=True).stdout
    results = {}
    for line in out.splitlines():
        obj = json.loads(line)
        results[obj["file"]] = obj
    return results


def digits_in_text(cents, text):
    """True when the total's digits (e.g. 1234 -> "12" + "34" with any one
    separator) appear in text, ignoring spaces OCR put inside the number."""
    if cents is None:
        return False
    whole, frac = divmod(abs(cents), 100)
    squeezed = re.sub(r"[ \t]", "", text)
    pat = r"(?<![0-9])%d[.,:]%02d(?![0-9])" % (whole, frac)
    return re.search(pat, squeezed) is not None


MONTHS = ["jan", "feb", "mar", "apr", "ma", "jun", "jul", "aug", "sep",
          "o", "nov", "de"]


def date_in_text(iso, text):
    """True when the truth date's day, month and year appear in text in a
    printed order (DD MM YY(YY), YYYY MM DD, DD Mon YY), any separators."""
    if not iso:
        return False
    y, m, d = iso.split("-")
    t = text.lower()
    sep = r"[^0-9a-z]{0,3}"
    pats = [r"(?<![0-9])0?%d%s%s%s(%s|%s)(?![0-9])" % (int(d), sep, m, sep,
                                                        y, y[2:]),
            r"(?<![0-9])%s%s%s%s%s(?![0-9])" % (y, sep, m, sep, d),
            r"(?<![0-9])0?%d%s%s[a-z]*%s(%s|%s)(?![0-9])" % (
                int(d), sep, MONTHS[int(m) - 1], sep, y, y[2:])]
    return any(re.search(p, t) for p in pats)


def money(cents):
    return "null" if cents is None else "%d.%02d" % divmod(cents, 100)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scan", default="build/receipt-scan")
    ap.add_argument("--misses", action="store_true",
                    help="list every miss")
    ap.add_argument("text_dir")
    ap.add_argument("truth_dir")
    args = ap.parse_args()

    pairs = find_pairs(args.text_dir, args.truth_dir)
    if not pairs:
        sys.exit("score_text: no X.txt with a truth X.json found")
    results = run_scan(args.scan, [t for t, _ in pairs])
    acc = collections.defaultdict(lambda: collections.defaultdict(int))
    misses = []
    for text_path, truth_path in pairs:
        with open(truth_path, encoding="utf-8") as f:
            truth = json.load(f)
        with open(text_path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if text.startswith("== "):  # the --text header names the file
            text = text.split("\n", 1)[1] if "\n" in text else ""
        got = results.get(text_path, {})
        m = acc[truth.get("source", os.path.basename(os.path.dirname(
            text_path)))]
        m["n"] += 1
        ok_total = got.get("total") == truth.get("total")
        m["total"] += ok_total
        if not ok_total:
            kind = "parse" if digits_in_text(truth.get("total"), text) \
                else "ocr"
            m["miss_" + kind] += 1
            misses.append((text_path, "total", kind, money(got.get("total")),
                           money(truth.get("total"))))
        if truth.get("date"):
            m["ndate"] += 1
            if got.get("date") == truth["date"]:
                m["date"] += 1
            else:
                kind = "parse" if date_in_text(truth["date"], text) \
                    else "ocr"
                m["dmiss_" + kind] += 1
                misses.append((text_path, "date", kind, got.get("date"),
                               truth["date"]))

    print("%-20s %3s %6s %6s   %-15s %-15s" % (
        "source", "n", "total", "date", "total miss", "date miss"))
    for src in sorted(acc):
        m = acc[src]
        print("%-20s %3d %5.0f%% %5.0f%%   parse %d ocr %-4d  parse %d ocr %d"
              % (src, m["n"], 100.0 * m["total"] / m["n"],
                 100.0 * m["date"] / max(1, m["ndate"]), m["miss_parse"],
                 m["miss_ocr"], m["dmiss_parse"], m["dmiss_ocr"]))
    if args.misses:
        for path, field, kind, got, want in misses:
            print("%-8s %-5s %-5s got %-12s want %-12s %s" % (
                "MISS", field, kind, got, want, path))


if __name__ == "__main__":
    main()
