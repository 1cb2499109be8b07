#!/usr/bin/env python3
"""ctest: scripts/report's page, opened in headless Chromium, loads without a
JavaScript error and shows what the results file holds: one ranked-table row
per policy, one option per run, a drawn canvas for the JCT CDF, one per
policy's time series and one Gantt whose bars are the GPUs of the jobs of the
first run (counted here from the HDF5 file with h5py), and the baseline
verdicts of `compare --baseline`. The page must reference nothing outside
itself.

    report_browser_test.py FASTGPU_CLI SOURCE_DIR WORK_DIR

Exits 77 (ctest SKIP_RETURN_CODE) with the reason when chromium, h5py or
Chart.js (libjs-chart.js) is missing.
"""
import os
import re
import shutil
import subprocess
import sys

from results_fixture import two_type_config, use_system_python

SKIP = 77
POLICIES = ["fifo", "sjf", "las"]
SEEDS = [1, 2, 3]
# Metrics of the paired table (experiments/paired_verdicts.cpp), one verdict row per policy and metric.
VERDICT_METRICS = 5

CONFIG = two_type_config("report-test")


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def skip(msg):
    print(f"SKIP: {msg}")
    sys.exit(SKIP)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def find_browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def dump_dom(browser, page, profile):
    # --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
    # The virtual time budget lets the page's scripts finish before the DOM is dumped.
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions",
           f"--user-data-dir={profile}", "--virtual-time-budget=30000", "--dump-dom", "file://" + page]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=240)
    if r.returncode != 0:
        fail(f"chromium exited {r.returncode}: {r.stderr.decode(errors='replace')[-2000:]}")
    return r.stdout.decode("utf-8", errors="replace")


def attr(tag, name):
    m = re.search(rf'\b{name}="([^"]*)"', tag)
    return m.group(1) if m else None


def main():
    use_system_python()
    cli, source, work = sys.argv[1:4]
    browser = find_browser()
    if browser is None:
        skip("chromium is not installed (Debian package chromium, scripts/setup)")
    try:
        import h5py  # noqa: F401
    except ImportError:
        skip("python3-h5py is not installed (scripts/setup)")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    config = os.path.join(work, "report.toml")
    with open(config, "w") as f:
        f.write(CONFIG)
    results = os.path.join(work, "report.h5")
    r = run([cli, "compare", config, "-o", results, "-j", "2", "--quiet", "--baseline", "fifo"])
    if r.returncode != 0:
        fail(f"fastgpu compare exited {r.returncode}:\n{r.stdout}")
    page = os.path.join(work, "report.html")
    r = run([os.path.join(source, "scripts", "report"), results, "-o", page, "--quiet"])
    if r.returncode == 3 or (r.returncode == 2 and "libjs-chart.js" in r.stdout):
        skip(r.stdout.strip())
    if r.returncode != 0:
        fail(f"scripts/report exited {r.returncode}:\n{r.stdout}")

    text = open(page, encoding="utf-8").read()
    # Self-contained: no script, style sheet or image fetched from anywhere.
    external = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)=', text)
    if external:
        fail(f"the page loads external resources: {external[:3]}")

    # The first run (fifo, seed 1) draws every job that ran on every GPU it ended on.
    with h5py.File(results, "r") as f:
        offset = f["runs/fifo/synthetic/seed-1/job_gpus_offset"][:]
        bars = int(offset[-1])
    if bars == 0 or bars > 2500:
        fail(f"the test's run has {bars} job GPUs; the test expects all of them drawn (1..2500)")

    dom = dump_dom(browser, page, os.path.join(work, "profile"))
    body = re.search(r"<body[^>]*>", dom)
    errors = re.search(r'<pre id="js-errors">(.*?)</pre>', dom, re.S)
    if errors is None or body is None:
        fail(f"no <body> or #js-errors in the dumped DOM:\n{dom[:1000]}")
    if errors.group(1).strip():
        fail(f"JavaScript errors:\n{errors.group(1)}")
    if attr(body.group(0), "data-status") != "ready":
        fail(f"the page did not finish: {body.group(0)}")

    rows = re.findall(r'<tr class="policy-row">.*?</tr>', dom, re.S)
    names = [re.search(r'data-run="[^"]*">([^<]*)</a>', r).group(1) for r in rows]
    if sorted(names) != sorted(POLICIES):
        fail(f"ranked table rows {names}, expected one per policy {POLICIES}")
    options = re.findall(r"<option ", dom)
    if len(options) != len(POLICIES) * len(SEEDS):
        fail(f"{len(options)} runs to choose, expected {len(POLICIES) * len(SEEDS)}")

    canvases = re.findall(r"<canvas[^>]*>", dom)
    kinds = [attr(c, "class") for c in canvases]
    expected = ["cdf"] + ["series"] * len(POLICIES) + ["gantt"]
    if kinds != expected:
        fail(f"canvases {kinds}, expected {expected}")
    undrawn = [c for c in canvases if attr(c, "data-chart") != "drawn"]
    if undrawn:
        fail(f"charts without data: {undrawn}")
    gantt = canvases[-1]
    if int(attr(gantt, "data-points")) != bars:
        fail(f"the Gantt draws {attr(gantt, 'data-points')} bars, the file has {bars} job GPUs for fifo seed 1")
    cdf = canvases[0]
    if int(attr(cdf, "data-points")) != len(POLICIES) * min(150, 120 * len(SEEDS)):
        fail(f"the CDF has {attr(cdf, 'data-points')} points, expected 150 per policy")

    verdicts = re.findall(r'<tr class="verdict-[^"]*">', dom)
    if len(verdicts) != (len(POLICIES) - 1) * VERDICT_METRICS:
        fail(f"{len(verdicts)} baseline verdict rows, expected {(len(POLICIES) - 1) * VERDICT_METRICS}")
    print(f"report browser test passed ({os.path.getsize(page)} bytes, {bars} Gantt bars)")


if __name__ == "__main__":
    main()
