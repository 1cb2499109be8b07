#pragma once
// Per-virtual-cluster summary metrics (docs/metrics.md, "Virtual clusters").
#include <vector>

#include "sim/cluster_state.h"
#include "sim/run_result.h"
#include "sim/vc_partition.h"

namespace fastgpu {

// One VcSummary per VC of `vcs`, from the finished result's job records (in
// workload order) and per-GPU busy time; the utilisation uses the run's makespan.
std::vector<VcSummary> compute_vc_summaries(const VcPartition& vcs, const ClusterState& cluster, const RunResult& r);

}  // namespace fastgpu
