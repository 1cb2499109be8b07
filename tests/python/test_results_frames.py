"""fastgpu.read and the DataFrames: decoded strings, labelled enums, units,
per type and per user, checked against the HDF5 file read with h5py and
against values derived by hand for the three-job trace."""
import os
import subprocess

import h5py
import numpy as np
import pandas as pd

import fastgpu


def test_summary_and_jobs_of_a_cli_file(three_jobs, tmp_path):
    res = fastgpu.run(three_jobs, policies="fifo,sjf", output=tmp_path / "r.h5")
    s = res.summary
    assert list(s["policy"]) == ["fifo", "sjf"] and s["policy"].map(type).eq(str).all()
    assert list(s["workload"]) == ["three_jobs"] * 2
    assert s.attrs["units"]["jct_mean"] == "s"
    with h5py.File(tmp_path / "r.h5") as f:
        raw = f["summary"][:]
    assert np.array_equal(s["jct_mean"].to_numpy(), raw["jct_mean"])
    jobs = res.jobs(policy="fifo")
    assert list(jobs["outcome"].cat.categories) == ["finished", "rejected"]
    assert (jobs["outcome"] == "finished").all()
    assert list(jobs["gpu_type"]) == ["A100"] * 3
    assert list(jobs["deadline_met"]) == ["none"] * 3
    # By hand: starts 0, 100, 200; waits 0, 99, 198; GPUs {0,1}, {0,1}, {0}.
    assert jobs["wait"].tolist() == [0.0, 99.0, 198.0]
    assert [g.tolist() for g in jobs["gpus"]] == [[0, 1], [0, 1], [0]]
    assert jobs.attrs["units"]["gpu_seconds"] == "GPU·s"


def test_per_type_timeseries_and_per_user(three_jobs, tmp_path):
    res = fastgpu.run(three_jobs, output=tmp_path / "r.h5", set={"engine.monitor_interval": 50})
    t = res.per_type()
    assert list(t["gpu_type"]) == ["A100"]
    # Busy GPU-seconds by hand: 2x100 + 2x100 + 1x10 = 410 over 2 GPUs x 210 s.
    assert t["busy_gpu_seconds"].tolist() == [410.0]
    assert t["utilisation"].tolist() == [410.0 / 420.0]
    ts = res.timeseries()
    assert ts["time"].tolist()[:4] == [50.0, 100.0, 150.0, 200.0]
    u = res.per_user()
    assert u["jobs"].tolist() == [3] and u["gpu_seconds"].tolist() == [410.0]


def test_read_an_existing_file_from_the_cli(three_jobs, tmp_path):
    cli = os.environ.get("FASTGPU_CLI", os.path.join(os.environ.get("FASTGPU_SOURCE_DIR", "."), "build", "fastgpu"))
    out = tmp_path / "cli.h5"
    subprocess.run([cli, "compare", str(three_jobs), "-o", str(out), "--quiet"], check=True, capture_output=True)
    res = fastgpu.read(out)
    assert res.runs == [("fifo", "three_jobs", 1)]
    assert res.summary["jct_mean"].tolist() == [169.0]
    assert isinstance(res.jobs(), pd.DataFrame)


def test_jct_cdf_example_draws_a_png(three_jobs, tmp_path):
    import jct_cdf

    fastgpu.compare(three_jobs, policies=["fifo", "sjf"], output=tmp_path / "c.h5")
    png = tmp_path / "cdf.png"
    jct_cdf.main(tmp_path / "c.h5", png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
