#pragma once
// What a packing workload ([workload] kind = "packing") asks for: pod lists,
// a node list and how far to pack (docs/packing.md).
#include <string>
#include <vector>

namespace fastgpu {

struct PackingSpec {
  std::vector<std::string> pod_lists;  // openb_pod_list_*.csv (paths relative to the config file)
  std::string node_list;               // openb_node_list_*.csv
  double target = 1.3;                 // stop at arrived GPU requests = target x GPU capacity
  double step_percent = 1.0;           // curve grid, percent of the capacity
  double shape_coverage = 1.0;         // pod shapes kept for the fragmentation measure (share of pods)
  std::string baseline = "best-fit";   // paired comparisons in the table are against this placement
};

}  // namespace fastgpu
