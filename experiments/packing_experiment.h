#pragma once
// A packing experiment ([workload] kind = "packing"): every placement of the
// config on every pod list for every seed (sim/packing_run.h), on a pool of
// threads; results are in plan order, identical for any thread count. The
// placement of a policy label is its `placement` parameter, else the label's
// registry name ([policies.fgd] or just "fgd" in experiment.policies).
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "sim/packing_run.h"

namespace fastgpu::experiments {

struct PackingPlanEntry {
  std::string label, placement;
  std::size_t list = 0;  // index into the config's pod lists
  std::uint64_t seed = 1;
};

// labels empty = every policy of the config; seeds empty = the config's.
// InputError naming the config key for a placement that is not a packing one.
std::vector<PackingPlanEntry> plan_packing(const ExperimentConfig& config, const std::vector<std::string>& labels = {},
                                           const std::vector<std::uint64_t>& seeds = {});

// Loads each pod list once (InputError naming file, line and field on a bad
// list), then runs the plan on `threads` threads (0 = hardware concurrency).
std::vector<PackingRunResult> run_packing_experiment(const ExperimentConfig& config,
                                                     const std::vector<PackingPlanEntry>& plan, unsigned threads);

// Per pod list, one row per placement: allocated GPU, expected fragmented GPU
// and unplaceable pods at 100 % arrived workload and at the end (mean +-
// half-width of the 95 % interval over seeds), the paired difference of
// allocated GPU at 100 % against `baseline`, and the mean wall time per run.
std::string packing_table(const std::vector<PackingRunResult>& results, const std::string& baseline);

}  // namespace fastgpu::experiments
