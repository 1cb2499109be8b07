#pragma once
// The tables of `fastgpu compare` with statistics over seeds (experiments/statistics.h):
// per workload, policies ranked by mean JCT with every metric as
// "mean +- half-width of its 95% confidence interval", and the paired
// comparison of every policy against a baseline policy.
#include <string>
#include <vector>

#include "sim/run_result.h"

namespace fastgpu::experiments {

// The workloads of `runs` in order of first appearance.
std::vector<std::string> workloads_of(const std::vector<RunResult>& runs);

// Policies of `workload` ranked best first by mean JCT over seeds (ties by
// mean makespan, then label; NaN last): rank, policy, seeds, makespan, mean
// and p99 JCT, mean wait, mean bounded slowdown, utilisation %, load
// variance, completed/rejected. Each cell "mean +- h" with h the half-width of
// the 95% Student-t interval (just the mean with one seed).
std::string ranked_ci_table(const std::vector<RunResult>& runs, const std::string& workload);

// For every policy of `workload` other than `baseline`: per metric (mean JCT,
// mean wait, makespan, mean bounded slowdown, utilisation) the baseline's
// and the policy's means, the mean per-seed difference (policy - baseline)
// with its 95% interval, and the verdict (better / worse / no significant
// difference). Runs are paired by seed (seeds both have). InputError when
// `baseline` has no run on `workload`.
std::string paired_table(const std::vector<RunResult>& runs, const std::string& workload, const std::string& baseline);

}  // namespace fastgpu::experiments
