#pragma once
// The failure trace: recorded outages of GPUs or whole nodes, one per row of
// a CSV file with the header `time,node,gpu,duration`:
//   time      seconds since the workload's time origin when the hardware fails
//   node      the node, 0-based, in the order of the cluster's node groups
//   gpu       the GPU on that node, 0-based; empty: every GPU of the node
//   duration  seconds until it is repaired (> 0)
// Every row is checked against the cluster; an outage that overlaps another
// of the same GPU is an error. Errors name the file, line and column.
#include <string>
#include <vector>

#include "sim/cluster_spec.h"
#include "sim/failure_spec.h"

namespace fastgpu {

// The outages sorted by time (ties in file order).
std::vector<Outage> read_failure_trace(const std::string& path, const ClusterSpec& cluster);

}  // namespace fastgpu
