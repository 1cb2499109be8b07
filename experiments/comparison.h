#pragma once
// The ranked policy comparison printed by `fastgpu compare`, and the per-run
// table printed by `fastgpu run`. Pure functions of the results, so tests can
// check them without running the CLI.
#include <string>
#include <vector>

#include "experiments/table.h"
#include "sim/run_result.h"

namespace fastgpu::experiments {

// Means over the seeds (runs) of one policy label. Times in seconds.
struct PolicyMeans {
  std::string label;
  std::size_t runs = 0;
  double makespan = 0, jct_mean = 0, jct_p99 = 0, wait_mean = 0;
  double bounded_slowdown_mean = 0;
  double utilisation = 0;        // fraction (0..1)
  double load_variance_mean = 0;
  double jobs_completed = 0, jobs_rejected = 0;
};

// One entry per label (first-appearance order), ranked best first: by mean
// JCT, ties by makespan, then by label. A NaN metric (no job finished) ranks last.
std::vector<PolicyMeans> rank_policies(const std::vector<RunResult>& runs);

// The ranked table: rank, policy, makespan, mean/p99 JCT, mean wait, mean
// bounded slowdown, utilisation %, load variance, completed/rejected.
std::string comparison_table(const std::vector<PolicyMeans>& ranked);

// The metric columns every comparison table shares, after its own key columns.
void add_metric_columns(Table& t);

// One row per run (policy, workload, seed and the same metrics), in run order.
std::string runs_table(const std::vector<RunResult>& runs);

}  // namespace fastgpu::experiments
