#include "sim/invariants.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu {

void check_invariants(const SchedulingContext& ctx) {
  const ClusterState& cluster = ctx.cluster();
  const std::vector<Job>& jobs = ctx.workload().jobs;
  std::vector<std::uint32_t> milli(cluster.num_gpus(), 0);
  for (JobIndex j = 0; j < jobs.size(); ++j) {
    const JobState state = ctx.state(j);
    if (state != JobState::running && state != JobState::suspending) continue;
    const Job& job = jobs[j];
    for (GpuIndex g : ctx.gpus_of(j)) milli[g] += job.milli_per_gpu();
    if (state == JobState::running && ctx.remaining_work(j) < -1e-6 * std::max(1.0, job.work)) {
      throw InternalError(fmt::format("invariant: job {} has negative remaining work", job.id));
    }
  }
  for (GpuIndex g = 0; g < cluster.num_gpus(); ++g) {
    if (milli[g] > kMilliPerGpu) throw InternalError(fmt::format("invariant: GPU {} over-allocated", g));
    if (milli[g] != cluster.used_milli(g)) {
      throw InternalError(fmt::format("invariant: GPU {} allocation {} does not match its jobs' {}", g,
                                      cluster.used_milli(g), milli[g]));
    }
  }
  for (JobIndex j : ctx.pending()) {
    if (ctx.state(j) != JobState::pending) throw InternalError("invariant: pending set holds a non-pending job");
  }
}

}  // namespace fastgpu
