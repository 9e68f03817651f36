#!/usr/bin/python3
"""make bench: receipt-scan against the tesseract CLI on the same images.

For each image set (the project's fixtures, and ../shared/receipts when it
is there) it times, in this one run: the tesseract CLI one image at a time
(OMP_THREAD_LIMIT=1, --psm 6, same language), receipt-scan serial,
receipt-scan with no preprocessing, re-reading or line rebuilding
(Tesseract's own recognition in one process: on scans, which
preprocessing does not shrink, the floor for the serial ratio) and
receipt-scan --jobs 2; and reports ms per receipt, ratios against the CLI,
throughput, and peak memory (max RSS of one process).
Each is timed in --rounds interleaved rounds and its best round counts:
single runs of the same command differed by up to 10 % here.
"""
import argparse
import os
import resource
import subprocess
import sys
import time

IMAGE_EXT = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp")
ENV = dict(os.environ, OMP_THREAD_LIMIT="1")


def images_in(top):
    out = []
    for root, _, files in os.walk(top):
        out += [os.path.join(root, f) for f in files
                if os.path.splitext(f)[1].lower() in IMAGE_EXT]
    return sorted(out)


def timed(cmds):
    """Runs commands one after another; returns (seconds, max RSS in MiB).
    RSS is read in a fresh child so earlier runs do not mask it."""
    code = ("import resource,subprocess,sys,time,json\n"
            "cmds=json.loads(sys.argv[1]);t=time.monotonic()\n"
            "for c in cmds: subprocess.run(c,stdout=subprocess.DEVNULL,"
            "stderr=subprocess.DEVNULL,check=False)\n"
            "print(time.monotonic()-t,"
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    import json
    out = subprocess.run([sys.executable, "-c", code, json.dumps(cmds)],
                         stdout=subprocess.PIPE, env=ENV, check=True,
                         text=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024.0


def bench_set(name, imgs, scan, lang, rounds):
    """Times each way of reading imgs in rounds, interleaved so that a
    slow spell of the machine hits them alike, and keeps each one's best
    round (time) and largest peak memory."""
    n = len(imgs)
    scan_cmd = [scan, "--json", "--lang", lang]
    ways = {
        "cli": [["tesseract", i, "-", "--psm", "6", "-l", lang]
                for i in imgs],
        "ser": [scan_cmd + imgs],
        "bare": [scan_cmd + ["--prep", "none", "--no-reread", "--lines",
                             "tesseract"] + imgs],
        "par": [scan_cmd + ["--jobs", "2"] + imgs],
    }
    runs = {k: [] for k in ways}
    for _ in range(rounds):
        for k, c in ways.items():
            runs[k].append(timed(c))
    best = {k: min(t for t, _ in r) for k, r in runs.items()}
    peak = {k: max(m for _, m in r) for k, r in runs.items()}
    cli, ser, bare, par = best["cli"], best["ser"], best["bare"], best["par"]
    print("\n== %s: %d images, lang %s (best of %d rounds)" %
          (name, n, lang, rounds))
    print("  tesseract CLI (serial)         %7.0f ms/receipt  peak %5.0f MiB" %
          (1000 * cli / n, peak["cli"]))
    print("  receipt-scan (serial)          %7.0f ms/receipt  peak %5.0f MiB"
          "  ratio %.2fx" % (1000 * ser / n, peak["ser"], ser / cli))
    print("  Tesseract alone, in process    %7.0f ms/receipt"
          "                 ratio %.2fx" % (1000 * bare / n, bare / cli))
    print("  receipt-scan --jobs 2          %7.2f receipts/s  vs CLI %.2f/s"
          "  speed-up %.2fx" % (n / par, n / cli, cli / par))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scan", default="build/receipt-scan")
    ap.add_argument("--lang", default="deu")
    ap.add_argument("--shared", default="../shared/receipts")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    sets = [(d, images_in(d)) for d in ("fixtures/synth", "fixtures/photo")]
    if os.path.isdir(args.shared):
        sets.append((args.shared, images_in(args.shared)))
    for name, imgs in sets:
        if imgs:
            bench_set(name, imgs, args.scan, args.lang, args.rounds)


if __name__ == "__main__":
    main()
