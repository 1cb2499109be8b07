"""fastgpu from Python: run experiments, write policies, read results.

    import fastgpu
    res = fastgpu.compare("configs/quickstart.toml", seeds=2, output="q.h5")
    res.summary.groupby("policy")["jct_mean"].mean()

See docs/python.md.
"""
from .errors import FastgpuError, InputError, InternalError, PolicyError
from ._fastgpu import Context, JobState, version
from .policy import Policy, load_plugin, policies, register_policy
from .experiment import compare, run
from .results import Results, read

__all__ = ["Context", "FastgpuError", "InputError", "InternalError", "JobState", "Policy", "PolicyError",
           "Results", "compare", "load_plugin", "policies", "read", "register_policy", "run", "version"]
