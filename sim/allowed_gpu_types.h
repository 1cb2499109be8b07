#pragma once
// Which GPU types each job may run on: its named type constraint and its
// memory need, as one bit per type. Fixed for the run.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cluster_state.h"
#include "sim/workload.h"

namespace fastgpu {

class AllowedGpuTypes {
 public:
  // Throws InputError for clusters of more than 64 types (one bit each).
  AllowedGpuTypes(const Workload& workload, const ClusterSpec& cluster);

  bool allowed(JobIndex j, TypeIndex t) const { return mask_[j] >> t & 1; }
  std::uint64_t mask(JobIndex j) const { return mask_[j]; }  // bit t = type t allowed

  // Why no placement could ever satisfy job j (empty if one could), so the
  // engine rejects it on arrival instead of leaving it pending forever.
  std::string unplaceable_reason(JobIndex j, const Job& job, const ClusterState& cluster) const;

 private:
  std::vector<std::uint64_t> mask_;  // per job: bit t set if type t is allowed
};

}  // namespace fastgpu
