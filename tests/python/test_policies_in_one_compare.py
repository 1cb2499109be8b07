"""A Python policy and an out-of-tree C++ plugin policy in one compare, next to
a built-in, on the three-job trace whose outcomes three_jobs.toml derives."""
import ctypes.util
import os
import subprocess

import pytest

import fastgpu
import fifo  # noqa: F401  registers py-fifo
import las  # noqa: F401  registers py-las

PLUGIN = os.environ.get("FASTGPU_PLUGIN", "")


@pytest.fixture(scope="module")
def plugin_loaded():
    if not os.path.exists(PLUGIN):
        pytest.skip("the out-of-tree plugin is built by ctest's plugin.out_of_tree_compare (FASTGPU_PLUGIN)")
    return fastgpu.load_plugin(PLUGIN)


def test_python_and_plugin_next_to_builtins(three_jobs, tmp_path, plugin_loaded):
    assert plugin_loaded == ["fewest-gpus-first"]
    res = fastgpu.compare(three_jobs, policies=["fifo", "py-fifo", "py-las", "fewest-gpus-first", "sjf"],
                          output=tmp_path / "all.h5")
    assert list(res.summary["policy"]) == ["fifo", "py-fifo", "py-las", "fewest-gpus-first", "sjf"]
    jct = {p: res.jobs(policy=p).set_index("id")["jct"].to_dict() for p in res.summary["policy"]}
    # By hand: fifo order 1, 2, 3; the plugin starts the 1-GPU job 3 first at t=100.
    assert jct["fifo"] == {1: 100.0, 2: 199.0, 3: 208.0}
    assert jct["py-fifo"] == jct["fifo"]
    assert jct["fewest-gpus-first"] == {1: 100.0, 2: 209.0, 3: 108.0}
    # py-las: all three stay in queue 0 (< 3600 GPU-s), so queue order is arrival order, fit-first.
    assert jct["py-las"] == jct["fifo"]
    assert res.summary.set_index("policy").loc["fewest-gpus-first", "jct_mean"] == 139.0


def test_plugin_twice_is_an_error(plugin_loaded):
    with pytest.raises(fastgpu.InputError) as e:
        fastgpu.load_plugin(PLUGIN)
    assert "already registered" in str(e.value)
    assert e.value.file == PLUGIN


def test_las_preempts_lower_queues(tmp_path):
    # One GPU. Job 1 (t=0, 1000 s) reaches queue 1 after 100 GPU-s; job 2
    # arrives at t=200 in queue 0 and preempts it at the next decision (its
    # arrival): job 2 runs 200-250, then job 1 resumes (checkpoint 0 s).
    config = {
        "experiment": {"name": "las", "seeds": 1, "policies": ["py-las"]},
        "cluster": {"gpu_types": [{"name": "g", "speed": 1.0}],
                    "nodes": [{"name": "n", "count": 1, "gpus_per_node": 1, "gpu_type": "g"}]},
        "workload": {"kind": "trace", "format": "csv", "trace": str(tmp_path / "t.csv")},
        "engine": {"checkpoint_seconds": 0, "restore_seconds": 0},
        "policies": {"py-las": {"thresholds": "100", "interval": 60.0}},
    }
    (tmp_path / "t.csv").write_text("id,submit,num_gpus,work\n1,0,1,1000\n2,200,1,50\n")
    res = fastgpu.run(config, output=tmp_path / "las.h5")
    jobs = res.jobs().set_index("id")
    assert jobs.loc[2, "first_start"] == 200.0 and jobs.loc[2, "end"] == 250.0
    assert jobs.loc[1, "preemptions"] == 1
    assert jobs.loc[1, "end"] == 1050.0


def test_plugin_errors_name_the_file(three_jobs, tmp_path):
    missing = str(tmp_path / "missing.so")
    with pytest.raises(fastgpu.InputError) as e:
        fastgpu.load_plugin(missing)
    assert e.value.file == missing and e.value.field == "--plugin" and "no such plugin file" in str(e.value)
    libm = ctypes.util.find_library("m")
    libm_path = next(p for p in ("/lib/x86_64-linux-gnu/" + libm, "/usr/lib/x86_64-linux-gnu/" + libm)
                     if os.path.exists(p))
    with pytest.raises(fastgpu.InputError) as e:
        fastgpu.load_plugin(libm_path)
    assert "not a fastgpu plugin" in str(e.value)
    # The CLI: the same error, exit status 2, no results file.
    cli = os.environ.get("FASTGPU_CLI", os.path.join(os.environ.get("FASTGPU_SOURCE_DIR", "."), "build", "fastgpu"))
    out = tmp_path / "x.h5"
    r = subprocess.run([cli, "compare", str(three_jobs), "--plugin", missing, "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert f"{missing}: field '--plugin': no such plugin file" in r.stderr
    assert not out.exists()
