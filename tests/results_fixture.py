"""What the Python tests of the results tools share: the interpreter that has
Debian's h5py and numpy, and a small experiment on two GPU types."""
import os
import sys


def use_system_python():
    """A pyenv or venv python3 often lacks Debian's numpy and h5py: rerun the
    calling script under /usr/bin/python3 once, where scripts/setup installed them."""
    try:
        import h5py  # noqa: F401
        import numpy  # noqa: F401
        return
    except ImportError:
        pass
    system = "/usr/bin/python3"
    if (os.path.exists(system) and not os.environ.get("FASTGPU_TEST_REEXEC")
            and os.path.realpath(sys.executable) != os.path.realpath(system)):
        os.environ["FASTGPU_TEST_REEXEC"] = "1"
        os.execv(system, [system, os.path.abspath(sys.argv[0])] + sys.argv[1:])


def two_type_config(name):
    """fifo, sjf and las on 3 seeds of 120 synthetic jobs, 2 nodes of V100 and 2 of A100 (4 GPUs each)."""
    return f"""
[experiment]
name = "{name}"
seeds = [1, 2, 3]
policies = ["fifo", "sjf", "las"]

[[cluster.gpu_types]]
name = "V100"
speed = 1.0

[[cluster.gpu_types]]
name = "A100"
speed = 2.0

[[cluster.nodes]]
name = "v100"
count = 2
gpus_per_node = 4
gpu_type = "V100"

[[cluster.nodes]]
name = "a100"
count = 2
gpus_per_node = 4
gpu_type = "A100"

[workload]
kind = "synthetic"
jobs = 120
load = 0.9
duration_median = 600

[engine]
monitor_interval = 120
"""
