#pragma once
// Parameter sweeps: the [sweep] table of an experiment config expands into
// the runner's run list (the cross product of its grids). Format:
//
//   [sweep]
//   policies = ["fifo", "las"]                # labels (default: the experiment's)
//   seeds = 5                                 # 1..5, or [1, 7, 9] (default: experiment.seeds)
//   "workload.load" = [0.7, 0.9]              # any workload.*, cluster.*, engine.* key
//   "cluster.nodes[0].count" = [4, 8]         # cluster size (needs [[cluster.nodes]])
//   "policies.las.interval" = [60, 600]       # a parameter of one policy label
//
// Keys may also be nested tables ([sweep.workload] load = [...]). Every
// non-policy point is the config re-read with the point's values as --set
// overrides (so every value is validated as if written in the file); its
// workload is named "<name>[load=0.7,cluster.nodes[0].count=4]". A policy
// axis applies only to its label, which becomes "las[interval=60]"; other
// labels run once per non-policy point. Order: non-policy points (last axis
// fastest), then labels, then the label's policy points, then seeds.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "experiments/experiment_runner.h"
#include "config/config.h"

namespace fastgpu::experiments {

struct ExperimentPlan {
  std::vector<RunSpec> runs;
  std::vector<std::string> axes;  // sweep keys in file order; empty when the config has no grid
  std::size_t points = 1;         // non-policy points
};

// The runs of `config`: plan_runs() when it has no [sweep] table, else the
// expansion above. `overrides` are the --set overrides `config` was loaded
// with (each point applies them again); `labels` and `seeds` from the command
// line take precedence over sweep.policies and sweep.seeds. InputError naming
// the file, line and sweep key on a bad grid or a point whose config is
// invalid.
ExperimentPlan plan_experiment(const ExperimentConfig& config, const std::vector<std::string>& overrides = {},
                               const std::vector<std::string>& labels = {},
                               const std::vector<std::uint64_t>& seeds = {});

}  // namespace fastgpu::experiments
