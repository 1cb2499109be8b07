#pragma once
// Checks of what a policy asks the engine to do, and the PolicyError that
// names the policy, the simulated time and the job when a request is invalid.
#include <span>
#include <string>

#include "sim/allowed_gpu_types.h"
#include "sim/cluster_state.h"
#include "sim/workload.h"

namespace fastgpu {

class ActionValidator {
 public:
  ActionValidator(const Workload& workload, const ClusterState& cluster, const AllowedGpuTypes& allowed,
                  std::string policy_name)
      : workload_(workload), cluster_(cluster), allowed_(allowed), policy_name_(std::move(policy_name)) {}

  const std::string& policy_name() const { return policy_name_; }

  // Throws unless `gpus` are exactly job j's gang size of distinct, existing
  // GPUs of allowed types, each with room for the job's share. `action` names
  // the request in the message ("start", "migrate").
  void check_gpus(JobIndex j, std::span<const GpuIndex> gpus, const char* action, Seconds now) const;

  // Throws PolicyError about job j (kNoJob: about no particular job).
  [[noreturn]] void fail(JobIndex j, const std::string& what, Seconds now) const;

 private:
  const Workload& workload_;
  const ClusterState& cluster_;
  const AllowedGpuTypes& allowed_;
  std::string policy_name_;
};

}  // namespace fastgpu
