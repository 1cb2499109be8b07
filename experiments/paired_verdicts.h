#pragma once
// The paired comparison of every policy with a baseline policy, run by run
// paired by seed: per metric the two means, the mean per-seed difference
// (policy - baseline) with its 95% interval, and the verdict. The rows that
// `compare --baseline` prints (experiments/statistics_table.h) and stores in
// the results file (/baseline_verdicts).
#include <string>
#include <vector>

#include "results_io/baseline_verdicts.h"
#include "sim/run_result.h"

namespace fastgpu::experiments {

// The metrics compared, in this order: jct_mean, wait_mean, makespan,
// bounded_slowdown_mean, utilisation (summary fields, in their HDF5 units).
const std::vector<std::string>& paired_metrics();

// For every policy of `workload` other than `baseline` (in order of first
// appearance), one row per paired metric. InputError when `baseline` has no
// run on `workload`.
std::vector<BaselineVerdict> paired_verdicts(const std::vector<RunResult>& runs, const std::string& workload,
                                             const std::string& baseline);

}  // namespace fastgpu::experiments
