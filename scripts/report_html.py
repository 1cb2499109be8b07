"""One self-contained HTML report of a fastgpu results file: the data of the
file, cut to a size a browser opens at once, as JSON inside the page, drawn by
the page's own script (report.js) with Chart.js embedded from Debian's
libjs-chart.js, so the file works offline and can be mailed as it is.

What the page shows is listed in docs/report.md."""
import html
import json
import math
import os

import numpy as np

from results_file import MIN_SEEDS_FOR_CI, InputError, bounded_ci, read_verdicts, text_of

HERE = os.path.dirname(os.path.abspath(__file__))

# Where Debian's libjs-chart.js (and the npm layout of node-chart.js) put the UMD build.
CHART_JS_PATHS = ["/usr/share/javascript/chart.js/chart.min.js", "/usr/share/javascript/chart.js/chart.js",
                  "/usr/share/javascript/chart.js/Chart.min.js", "/usr/share/nodejs/chart.js/dist/chart.min.js",
                  "/usr/share/nodejs/chart.js/dist/chart.umd.js", "/usr/share/nodejs/chart.js/dist/chart.js"]

# Budgets that keep the page small for 17 policies x 3 seeds x 3000 jobs (configs/policies.toml).
SERIES_POINTS = 300     # time-series samples per run; longer series are averaged over buckets
CDF_POINTS = 150        # quantiles per JCT CDF
GANTT_BARS = 2500       # (job, GPU) bars per Gantt; the earliest-starting jobs are kept
GANTT_RUNS_ALL = 12     # up to this many runs every run has its Gantt, else the smallest seed of each

# (summary column, label, kind): kind picks the unit on the page.
METRICS = [("jct_mean", "mean JCT", "time"), ("jct_p99", "p99 JCT", "time"), ("wait_mean", "mean wait", "time"),
           ("bounded_slowdown_mean", "mean bounded slowdown", "plain"), ("utilisation", "utilisation", "fraction"),
           ("makespan", "makespan", "time"), ("load_variance_mean", "load variance", "plain"),
           ("jobs_completed", "completed", "count"), ("jobs_rejected", "rejected", "count")]


def find_chart_js():
    for p in CHART_JS_PATHS:
        if os.path.isfile(p):
            return p
    return None


def _finite(x):
    return x if x is not None and math.isfinite(x) else None


def _round(values, digits=6):
    return [None if not math.isfinite(v) else float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=float)]


def cell(values, metric):
    """{mean, lo, hi, n, clipped}: the 95 % interval clipped to the metric's physical
    bounds; lo/hi null below MIN_SEEDS_FOR_CI seeds."""
    m, lo, hi, clipped = bounded_ci(values, metric)
    return {"n": len(values), "mean": _finite(m), "lo": _finite(lo), "hi": _finite(hi), "clipped": clipped}


def downsample_series(ts):
    """Bucket means of at most SERIES_POINTS samples: (time, utilisation, queue, averaged-over)."""
    n = len(ts)
    t, u, q = ts["time"].astype(float), ts["utilisation"].astype(float), ts["queue_length"].astype(float)
    if n <= SERIES_POINTS:
        return t, u, q, 1
    per = math.ceil(n / SERIES_POINTS)
    edges = np.arange(0, n, per)
    counts = np.diff(np.append(edges, n))
    return (np.add.reduceat(t, edges) / counts, np.add.reduceat(u, edges) / counts,
            np.add.reduceat(q, edges) / counts, per)


def cdf_points(values):
    v = np.sort(np.asarray(values, dtype=float))
    if len(v) == 0:
        return []
    idx = np.unique(np.linspace(0, len(v) - 1, min(CDF_POINTS, len(v))).round().astype(int))
    return [[float(f"{max(v[i], 1.0):.6g}"), float(f"{(i + 1) / len(v):.5g}")] for i in idx]


def gantt_of(group):
    """Bars [gpu, start, end, job row] of the jobs' last runs on the GPUs they ended on,
    earliest start first, at most GANTT_BARS; (bars, jobs drawn, jobs that ran)."""
    jobs = group["jobs"][:]
    gpus, offset = group["job_gpus"][:], group["job_gpus_offset"][:]
    start = jobs["final_start"]
    ran = np.flatnonzero(~np.isnan(start) & (offset[1:] > offset[:-1]))
    order = ran[np.argsort(start[ran], kind="stable")]
    bars, drawn = [], 0
    for j in order:
        g = gpus[offset[j]:offset[j + 1]]
        if len(bars) + len(g) > GANTT_BARS:
            break
        for gpu in g:
            bars.append([int(gpu), float(f"{start[j]:.7g}"), float(f"{jobs['end'][j]:.7g}"), int(j)])
        drawn += 1
    return bars, drawn, len(ran)


def collect(res):
    """Everything the page draws, as one JSON-able dict."""
    f = res.file
    verdicts = read_verdicts(f)
    data = {"experiment": res.attrs.get("experiment", ""), "version": res.attrs.get("fastgpu_version", "?"),
            "git": res.attrs.get("git_describe", "?"), "created": res.attrs.get("created_utc", "?"),
            "file": os.path.basename(res.path), "min_seeds_for_ci": MIN_SEEDS_FOR_CI,
            "metrics": [{"key": k, "label": lbl, "kind": kind} for k, lbl, kind in METRICS
                        if k in res.metric_names],
            "workloads": [], "runs": [], "limits": {"series_points": SERIES_POINTS, "gantt_bars": GANTT_BARS}}
    many = len(res.rows) > GANTT_RUNS_ALL
    for w in res.workloads:
        policies = [p for p in res.policies if res.seeds(p, w)]
        entry = {"name": w, "rows": [], "cdf": {}, "series": {}, "series_averaged": 1,
                 "verdicts": [v for v in verdicts if v.get("workload") == w]}
        for p in policies:
            seeds = res.seeds(p, w)
            cells = {k: cell(res.values(p, w, k), k) for k, _, _ in METRICS if k in res.metric_names}
            entry["rows"].append({"policy": p, "seeds": seeds, "cells": cells,
                                  "run": f"{p}\u0000{w}\u0000{seeds[0]}"})
            jct = []
            for s in seeds:
                jobs = res.group(p, w, s)["jobs"][:]
                done = jobs["outcome"] == 0
                jct.append(jobs["end"][done] - jobs["submit"][done])
            entry["cdf"][p] = cdf_points(np.concatenate(jct) if jct else [])
            ts = res.group(p, w, seeds[0])["timeseries"][:]
            if len(ts):
                t, u, q, per = downsample_series(ts)
                entry["series"][p] = {"seed": seeds[0], "t": _round(t), "util": _round(u, 4), "queue": _round(q, 5)}
                entry["series_averaged"] = max(entry["series_averaged"], per)
        # Ranked best first by mean JCT, ties by mean makespan (as `fastgpu compare` ranks); NaN last.
        def rank_key(row):
            jct, span = row["cells"].get("jct_mean", {}).get("mean"), row["cells"].get("makespan", {}).get("mean")
            return (jct is None, jct or 0.0, span is None, span or 0.0)
        entry["rows"].sort(key=rank_key)
        for i, row in enumerate(entry["rows"]):
            row["rank"] = i + 1
        data["workloads"].append(entry)
        for p in policies:
            for s in res.seeds(p, w):
                g = res.group(p, w, s)
                row = next(r for r in res.rows if r["policy"] == p and r["workload"] == w and r["seed"] == s)
                run = {"id": f"{p}\u0000{w}\u0000{s}", "policy": p, "workload": w, "seed": s,
                       "num_gpus": int(g.attrs.get("num_gpus", 0)),
                       "metrics": {k: _finite(v) for k, v in row["metrics"].items()},
                       "params": {k[len("param."):]: text_of(v) for k, v in g.attrs.items() if k.startswith("param.")},
                       "sweep": row["sweep"], "gantt": None}
                if not many or s == res.seeds(p, w)[0]:
                    bars, drawn, ran = gantt_of(g)
                    run["gantt"] = {"bars": bars, "jobs_drawn": drawn, "jobs_ran": ran}
                data["runs"].append(run)
    return data


def write_report(res, path):
    chart_js = find_chart_js()
    if chart_js is None:
        raise InputError("Chart.js not found (" + ", ".join(CHART_JS_PATHS[:2]) + "); install libjs-chart.js "
                         "(scripts/setup)")
    data = collect(res)
    with open(chart_js, encoding="utf-8") as fjs:
        chart_src = fjs.read()
    with open(os.path.join(HERE, "report.js"), encoding="utf-8") as fjs:
        page_src = fjs.read()
    with open(os.path.join(HERE, "report.css"), encoding="utf-8") as fcss:
        css = fcss.read()
    # "</" cannot end a script element inside the JSON or the libraries.
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    title = html.escape(f"fastgpu report: {data['experiment']}")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>{css}</style>
<script>
// Errors of the page itself land in #js-errors, which the browser test reads.
window.reportErrors = [];
window.reportError = function (text) {{
  window.reportErrors.push(text);
  var out = document.getElementById("js-errors");
  if (out) out.textContent = window.reportErrors.join("\\n");
  if (document.body) document.body.dataset.status = "errors";
}};
window.onerror = function (msg, src, line, col) {{ window.reportError(msg + " (line " + line + ":" + col + ")"); }};
(function () {{ var e = console.error; console.error = function () {{
  window.reportError(Array.prototype.join.call(arguments, " ")); e.apply(console, arguments); }}; }})();
</script>
<script>{chart_src}</script>
</head><body data-status="loading">
<h1>{title}</h1>
<div id="app"></div>
<pre id="js-errors"></pre>
<script type="application/json" id="report-data">{payload}</script>
<script>{page_src}</script>
</body></html>
"""
    with open(path, "w", encoding="utf-8") as out:
        out.write(page)

