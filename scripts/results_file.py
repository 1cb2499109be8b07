"""Reading a fastgpu results file (the layout of docs/hdf5-schema.md) and the
statistics over seeds that scripts/plot and scripts/report show: Student-t
95 % intervals computed as experiments/statistics.cpp does (no scipy on a
minimal Debian). Needs numpy and h5py."""
import math

import h5py
import numpy as np

class InputError(Exception):
    pass


# --- statistics --------------------------------------------------------------------
# Student-t quantile for the 95 % intervals, as experiments/statistics.cpp computes it
# (no scipy on a minimal Debian): invert the CDF, which is a regularised
# incomplete beta function, by bisection.

def _betacf(a, b, x):
    # Continued fraction of the incomplete beta function (modified Lentz).
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a, b, x):
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    ln = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(ln) * _betacf(a, b, x) / a
    return 1.0 - math.exp(ln) * _betacf(b, a, 1 - x) / b


def t_cdf(t, dof):
    p = 0.5 * _betainc(dof / 2.0, 0.5, dof / (dof + t * t))
    return 1.0 - p if t > 0 else p


def t_quantile(p, dof):
    lo, hi = 0.0, 1.0
    while t_cdf(hi, dof) < p:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, dof) < p:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def mean_ci(values, level=0.95):
    """(mean, half width of the two-sided interval); half width NaN below 2 values."""
    v = np.asarray(values, dtype=float)
    if len(v) == 0:
        return math.nan, math.nan
    m = float(np.mean(v))
    if len(v) < 2:
        return m, math.nan
    sd = float(np.std(v, ddof=1))
    return m, t_quantile(1 - (1 - level) / 2, len(v) - 1) * sd / math.sqrt(len(v))


# --- reading -----------------------------------------------------------------------

def text_of(x):
    return x.decode("utf-8") if isinstance(x, (bytes, np.bytes_)) else str(x)


def escape_name(name):
    """HDF5 link name of a policy or workload (docs/hdf5-schema.md, "Group names")."""
    if name == "":
        return "%00"
    if set(name) == {"."}:
        return "%2E" * len(name)
    return name.replace("%", "%25").replace("/", "%2F")


# Summary columns written under a former name by older results files (kept
# readable for one release): the name they have now.
FORMER_METRIC_NAMES = {"seed_F": "responsiveness", "seed_L": "busy_variance"}


class Results:
    def __init__(self, path):
        self.path = path
        try:
            self.file = h5py.File(path, "r")
        except (OSError, ValueError) as e:
            raise InputError(f"{path}: cannot open as HDF5 ({e})")
        if "summary" not in self.file:
            raise InputError(f"{path}: no /summary table (not a fastgpu results file?)")
        table = self.file["summary"][:]
        names = table.dtype.names or ()
        for needed in ("policy", "workload", "seed"):
            if needed not in names:
                raise InputError(f"{path}: /summary has no '{needed}' column")
        columns = [n for n in names if n not in ("policy", "workload", "seed") and not n.startswith("sweep.")]
        self.metric_names = [FORMER_METRIC_NAMES.get(n, n) for n in columns]
        sweep_cols = [n for n in names if n.startswith("sweep.")]
        self.rows = []
        for r in table:
            sweep = {}
            for c in sweep_cols:
                v = text_of(r[c]).rstrip("\0")
                if v:
                    sweep[c[len("sweep."):]] = v
            self.rows.append({
                "policy": text_of(r["policy"]).rstrip("\0"),
                "workload": text_of(r["workload"]).rstrip("\0"),
                "seed": int(r["seed"]),
                "metrics": {FORMER_METRIC_NAMES.get(n, n): float(r[n]) for n in columns},
                "sweep": sweep,
            })
        if not self.rows:
            raise InputError(f"{path}: /summary has no runs")
        self.policies = unique(r["policy"] for r in self.rows)
        self.workloads = unique(r["workload"] for r in self.rows)
        self.attrs = {k: text_of(v) for k, v in self.file.attrs.items()}

    def seeds(self, policy, workload):
        return sorted(r["seed"] for r in self.rows if r["policy"] == policy and r["workload"] == workload)

    def group(self, policy, workload, seed):
        path = f"runs/{escape_name(policy)}/{escape_name(workload)}/seed-{seed}"
        if path not in self.file:
            raise InputError(f"{self.path}: /summary lists a run that has no group /{path}")
        return self.file[path]

    def values(self, policy, workload, metric):
        return [r["metrics"][metric] for r in self.rows
                if r["policy"] == policy and r["workload"] == workload and metric in r["metrics"]]


def unique(items):
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def read_verdicts(h5file):
    """Rows of /baseline_verdicts (the paired comparisons of `fastgpu compare
    --baseline`) as dicts; [] when the file has none."""
    if "baseline_verdicts" not in h5file:
        return []
    table = h5file["baseline_verdicts"][:]
    out = []
    for r in table:
        row = {}
        for n in table.dtype.names:
            v = r[n]
            row[n] = text_of(v).rstrip("\0") if isinstance(v, (bytes, np.bytes_, str)) else float(v)
        out.append(row)
    return out


def gpu_type_names(h5file):
    """GPU type names in the config's order (the `gpu_type` index of a job), read
    from the root attribute `gpu_type_names` when the file has it, else "type <i>"."""
    names = h5file.attrs.get("gpu_type_names")
    if names is None:
        return None
    return [text_of(n) for n in names]


# Physical bounds of the metrics the figures and the report draw: an interval is
# clipped to them (a mean JCT is never negative, utilisation stays within 0..1).
METRIC_BOUNDS = {"jct_mean": (0, None), "jct_p50": (0, None), "jct_p90": (0, None), "jct_p99": (0, None),
                 "wait_mean": (0, None), "wait_p99": (0, None), "makespan": (0, None),
                 "bounded_slowdown_mean": (1, None), "slowdown_mean": (0, None), "utilisation": (0, 1),
                 "load_variance_mean": (0, 0.25), "jobs_completed": (0, None), "jobs_rejected": (0, None)}

# Fewer seeds than this: no interval is drawn. With 2 seeds the 95 % interval is
# t(1) = 12.7 standard errors wide on each side and says next to nothing.
MIN_SEEDS_FOR_CI = 3


def bounded_ci(values, metric, level=0.95):
    """(mean, lo, hi, clipped): the Student-t interval clipped to the metric's
    physical bounds; lo and hi NaN below MIN_SEEDS_FOR_CI values."""
    m, h = mean_ci(values, level)
    if len(values) < MIN_SEEDS_FOR_CI or math.isnan(h):
        return m, math.nan, math.nan, False
    lower, upper = METRIC_BOUNDS.get(metric, (None, None))
    lo, hi, clipped = m - h, m + h, False
    if lower is not None and lo < lower:
        lo, clipped = lower, True
    if upper is not None and hi > upper:
        hi, clipped = upper, True
    return m, lo, hi, clipped
