#pragma once
// Which GPU types each job may run on: its named type constraint and its
// memory need, as one bit per type. Fixed for the run.
#include <cstdint>
#include <vector>

#include "sim/cluster_state.h"
#include "sim/workload.h"

namespace fastgpu {

class AllowedGpuTypes {
 public:
  // Throws InputError for clusters of more than 64 types (one bit each).
  AllowedGpuTypes(const Workload& workload, const ClusterSpec& cluster);

  bool allowed(JobIndex j, TypeIndex t) const { return mask(j) >> t & 1; }
  // bit t = type t allowed
  std::uint64_t mask(JobIndex j) const { return mask_.empty() ? all_types_ : mask_[j]; }
  std::uint64_t all_types() const { return all_types_; }  // every type of the cluster

  // Why no placement could ever satisfy job j (nullptr if one could), so the
  // engine rejects it on arrival instead of leaving it pending forever. A
  // static string: the check runs on every arrival and almost always passes,
  // so it builds no std::string.
  const char* unplaceable_reason(JobIndex j, const Job& job, const ClusterState& cluster) const;

 private:
  std::uint64_t all_types_ = 0;      // every type of the cluster
  // Per job: bit t set if type t is allowed. Empty while every job may use
  // every type (the common case), which saves a table of 8 bytes a job.
  std::vector<std::uint64_t> mask_;
};

}  // namespace fastgpu
