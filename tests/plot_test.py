#!/usr/bin/env python3
"""ctest: scripts/plot on small results files made by `fastgpu compare` writes
every expected figure as a valid, non-blank PNG, and an index.html that shows
them (and report.html when Chart.js is installed); confidence intervals appear
only from 3 seeds on and are clipped at physical bounds; time series are small
multiples and the sweep legend sits below the panels; bad input exits 2 and
writes nothing.

    plot_test.py FASTGPU_CLI SOURCE_DIR WORK_DIR

Reruns itself under /usr/bin/python3 when its python3 lacks numpy or h5py;
exits 77 (ctest SKIP_RETURN_CODE) when scripts/plot reports missing Python
packages (its exit status 3).
"""
import os
import shutil
import struct
import subprocess
import sys
import zlib

from results_fixture import two_type_config, use_system_python

SKIP = 77

CONFIG = two_type_config("plot-test")

SWEEP = """
[sweep]
"workload.load" = [0.6, 1.0]
"""

PER_WORKLOAD = ["jct_cdf", "wait_cdf", "timeseries", "load_variance", "summary"]


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def png_size(path):
    width, height = struct.unpack(">II", open(path, "rb").read()[16:24])
    return width, height


def check_png(path):
    """Parses the PNG: signature, every chunk's CRC, IHDR, IDAT inflating to the
    size IHDR implies, IEND; and checks the image is not one flat colour."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path}: not a PNG signature")
    pos, chunks, idat = 8, [], b""
    while pos < len(data):
        if pos + 12 > len(data):
            fail(f"{path}: truncated chunk at byte {pos}")
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            fail(f"{path}: bad CRC in chunk {kind!r}")
        chunks.append(kind)
        if kind == b"IDAT":
            idat += body
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        pos += 12 + length
    if not chunks or chunks[0] != b"IHDR" or chunks[-1] != b"IEND":
        fail(f"{path}: chunks out of order: {chunks[:3]} ... {chunks[-1:]}")
    if not (200 <= width <= 4000 and 200 <= height <= 4000):
        fail(f"{path}: odd size {width}x{height}")
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None:
        fail(f"{path}: unexpected depth {depth} / colour type {colour}")
    raw = zlib.decompress(idat)
    if len(raw) != height * (1 + width * channels):
        fail(f"{path}: image data is {len(raw)} bytes, expected {height * (1 + width * channels)}")
    # A flat image filters to a handful of byte values; a plot has lines, text and colours.
    if len(set(raw)) < 16:
        fail(f"{path}: the image is blank")


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def make_results(cli, work, name, text):
    config = os.path.join(work, name + ".toml")
    with open(config, "w") as f:
        f.write(text)
    out = os.path.join(work, name + ".h5")
    r = run([cli, "compare", config, "-o", out, "-j", "2", "--quiet"])
    if r.returncode != 0:
        fail(f"fastgpu compare {config} exited {r.returncode}:\n{r.stdout}")
    return out


def plot(source, results, out_dir):
    r = run([os.path.join(source, "scripts", "plot"), results, "-o", out_dir, "--quiet"])
    if r.returncode == 3:
        print(f"SKIP: scripts/plot lacks Python packages: {r.stdout.strip()}")
        sys.exit(SKIP)
    if r.returncode != 0:
        fail(f"scripts/plot {results} exited {r.returncode}:\n{r.stdout}")


def chart_js_installed(source):
    sys.path.insert(0, os.path.join(source, "scripts"))
    try:
        from report_html import find_chart_js
    except ImportError:
        return False
    return find_chart_js() is not None


def check_dir(out_dir, expected_pngs, policies, report, intervals):
    present = sorted(os.listdir(out_dir))
    expected = sorted(expected_pngs + ["index.html"] + (["report.html"] if report else []))
    if present != expected:
        fail(f"{out_dir}: files {present}, expected {expected}")
    for name in expected_pngs:
        check_png(os.path.join(out_dir, name))
    index = open(os.path.join(out_dir, "index.html"), encoding="utf-8").read()
    for name in expected_pngs:
        if f'<img src="{name}"' not in index:
            fail(f"index.html does not show {name}")
    for p in policies:
        if f"<td>{p}</td>" not in index:
            fail(f"index.html has no table row for {p}")
    if intervals and index.count(" ± ") < len(policies):
        fail("index.html shows no confidence intervals")
    table = index.split("<table>", 1)[-1].split("</table>", 1)[0]
    if not intervals and (" ± " in table or "[" in table):
        fail("index.html shows confidence intervals from 2 seeds")
    if report:
        page = open(os.path.join(out_dir, "report.html"), encoding="utf-8").read()
        if "<script src" in page or 'id="report-data"' not in page or "Chart.js v3" not in page:
            fail("report.html is not self-contained (data and Chart.js embedded)")


def check_intervals(source):
    """bounded_ci against values worked out by hand."""
    sys.path.insert(0, os.path.join(source, "scripts"))
    try:
        from results_file import bounded_ci
    except ImportError as missing:
        print(f"SKIP: {missing}; install python3-numpy python3-h5py (scripts/setup)")
        sys.exit(SKIP)
    # Two seeds: the mean only.
    m, lo, hi, _ = bounded_ci([10.0, 30.0], "jct_mean")
    if m != 20.0 or lo == lo or hi == hi:  # NaN != NaN
        fail(f"2 seeds: expected mean 20 and no interval, got {m}, {lo}, {hi}")
    # [0.9, 1, 1]: mean 0.96667, s = 0.057735, t(0.975, 2) = 4.302653, h = 0.143422;
    # the upper end 1.11 is clipped to utilisation's bound 1.
    m, lo, hi, clipped = bounded_ci([0.9, 1.0, 1.0], "utilisation")
    if abs(lo - 0.823245) > 1e-5 or hi != 1.0 or not clipped:
        fail(f"utilisation interval: expected [0.823245, 1] clipped, got [{lo}, {hi}] {clipped}")
    # [1, 2, 30] s of mean JCT: mean 11, s = 16.4621, h = 40.894; the lower end -29.9 is clipped to 0.
    m, lo, hi, clipped = bounded_ci([1.0, 2.0, 30.0], "jct_mean")
    if lo != 0.0 or abs(hi - 51.894) > 1e-2 or not clipped:
        fail(f"JCT interval: expected [0, 51.894] clipped, got [{lo}, {hi}]")


def main():
    use_system_python()
    cli, source, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    policies = ["fifo", "sjf", "las"]

    # One workload, no sweep: unsuffixed names, no sweep figure.
    check_intervals(source)
    report = chart_js_installed(source)
    single = make_results(cli, work, "single", CONFIG)
    plot(source, single, os.path.join(work, "single"))
    check_dir(os.path.join(work, "single"), [n + ".png" for n in PER_WORKLOAD], policies, report, True)
    # Small multiples: one row of three panels, wider than tall (not one tall chart of overlapping lines).
    width, height = png_size(os.path.join(work, "single", "timeseries.png"))
    if width < 2.5 * height:
        fail(f"timeseries.png is {width}x{height}: expected a row of three small panels")

    # A sweep over the load: two workloads (suffixed by their names) and the sweep lines.
    # Two seeds here: the means without intervals.
    swept = make_results(cli, work, "sweep", CONFIG.replace("seeds = [1, 2, 3]", "seeds = [1, 2]") + SWEEP)
    plot(source, swept, os.path.join(work, "sweep"))
    names = [f"{n}-synthetic_load_{load}.png" for load in ("0.6", "1") for n in PER_WORKLOAD]
    check_dir(os.path.join(work, "sweep"), names + ["sweep-workload.load.png"], policies, report, False)
    # The legend is below the three 5-inch panels (110 dpi), not in a column beside them.
    width, _ = png_size(os.path.join(work, "sweep", "sweep-workload.load.png"))
    if width != 3 * 5 * 110:
        fail(f"sweep figure is {width} px wide: expected {3 * 5 * 110} (legend below the panels)")

    # A packing results file (fastgpu pack on the shipped openb cut, 2 seeds):
    # one figure per pod list with the three curves, the index and the table.
    packing_out = os.path.join(work, "packing.h5")
    r = run([cli, "pack", os.path.join(source, "configs", "packing-openb.toml"), "-o", packing_out, "--seeds", "2",
             "--policies", "fgd,best-fit", "-j", "2", "--quiet"])
    if r.returncode != 0:
        fail(f"fastgpu pack exited {r.returncode}:\n{r.stdout}")
    plot(source, packing_out, os.path.join(work, "packing"))
    for name in ("default_every8", "multigpu20_every8", "gpuspec20_every8"):
        check_png(os.path.join(work, "packing", f"packing-openb_pod_list_{name}.png"))
    table = open(os.path.join(work, "packing", "packing-table.md"), encoding="utf-8").read()
    if "| fgd | best-fit |" not in table or "Paired difference fgd - best-fit" not in table:
        fail(f"packing-table.md lacks the placements or the paired table:\n{table[:400]}")

    # Bad input: exit 2, one line naming the file, nothing written.
    missing = os.path.join(work, "none.h5")
    r = run([os.path.join(source, "scripts", "plot"), missing, "-o", os.path.join(work, "bad")])
    if r.returncode != 2 or missing not in r.stdout or os.path.exists(os.path.join(work, "bad")):
        fail(f"missing results file: exit {r.returncode}, output {r.stdout!r}")
    not_results = os.path.join(work, "single.toml")
    r = run([os.path.join(source, "scripts", "plot"), not_results, "-o", os.path.join(work, "bad")])
    if r.returncode != 2 or os.path.exists(os.path.join(work, "bad")):
        fail(f"not an HDF5 file: exit {r.returncode}, output {r.stdout!r}")
    leftovers = [n for n in os.listdir(work) if n.startswith(".plot-")]
    if leftovers:
        fail(f"temporary directories left behind: {leftovers}")
    print("plot test passed")


if __name__ == "__main__":
    main()
