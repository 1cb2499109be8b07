"""First come, first served in Python: the same decisions as the built-in
`fifo` (arrival order by submit time, then job index; the head job blocks
the queue until the first-fit placement finds it GPUs), so its /summary
equals fifo's bit for bit (timing columns aside).

    build/fastgpu-python examples/fifo.py configs/quickstart.toml
"""
import heapq
import sys

import fastgpu


class Fifo(fastgpu.Policy):
    """first come, first served (Python); the head job blocks the queue"""
    placement = "first-fit"

    def init(self, ctx):
        self.submit = ctx.jobs()["submit"].tolist()
        self.queue = []  # (submit, job): a heap in arrival order

    def on_arrival(self, ctx, job):
        heapq.heappush(self.queue, (self.submit[job], job))

    def schedule(self, ctx):
        queue = self.queue
        while queue and ctx.try_start(queue[0][1]):
            heapq.heappop(queue)


fastgpu.register_policy("py-fifo", Fifo)

if __name__ == "__main__":
    results = fastgpu.compare(sys.argv[1], policies=["fifo", "py-fifo"], seeds=1, output="results/py-fifo.h5")
    print(results.summary[["policy", "seed", "jct_mean", "makespan", "utilisation"]])
