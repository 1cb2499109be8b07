#pragma once
// The dependency DAG of a workload at run time: how many predecessors of each
// job are still unresolved, and whether one of them was rejected. A job waits
// until every predecessor finished or was rejected; a rejected predecessor
// dooms it.
#include <cstdint>
#include <vector>

#include "sim/workload.h"

namespace fastgpu {

class DependencyTracker {
 public:
  explicit DependencyTracker(const Workload& workload);

  bool waiting(JobIndex j) const { return !unmet_.empty() && unmet_[j] > 0; }
  bool predecessor_rejected(JobIndex j) const { return !rejected_.empty() && rejected_[j]; }

  // Job j finished (or, with rejected, was rejected): calls ready(s) for each
  // successor s that has no unresolved predecessor left.
  template <class Ready>
  void resolve(JobIndex j, bool rejected, Ready&& ready) {
    if (successors_.empty()) return;
    for (JobIndex s : successors_[j]) {
      if (rejected) rejected_[s] = 1;
      if (--unmet_[s] == 0) ready(s);
    }
  }

 private:
  std::vector<std::uint32_t> unmet_;               // per job: predecessors not yet resolved; empty without dependencies
  std::vector<std::vector<JobIndex>> successors_;  // empty when the workload has no dependencies
  std::vector<std::uint8_t> rejected_;             // per job, with successors_: a predecessor was rejected
};

}  // namespace fastgpu
