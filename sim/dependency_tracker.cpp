#include "sim/dependency_tracker.h"

namespace fastgpu {

DependencyTracker::DependencyTracker(const Workload& workload) {
  const std::size_t n = workload.jobs.size();
  if (workload.predecessors.empty()) return;
  unmet_.assign(n, 0);
  successors_.resize(n);
  rejected_.assign(n, 0);
  for (JobIndex j = 0; j < workload.predecessors.size(); ++j) {
    unmet_[j] = static_cast<std::uint32_t>(workload.predecessors[j].size());
    for (JobIndex p : workload.predecessors[j]) successors_[p].push_back(j);
  }
}

}  // namespace fastgpu
