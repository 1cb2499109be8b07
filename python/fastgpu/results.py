"""Results files as pandas DataFrames.

fastgpu.read(path) opens a file written by `fastgpu run`/`compare` (or by
fastgpu.run/compare). Strings come back as str, enums as labelled
categoricals, and every table carries its units in `df.attrs["units"]`
(s = seconds, GPU·s = GPU-seconds, GPUs = GPU count; docs/hdf5-schema.md).
"""
import tomllib

import h5py
import numpy as np
import pandas as pd

OUTCOMES = ["finished", "rejected"]
DEADLINE = {-1: "none", 0: "missed", 1: "met"}

JOB_UNITS = {"num_gpus": "GPUs", "gpu_share": "GPU", "submit": "s", "first_start": "s", "end": "s",
             "deadline": "s", "work": "reference-GPU s", "runtime_alone": "s", "gpu_seconds": "GPU·s",
             "jct": "s", "wait": "s", "preemptions": "count", "migrations": "count"}
TIMESERIES_UNITS = {"time": "s", "busy_gpus": "GPUs", "utilisation": "fraction", "load_variance": "fraction²",
                    "queue_length": "jobs", "running": "jobs", "reserved_idle": "GPUs", "memory_used_gb": "GB"}
TYPE_UNITS = {"gpu_count": "GPUs", "busy_gpu_seconds": "GPU·s", "idle_watts": "W", "busy_watts": "W",
              "price_per_hour": "currency per GPU-hour", "utilisation": "fraction"}
SUMMARY_UNITS = {"makespan": "s", "jct_mean": "s", "jct_p50": "s", "jct_p90": "s", "jct_p99": "s",
                 "wait_mean": "s", "wait_p50": "s", "wait_p90": "s", "wait_p99": "s", "utilisation": "fraction",
                 "reserved_idle_gpu_seconds": "GPU·s", "energy_kwh": "kWh", "busy_gpu_seconds": "GPU·s",
                 "scheduler_seconds": "s (wall)", "wall_seconds": "s (wall)", "events_per_second": "1/s (wall)"}
# Wall-clock columns: they differ between two runs of the same simulation.
TIMING_COLUMNS = ["scheduler_seconds", "wall_seconds", "events_per_second"]


def _decode(df):
    for c in df.columns:
        if df[c].dtype == object or df[c].dtype.kind == "S":
            df[c] = [v.decode("utf-8") if isinstance(v, bytes) else v for v in df[c]]
    return df


def _with_units(df, units):
    df.attrs["units"] = {c: u for c, u in units.items() if c in df.columns}
    return df


class Results:
    """One results file: summary, and per run jobs, time series, GPU types."""

    def __init__(self, path):
        self.path = str(path)
        self.table = ""  # the CLI's table, when made by fastgpu.run/compare
        with h5py.File(self.path, "r") as f:
            self.attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
            self.summary = _with_units(_decode(pd.DataFrame(f["summary"][:])), SUMMARY_UNITS)
            self._groups = {}
            for policy in f["runs"].values():
                for workload in policy.values():
                    for seed in workload.values():
                        a = seed.attrs
                        key = (str(a["policy"]), str(a["workload"]), int(a["seed"]))
                        self._groups[key] = seed.name
        try:
            config = tomllib.loads(self.attrs.get("config_text", ""))
            self.gpu_type_names = [t.get("name", "gpu") for t in config.get("cluster", {}).get("gpu_types", [])]
        except tomllib.TOMLDecodeError:
            self.gpu_type_names = []

    def __repr__(self):
        return f"Results({self.path!r}: {len(self._groups)} runs)"

    @property
    def runs(self):
        """(policy, workload, seed) of every run, in file order."""
        return list(self._groups)

    def _select(self, policy, workload, seed):
        keys = [k for k in self._groups
                if (policy is None or k[0] == policy) and (workload is None or k[1] == workload)
                and (seed is None or k[2] == seed)]
        if not keys:
            raise KeyError(f"no run with policy={policy!r} workload={workload!r} seed={seed!r} in {self.path}")
        return keys

    def _per_run(self, name, policy, workload, seed, convert):
        frames = []
        with h5py.File(self.path, "r") as f:
            for key in self._select(policy, workload, seed):
                group = f[self._groups[key]]
                if name not in group:
                    continue
                df = convert(group, pd.DataFrame(group[name][:]))
                df.insert(0, "seed", key[2])
                df.insert(0, "workload", key[1])
                df.insert(0, "policy", key[0])
                frames.append(df)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def _type_labels(self, codes):
        names = self.gpu_type_names or [str(i) for i in range(int(codes.max()) + 1 if len(codes) else 0)]
        return pd.Categorical.from_codes(codes.astype(np.int64), names)

    def jobs(self, policy=None, workload=None, seed=None):
        """One row per job of the selected runs (all runs by default).

        Adds jct = end - submit and wait = first_start - submit (s), the
        outcome ("finished"/"rejected"), deadline ("none"/"missed"/"met") and
        gpu_type (its name) as labelled categoricals, and gpus (the GPUs it last
        ran on, a numpy array per job).
        """
        def convert(group, df):
            _decode(df)
            df["outcome"] = pd.Categorical.from_codes(df["outcome"].astype(np.int64), OUTCOMES)
            df["deadline_met"] = pd.Categorical(df["deadline_met"].map(DEADLINE), categories=list(DEADLINE.values()))
            finished = df["outcome"] == "finished"
            df["gpu_type"] = self._type_labels(np.where(finished, df["gpu_type"], 0))
            df.loc[~finished, "gpu_type"] = None
            df["jct"] = np.where(finished, df["end"] - df["submit"], np.nan)
            df["wait"] = df["first_start"] - df["submit"]
            gpus, offset = group["job_gpus"][:], group["job_gpus_offset"][:]
            df["gpus"] = [gpus[offset[i]:offset[i + 1]] for i in range(len(df))]
            return df

        return _with_units(self._per_run("jobs", policy, workload, seed, convert), JOB_UNITS)

    def timeseries(self, policy=None, workload=None, seed=None):
        """One row per monitor sample of the selected runs."""
        return _with_units(self._per_run("timeseries", policy, workload, seed, lambda g, df: df), TIMESERIES_UNITS)

    def per_type(self, policy=None, workload=None, seed=None):
        """One row per GPU type and run: its name, GPUs, busy GPU-seconds and
        utilisation (busy GPU-seconds / (GPUs x makespan)), power and price."""
        def convert(group, df):
            df.insert(0, "gpu_type", self._type_labels(np.arange(len(df))))
            makespan = float(group.attrs["makespan"])
            df["utilisation"] = df["busy_gpu_seconds"] / (df["gpu_count"] * makespan) if makespan > 0 else np.nan
            return df

        return _with_units(self._per_run("gpu_types", policy, workload, seed, convert), TYPE_UNITS)

    def per_user(self, policy=None, workload=None, seed=None):
        """Per user (the tenant or virtual cluster of a trace) and run: jobs,
        finished jobs, mean JCT and wait (s), GPU-seconds (GPU·s)."""
        jobs = self.jobs(policy, workload, seed)
        grouped = jobs.groupby(["policy", "workload", "seed", "user"], observed=True)
        df = grouped.agg(jobs=("id", "size"), finished=("outcome", lambda o: int((o == "finished").sum())),
                         jct_mean=("jct", "mean"), wait_mean=("wait", "mean"),
                         gpu_seconds=("gpu_seconds", "sum")).reset_index()
        return _with_units(df, {"jct_mean": "s", "wait_mean": "s", "gpu_seconds": "GPU·s"})

    def run_attributes(self, policy, workload, seed):
        """The run's attributes: summary fields, param.*, attr.*."""
        (key,) = self._select(policy, workload, seed)
        with h5py.File(self.path, "r") as f:
            return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f[self._groups[key]].attrs.items()}


def read(path):
    """Opens a fastgpu results file (HDF5) as a Results."""
    return Results(path)
