#pragma once
// Per-virtual-cluster tables printed by `fastgpu run` and `fastgpu compare`
// when the cluster defines [[cluster.vcs]] (empty strings otherwise).
#include <string>
#include <vector>

#include "sim/run_result.h"

namespace fastgpu::experiments {

// One row per run and VC: jobs, mean wait, mean JCT, utilisation of the VC's
// share, GPU-hours lent to other VCs and borrowers reclaimed.
std::string vc_runs_table(const std::vector<RunResult>& runs);
// One row per policy and VC of `workload`: the same metrics, means over seeds.
std::string vc_means_table(const std::vector<RunResult>& runs, const std::string& workload);

}  // namespace fastgpu::experiments
