#include "sim/allowed_gpu_types.h"

#include <algorithm>
#include <bit>
#include <limits>

#include "sim/error.h"
#include "sim/huge_pages.h"

namespace fastgpu {

AllowedGpuTypes::AllowedGpuTypes(const Workload& workload, const ClusterSpec& cluster) {
  const std::size_t types = cluster.gpu_types.size();
  if (types > 64) throw InputError("at most 64 GPU types are supported");
  // constraint_mask[k]: the types Job::gpu_types == k names (0 = any).
  std::vector<std::uint64_t> constraint_mask(workload.type_constraints.size() + 1, 0);
  constraint_mask[0] = types == 64 ? ~0ULL : (1ULL << types) - 1;
  for (std::size_t c = 0; c < workload.type_constraints.size(); ++c) {
    for (const std::string& name : workload.type_constraints[c]) {
      const int t = cluster.find_type(name);
      if (t >= 0) constraint_mask[c + 1] |= 1ULL << t;
    }
  }
  all_types_ = constraint_mask[0];
  // A job that needs no more memory than the smallest type has (nearly every
  // job) loses no type to its memory need: one comparison instead of a pass.
  double least_memory_gb = std::numeric_limits<double>::infinity();
  for (const GpuType& type : cluster.gpu_types) least_memory_gb = std::min(least_memory_gb, type.memory_gb);
  bool per_job = false;
  for (std::size_t j = 0; j < workload.jobs.size(); ++j) {
    const Job& job = workload.jobs[j];
    std::uint64_t mask = constraint_mask.at(job.gpu_types);
    if (!(job.gpu_memory_gb <= least_memory_gb)) {
      for (std::size_t t = 0; t < types; ++t) {
        if (job.gpu_memory_gb > cluster.gpu_types[t].memory_gb) mask &= ~(1ULL << t);
      }
    }
    if (!per_job && mask != all_types_) {  // the first job with fewer types: keep a table from here on
      per_job = true;
      reserve_huge_pages(mask_, workload.jobs.size());
      mask_.assign(j, all_types_);
    }
    if (per_job) mask_.push_back(mask);
  }
}

const char* AllowedGpuTypes::unplaceable_reason(JobIndex j, const Job& job, const ClusterState& cluster) const {
  // A gang runs on one GPU type (policies/placement.h), so the largest
  // allowed type bounds what it can get.
  const std::uint64_t types = mask(j);
  if (types == 0) return "no GPU type satisfies its type constraint and memory need";
  std::uint64_t capacity = 0;
  for (std::uint64_t rest = types; rest != 0; rest &= rest - 1)
    capacity = std::max<std::uint64_t>(capacity, cluster.gpus_of_type(static_cast<TypeIndex>(std::countr_zero(rest))));
  if (job.num_gpus > capacity) return "needs more GPUs than the cluster has of any allowed type";
  if (job.gpu_share < 1.0f && job.num_gpus > 1) return "a fractional GPU share needs num_gpus = 1";
  return nullptr;
}

}  // namespace fastgpu
