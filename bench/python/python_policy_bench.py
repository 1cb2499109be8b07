"""A Python policy's speed: the Python FIFO (examples/fifo.py) against the C++
fifo on bench_engine's workload (synthetic, load 0.9, 512 nodes x 8 A100,
seed 1), with where the time goes.

    build/fastgpu-python bench/python/python_policy_bench.py [--jobs 100000] [--repeat 3]

jobs/s is jobs / engine wall time (the summary's wall_seconds: simulation
only, not the workload generation). The Python calls are counted in a
separate run of a counting subclass, so the timed runs pay nothing for it.
"""
import argparse
import heapq
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples"))

import fastgpu  # noqa: E402
from fifo import Fifo  # noqa: E402  registers py-fifo

TARGET = 50_000  # jobs/s


class CountingFifo(Fifo):
    calls = {"on_arrival": 0, "schedule": 0, "try_start": 0}

    def on_arrival(self, ctx, job):
        CountingFifo.calls["on_arrival"] += 1
        super().on_arrival(ctx, job)

    def schedule(self, ctx):
        CountingFifo.calls["schedule"] += 1
        queue = self.queue
        while queue:
            CountingFifo.calls["try_start"] += 1
            if not ctx.try_start(queue[0][1]):
                break
            heapq.heappop(queue)


fastgpu.register_policy("py-fifo-counting", CountingFifo)


def config(jobs, nodes):
    return {
        "experiment": {"name": "python-bench", "seeds": 1},
        "cluster": {"nodes_per_switch": 16, "gpu_types": [{"name": "A100", "speed": 1.0, "memory_gb": 80}],
                    "nodes": [{"name": "node", "count": nodes, "gpus_per_node": 8, "gpu_type": "A100"}]},
        "workload": {"kind": "synthetic", "jobs": jobs, "load": 0.9},
    }


def measure(cfg, policy, repeat, out):
    walls, sched = [], []
    for r in range(repeat):
        s = fastgpu.run(cfg, policies=[policy], threads=1, output=os.path.join(out, f"{policy}-{r}.h5")).summary
        walls.append(float(s["wall_seconds"][0]))
        sched.append(float(s["scheduler_seconds"][0]))
    return statistics.median(walls), statistics.median(sched), s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=100_000)
    ap.add_argument("--nodes", type=int, default=512)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    cfg = config(a.jobs, a.nodes)
    with tempfile.TemporaryDirectory() as out:
        cpp_wall, cpp_sched, cpp = measure(cfg, "fifo", a.repeat, out)
        py_wall, py_sched, py = measure(cfg, "py-fifo", a.repeat, out)
        fastgpu.run(cfg, policies=["py-fifo-counting"], threads=1, output=os.path.join(out, "count.h5"))
    same = all(cpp[c][0] == py[c][0] for c in ("jct_mean", "makespan", "jobs_completed", "utilisation"))
    calls = CountingFifo.calls
    crossings = sum(calls.values())
    rate = a.jobs / py_wall
    print(f"Python policy benchmark: {a.jobs} synthetic jobs, {a.nodes * 8} GPUs, load 0.9, median of {a.repeat}")
    print(f"{'policy':<10} {'wall s':>8} {'jobs/s':>10} {'in policy s':>12} {'policy %':>9}")
    for name, wall, sched in (("fifo", cpp_wall, cpp_sched), ("py-fifo", py_wall, py_sched)):
        print(f"{name:<10} {wall:8.3f} {a.jobs / wall:10.0f} {sched:12.3f} {100 * sched / wall:8.1f}%")
    print(f"py-fifo summary equals fifo's: {same}")
    print(f"Python crossings: {crossings} ({crossings / a.jobs:.2f} per job): on_arrival {calls['on_arrival']}, "
          f"schedule {calls['schedule']}, ctx.try_start {calls['try_start']}")
    print(f"extra time over the C++ fifo: {py_wall - cpp_wall:.3f} s = "
          f"{1e6 * (py_wall - cpp_wall) / crossings:.2f} us per crossing (GIL hand-over, call, the Python body)")
    print(f"target >= {TARGET} jobs/s: {'met' if rate >= TARGET else 'NOT met'} ({rate:.0f} jobs/s)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
