#!/usr/bin/python3
"""make bench (daemon part): upload latency and upload-to-final time.

Starts build/receiptd on 127.0.0.1 and a free port with a temp data dir
and N workers, then: (1) uploads every fixture image once, sequentially,
timing each 202 (p50/p99 accept latency: durable write + commit); (2)
waits until all are final and reports the makespan and per-receipt
upload-to-final time; (3) in the same run times receipt-scan --jobs N on
the same images (plain OCR, no HTTP, no database) and prints the ratio.
"""
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

KEY = "bench-app-key-0001"
FINAL = {"credited", "flagged", "rejected", "duplicate", "failed", "reversed"}
CTYPE = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def request(port, method, path, body=None, ctype=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    hdr = {"Authorization": "Bearer " + KEY}
    if ctype:
        hdr["Content-Type"] = ctype
    c.request(method, path, body=body, headers=hdr)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, json.loads(data) if data else None


def start(tmp, port, workers):
    cfg = os.path.join(tmp, "bench.conf")
    with open(cfg, "w") as f:
        f.write("api_key = %s app\nworkers = %d\n" % (KEY, workers))
    proc = subprocess.Popen(["build/receiptd", "--config", cfg, "--listen",
                             "127.0.0.1:%d" % port, "--data-dir",
                             os.path.join(tmp, "data")],
                            stderr=subprocess.DEVNULL,
                            env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    for _ in range(200):
        try:
            if request(port, "GET", "/readyz")[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.05)
    proc.kill()
    sys.exit("bench: receiptd did not become ready")


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    imgs = sorted(os.path.join("fixtures/synth", f)
                  for f in os.listdir("fixtures/synth")
                  if os.path.splitext(f)[1] in CTYPE)
    tmp = tempfile.mkdtemp(prefix="receiptd-bench-")
    port = free_port()
    proc = start(tmp, port, workers)
    try:
        accept, sent = [], {}
        t0 = time.monotonic()
        for i, img in enumerate(imgs):
            with open(img, "rb") as f:
                body = f.read()
            t = time.monotonic()
            st, ans = request(port, "POST", "/v1/users/u%d/receipts" % i,
                              body, CTYPE[os.path.splitext(img)[1]])
            accept.append(1000 * (time.monotonic() - t))
            if st != 202:
                sys.exit("bench: upload answered %d" % st)
            sent[ans["id"]] = (i, t)
        done = {}
        while len(done) < len(sent) and time.monotonic() - t0 < 300:
            for rid, (i, t) in sent.items():
                if rid in done:
                    continue
                st, r = request(port, "GET",
                                "/v1/users/u%d/receipts/%d" % (i, rid))
                if r["status"] in FINAL:
                    done[rid] = time.monotonic() - t
            time.sleep(0.02)
        makespan = time.monotonic() - t0
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(tmp)
    t = time.monotonic()
    subprocess.run(["build/receipt-scan", "--json", "--jobs", str(workers)]
                   + imgs, stdout=subprocess.DEVNULL, check=False,
                   env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    plain = time.monotonic() - t
    n = len(imgs)
    print("\n== receiptd, %d workers, %d uploads (fixtures/synth)" %
          (workers, n))
    print("  upload accepted (202, durable)  p50 %6.1f ms   p99 %6.1f ms" %
          (pct(accept, 50), pct(accept, 99)))
    print("  upload -> final status          p50 %6.0f ms   p99 %6.0f ms" %
          (1000 * pct(list(done.values()), 50),
           1000 * pct(list(done.values()), 99)))
    print("  all %d final in %.2f s; receipt-scan --jobs %d on the same "
          "images: %.2f s; ratio %.2fx" % (len(done), makespan, workers,
                                          plain, makespan / plain))


if __name__ == "__main__":
    main()
