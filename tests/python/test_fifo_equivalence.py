"""The Python FIFO (examples/fifo.py) makes the built-in fifo's decisions:
every /summary column is identical, bit for bit, except the wall-clock ones."""
import numpy as np

import fastgpu
import fifo  # noqa: F401  registers py-fifo
from fastgpu.results import TIMING_COLUMNS


def compare_columns(summary):
    cpp = summary[summary["policy"] == "fifo"].reset_index(drop=True)
    py = summary[summary["policy"] == "py-fifo"].reset_index(drop=True)
    assert len(cpp) == len(py) > 0
    columns = [c for c in summary.columns if c not in TIMING_COLUMNS + ["policy"]]
    for c in columns:
        a, b = cpp[c].to_numpy(), py[c].to_numpy()
        if a.dtype.kind == "f":
            assert np.array_equal(a.view(np.uint64), b.view(np.uint64)), c  # bit for bit
        else:
            assert (a == b).all(), c
    return cpp


def test_summary_equals_cpp_fifo_bit_for_bit(quickstart, tmp_path):
    res = fastgpu.compare(quickstart, policies=["fifo", "py-fifo"], seeds=3, set={"workload.jobs": 1500},
                          output=tmp_path / "fifo.h5", threads=2)
    cpp = compare_columns(res.summary)
    assert (cpp["jobs_completed"] == 1500).all()
    # The per-job records agree too: same starts, ends and GPUs.
    a, b = res.jobs(policy="fifo"), res.jobs(policy="py-fifo")
    assert np.array_equal(a["first_start"].to_numpy(), b["first_start"].to_numpy())
    assert np.array_equal(a["first_gpu"].to_numpy(), b["first_gpu"].to_numpy())


def test_equal_under_least_loaded_placement_and_a_trace(three_jobs, tmp_path):
    res = fastgpu.compare(three_jobs, policies=["fifo", "py-fifo"], output=tmp_path / "t.h5")
    compare_columns(res.summary)
    # By hand (three_jobs.toml): fifo JCTs 100, 199, 208.
    jobs = res.jobs(policy="py-fifo")
    assert jobs["jct"].tolist() == [100.0, 199.0, 208.0]
