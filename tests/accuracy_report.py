"""HTML report of one accuracy run against a baseline, as plain inline SVG.

One row per source (and per distortion level), one column per metric; in
each cell the baseline's bar (grey) sits above this run's bar, coloured
green where it is better, red where worse. No scripts, no external files.
"""
import html

METRICS = (("total", "total"), ("date", "date"), ("store", "store"),
           ("currency", "currency"),
           ("item_f1", "item F1"), ("names", "item names"),
           ("median_ms", "ms / receipt"))
LABEL_W, CELL_W, BAR_W, ROW_H, HEAD_H = 230, 170, 110, 36, 44
BASE_COLOUR, SAME, BETTER, WORSE = "#b8b8b8", "#4a78c2", "#2e9a4e", "#c8423a"
# A difference smaller than this is noise: one receipt in a few hundred.
EPS_PCT, EPS_MS = 0.005, 0.10


def fmt(key, v):
    """Text of value v of metric key ('-' where there is no data)."""
    if v is None:
        return "-"
    return "%d ms" % v if key == "median_ms" else "%.1f%%" % (100 * v)


def colour(key, now, before):
    """This run's bar colour: better, worse or unchanged against before."""
    if now is None or before is None:
        return SAME
    if key == "median_ms":
        if abs(now - before) <= EPS_MS * before:
            return SAME
        return BETTER if now < before else WORSE
    if abs(now - before) < EPS_PCT:
        return SAME
    return BETTER if now > before else WORSE


def bar(x, y, frac, fill, text):
    """One horizontal bar of BAR_W * frac with its value to the right."""
    w = 0 if frac is None else max(1.0, BAR_W * min(1.0, frac))
    return ('<rect x="%.1f" y="%.1f" width="%.1f" height="11" fill="%s"/>'
            '<text x="%.1f" y="%.1f" class="v">%s</text>'
            % (x, y, w, fill, x + BAR_W + 4, y + 9.5, html.escape(text)))


def cell(key, x, y, now, before, ms_max):
    """The two bars of one metric of one row."""
    scale = (lambda v: None if v is None else v / ms_max) if key == "median_ms" \
        else (lambda v: v)
    out = []
    if before is not None or key != "median_ms":
        out.append(bar(x, y + 5, scale(before), BASE_COLOUR, fmt(key, before)))
    out.append(bar(x, y + 18, scale(now), colour(key, now, before), fmt(key, now)))
    return "".join(out)


def chart(rows, base_rows):
    """The SVG grid: rows of sources, columns of metrics."""
    names = sorted(rows, key=lambda n: n.split("/", 1))  # levels under their source
    ms = [r.get("median_ms") or 0 for r in list(rows.values()) + list(base_rows.values())]
    ms_max = max(ms + [1])
    width = LABEL_W + CELL_W * len(METRICS)
    height = HEAD_H + ROW_H * len(names) + 10
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (width, height),
           '<style>.v{font-size:10px;fill:#333}.lv{fill:#666}</style>']
    for i, (_, title) in enumerate(METRICS):
        out.append('<text x="%d" y="20" font-weight="bold">%s</text>'
                   % (LABEL_W + i * CELL_W, html.escape(title)))
    out.append('<text x="%d" y="36" class="v">%s</text>' % (
        LABEL_W, "grey: baseline; colour: this run (green better, red worse, blue same)"))
    for j, name in enumerate(names):
        y = HEAD_H + j * ROW_H
        if j % 2 == 0:
            out.append('<rect x="0" y="%d" width="%d" height="%d" fill="#f4f4f4"/>'
                       % (y, width, ROW_H))
        level = "/" in name
        label = name.split("/", 1)[1] if level else name
        out.append('<text x="%d" y="%d"%s>%s</text><text x="%d" y="%d" class="v">n=%d</text>'
                   % (18 if level else 6, y + 22,
                      ' class="lv"' if level else ' font-weight="bold"', html.escape(label),
                      LABEL_W - 50, y + 22, rows[name]["n"]))
        base = base_rows.get(name, {})
        for i, (key, _) in enumerate(METRICS):
            out.append(cell(key, LABEL_W + i * CELL_W, y, rows[name].get(key),
                            base.get(key), ms_max))
    out.append("</svg>")
    return "\n".join(out)


def render(run, baseline):
    """Return the HTML page for run (see score.py) against baseline or None."""
    base_rows = baseline["rows"] if baseline else {}
    if baseline:
        against = "baseline: %s, commit %s, %s" % (
            baseline.get("path", "?"), baseline.get("commit", "?"), baseline.get("when", "?"))
    else:
        against = "no baseline (first run; the next run compares with this one)"
    misses = "".join("<li>%s</li>" % html.escape(m) for m in run.get("misses", []))
    return """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>receipt-scan accuracy</title>
<style>body{font-family:sans-serif;margin:20px}p{margin:4px 0}</style></head>
<body><h2>receipt-scan accuracy</h2>
<p>this run: commit %s, %s, folders %s</p><p>%s</p>
%s
<details><summary>%d receipts with a wrong total or date</summary><ul>%s</ul></details>
</body></html>
""" % (html.escape(run["commit"]), html.escape(run["when"]),
       html.escape(" ".join(run["dirs"])), html.escape(against), chart(run["rows"], base_rows),
       len(run.get("misses", [])), misses)
