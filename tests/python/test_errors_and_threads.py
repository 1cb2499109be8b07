"""Errors reach Python as the CLI's errors (InputError with file, line and
field; PolicyError with the Python traceback), never a crash; Python
policies are safe on several runner threads and deterministic."""
import numpy as np
import pytest

import fastgpu
import fifo  # noqa: F401  registers py-fifo


def test_config_error_names_file_line_and_field(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[experiment]\nname = "x"\n\n[workload]\nkind = "synthetic"\njobs = -5\n')
    with pytest.raises(fastgpu.InputError) as e:
        fastgpu.run(bad, output=tmp_path / "x.h5")
    assert e.value.file == str(bad)
    assert e.value.line == 6
    assert e.value.field == "workload.jobs"
    assert not (tmp_path / "x.h5").exists()


def test_override_error_and_unknown_policy(three_jobs, tmp_path):
    with pytest.raises(fastgpu.InputError) as e:
        fastgpu.run(three_jobs, set=["engine.nonsense=1"], output=tmp_path / "x.h5")
    assert "nonsense" in e.value.field
    with pytest.raises(fastgpu.InputError) as e:
        fastgpu.run(three_jobs, policies=["no-such-policy"], output=tmp_path / "x.h5")
    assert "unknown policy 'no-such-policy'" in str(e.value)


class Broken(fastgpu.Policy):
    """raises on the second decision"""

    def init(self, ctx):
        self.calls = 0

    def schedule(self, ctx):
        self.calls += 1
        if self.calls == 2:
            return self.calls / 0


class BadAction(fastgpu.Policy):
    """starts a job on a GPU that does not exist"""

    def schedule(self, ctx):
        for j in ctx.pending():
            ctx.start(int(j), list(range(98, 98 + ctx.num_gpus_of(int(j)))))


fastgpu.register_policy("py-broken", Broken)
fastgpu.register_policy("py-bad-action", BadAction)


def test_exception_in_a_python_policy_is_a_policy_error_with_traceback(three_jobs, tmp_path):
    with pytest.raises(fastgpu.PolicyError) as e:
        fastgpu.compare(three_jobs, policies=["fifo", "py-broken"], output=tmp_path / "x.h5", threads=2)
    message = str(e.value)
    assert "Python policy 'py-broken' raised in schedule at t = 1" in message
    assert "ZeroDivisionError" in message and "return self.calls / 0" in message
    assert not (tmp_path / "x.h5").exists()


def test_invalid_action_is_validated_like_in_cpp(three_jobs, tmp_path):
    with pytest.raises(fastgpu.PolicyError) as e:
        fastgpu.run(three_jobs, policies=["py-bad-action"], output=tmp_path / "x.h5")
    # The C++ validator's message, raised inside the hook, with the traceback.
    assert "fastgpu.errors.PolicyError: policy 'py-bad-action' at t=0: job 1: start on GPU 98 which does not exist" in str(e.value)


def test_context_outside_a_hook_is_refused(three_jobs, tmp_path):
    kept = []

    class Keeper(fastgpu.Policy):
        def schedule(self, ctx):
            kept.append(ctx)
            while len(ctx.pending()) and ctx.try_start(int(min(ctx.pending()))):
                pass

    fastgpu.register_policy("py-keeper", Keeper)
    fastgpu.run(three_jobs, policies=["py-keeper"], output=tmp_path / "k.h5")
    with pytest.raises(fastgpu.PolicyError):
        kept[0].now


def test_threads_give_the_same_results(quickstart, tmp_path):
    runs = {}
    for threads in (1, 3):
        res = fastgpu.compare(quickstart, policies=["py-fifo", "sjf"], seeds=3, set={"workload.jobs": 400},
                              threads=threads, output=tmp_path / f"j{threads}.h5")
        runs[threads] = res.summary.drop(columns=fastgpu.results.TIMING_COLUMNS)
    assert runs[1].equals(runs[3])


def test_dict_config_with_overrides(tmp_path):
    config = {
        "experiment": {"name": "from-dict", "seeds": 2, "policies": ["fifo", "py-fifo"]},
        "cluster": {"gpu_types": [{"name": "V100", "speed": 1.0}],
                    "nodes": [{"name": "n", "count": 2, "gpus_per_node": 4, "gpu_type": "V100"}]},
        "workload": {"kind": "synthetic", "jobs": 100, "load": 0.8, "gpu_counts": [1, 2, 4],
                     "gpu_count_weights": [0.6, 0.3, 0.1]},
    }
    res = fastgpu.compare(config, set={"workload.jobs": 60}, seeds=[3, 5], output=tmp_path / "d.h5")
    s = res.summary
    assert sorted(set(s["seed"])) == [3, 5]
    assert (s["jobs_total"] == 60).all()
    assert np.array_equal(s[s.policy == "fifo"]["jct_mean"].to_numpy(), s[s.policy == "py-fifo"]["jct_mean"].to_numpy())


def test_registering_during_an_experiment_is_refused(three_jobs, tmp_path):
    class Late(fastgpu.Policy):
        def schedule(self, ctx):
            pass

    class Registering(fastgpu.Policy):
        def schedule(self, ctx):
            fastgpu.register_policy("py-late", Late)

    fastgpu.register_policy("py-registering", Registering)
    with pytest.raises(fastgpu.PolicyError) as e:
        fastgpu.run(three_jobs, policies=["py-registering"], output=tmp_path / "x.h5")
    assert "cannot register policy 'py-late' while an experiment is running" in str(e.value)
    fastgpu.register_policy("py-late", Late)  # after the experiment: fine
    assert "py-late" in [p["name"] for p in fastgpu.policies()]
