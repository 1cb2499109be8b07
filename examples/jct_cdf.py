"""Loads a comparison and draws each policy's JCT CDF (finished jobs, all seeds).

    build/fastgpu compare configs/quickstart.toml -o results/quickstart.h5
    build/fastgpu-python examples/jct_cdf.py results/quickstart.h5 results/jct_cdf.png
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import fastgpu


def main(path, png):
    results = fastgpu.read(path)
    jobs = results.jobs()
    finished = jobs[jobs["outcome"] == "finished"]
    fig, ax = plt.subplots(figsize=(6, 4))
    for policy, group in finished.groupby("policy", sort=False):
        jct = np.sort(group["jct"].to_numpy()) / 3600
        ax.plot(jct, np.arange(1, len(jct) + 1) / len(jct), label=policy)
    ax.set_xscale("log")
    ax.set_xlabel("job completion time (h)")
    ax.set_ylabel("fraction of jobs")
    ax.set_title(results.attrs.get("experiment", ""))
    ax.legend()
    fig.tight_layout()
    fig.savefig(png, dpi=120)
    print(results.summary.groupby("policy", sort=False)[["jct_mean", "jct_p99"]].mean())
    print(f"wrote {png}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "jct_cdf.png")
