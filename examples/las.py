"""Tiresias-style discretised least attained service in Python: jobs sit in
queues by the GPU-seconds they have received (`thresholds`), FIFO inside a
queue, fit-first (a job that does not fit is passed over); a blocked job
preempts running jobs of lower queues, and a timer every `interval` seconds
re-ranks jobs as their service grows.

    build/fastgpu-python examples/las.py configs/quickstart.toml
"""
import sys

import numpy as np

import fastgpu


class Las(fastgpu.Policy):
    """Tiresias-style discretised 2D-LAS (Python)"""
    params = {"thresholds": "3600,36000", "interval": 60.0}

    def init(self, ctx):
        self.limits = np.array([float(t) for t in self.thresholds.split(",")])
        jobs = ctx.jobs()
        self.submit, self.gpus, self.preemptible = jobs["submit"], jobs["num_gpus"], jobs["preemptible"]
        self.suspending, self.timer = set(), False

    def level(self, ctx, jobs):
        return np.searchsorted(self.limits, ctx.attained_service_of(jobs), side="right")

    def on_requeue(self, ctx, job):
        self.suspending.discard(job)

    def on_timer(self, ctx, tag):
        self.timer = False

    def schedule(self, ctx):
        pending = ctx.pending()
        if len(pending) == 0:
            return
        if not self.timer:
            ctx.set_timer(ctx.now + self.interval)
            self.timer = True
        levels = self.level(ctx, pending)
        order = np.lexsort((pending, self.submit[pending], levels))
        for job, level in zip(pending[order].tolist(), levels[order].tolist()):
            if ctx.try_start(job) or self.suspending:
                continue  # preempt for one blocked job at a time, once its victims are back
            running = ctx.running()
            victims = running[self.preemptible[running] & (self.level(ctx, running) > level)]
            need = int(self.gpus[job]) - ctx.free_gpus()
            if self.gpus[victims].sum() >= need:
                for v in victims[np.argsort(-self.level(ctx, victims), kind="stable")].tolist():
                    if need <= 0:
                        break
                    ctx.preempt(v)
                    self.suspending.add(v)
                    need -= int(self.gpus[v])


fastgpu.register_policy("py-las", Las)

if __name__ == "__main__":
    results = fastgpu.compare(sys.argv[1], policies=["las", "py-las"], seeds=1, output="results/py-las.h5")
    print(results.summary[["policy", "seed", "jct_mean", "makespan", "preemptions"]])
