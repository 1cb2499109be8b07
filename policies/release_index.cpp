#include "policies/release_index.h"

#include <algorithm>

#include "sim/error.h"

namespace fastgpu {

void ReleaseIndex::init(const SchedulingContext& ctx) {
  const ClusterState& cluster = ctx.cluster();
  by_type_.clear();
  by_type_.resize(cluster.num_types());
  job_entry_.assign(ctx.workload().jobs.size(), {});
  indexed_.assign(ctx.workload().jobs.size(), 0);
  gpu_entry_.assign(cluster.num_gpus(), {});
  type_.assign(ctx.workload().jobs.size(), 0);
  gpu_.assign(ctx.workload().jobs.size(), 0);
  tenants_.assign(cluster.num_gpus(), 0);
  gpu_key_.assign(cluster.num_gpus(), kNever);
}

void ReleaseIndex::started(const SchedulingContext& ctx, JobIndex j) {
  const auto gpus = ctx.gpus_of(j);
  if (gpus.empty()) throw InternalError("release index: started job holds no GPUs");
  const TypeIndex t = ctx.cluster().type_of(gpus.front());
  const Seconds finish = ctx.estimated_finish(j);
  type_[j] = t;
  ++version_;
  if (ctx.job(j).gpu_share >= 1.0f) {
    if (indexed_[j]) throw InternalError("release index: job started again without finishing");
    job_entry_[j] = by_type_[t].insert(Entry{finish, j, ctx.job(j).num_gpus});
    indexed_[j] = 1;
    return;
  }
  const GpuIndex g = gpus.front();
  if (tenants_[g]++ > 0) {
    by_type_[t].erase(gpu_entry_[g]);
    gpu_key_[g] = std::max(gpu_key_[g], finish);
  } else {
    gpu_key_[g] = finish;
  }
  gpu_entry_[g] = by_type_[t].insert(Entry{gpu_key_[g], kGpuTag | g, 1});
  gpu_[j] = g;
}

void ReleaseIndex::finished(const SchedulingContext& ctx, JobIndex j) {
  const TypeIndex t = type_[j];
  ++version_;
  if (ctx.job(j).gpu_share >= 1.0f) {
    if (indexed_[j]) by_type_[t].erase(job_entry_[j]);
    indexed_[j] = 0;
    return;
  }
  const GpuIndex g = gpu_[j];
  if (--tenants_[g] == 0) by_type_[t].erase(gpu_entry_[g]);
}

}  // namespace fastgpu
