#include "sim/invariants.h"

#include <algorithm>
#include <cmath>
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
    for (GpuIndex g : ctx.gpus_of(j)) {
      milli[g] += job.milli_per_gpu();
      // A failure stops the jobs running on the GPU; only a checkpoint being written may still hold it.
      if (state == JobState::running && cluster.is_failed(g))
        throw InternalError(fmt::format("invariant: job {} runs on failed GPU {}", job.id, g));
    }
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
  // The free-GPU counts the placements search hold exactly the GPUs that are
  // unallocated and in service.
  for (NodeIndex n = 0; n < cluster.num_nodes(); ++n) {
    std::uint32_t free = 0;
    for (GpuIndex g = cluster.first_gpu(n); g < cluster.first_gpu(n) + cluster.gpus_on_node(n); ++g)
      free += milli[g] == 0 && !cluster.is_failed(g) ? 1 : 0;
    if (free != cluster.free_gpus_on_node(n))
      throw InternalError(fmt::format("invariant: node {} counted {} free GPUs, {} are", n,
                                      cluster.free_gpus_on_node(n), free));
    if (!cluster.has_free_masks()) continue;
    for (GpuIndex g = cluster.first_gpu(n); g < cluster.first_gpu(n) + cluster.gpus_on_node(n); ++g) {
      const bool marked = (cluster.free_mask(n) >> (g - cluster.first_gpu(n)) & 1) != 0;
      if (marked != (milli[g] == 0 && !cluster.is_failed(g)))
        throw InternalError(fmt::format("invariant: node {}'s free mask has GPU {} {}", n, g,
                                        marked ? "free, it is not" : "not free, it is"));
    }
  }
  for (JobIndex j : ctx.pending()) {
    if (ctx.state(j) != JobState::pending) throw InternalError("invariant: pending set holds a non-pending job");
  }
}

}  // namespace fastgpu

namespace fastgpu {

void check_job_run(const Job& job, std::uint32_t failed_attempts, const JobRecord& r, bool keep_progress) {
  auto fail = [&](const char* what) {
    throw InternalError(fmt::format("invariant: job {} {} (runs {}, failed attempts {})", job.id, what, r.attempts,
                                    failed_attempts));
  };
  const double tolerance = 1e-9 * std::max(1.0, r.gpu_seconds);
  if (r.failed_gpu_seconds < 0 || r.failed_gpu_seconds > r.gpu_seconds + tolerance)
    fail("held more GPU-seconds in failed runs than in all its runs");
  if (r.failed_attempts() > failed_attempts) fail("failed more often than it has failed attempts");
  if (r.failed_attempts() == 0 && r.failed_gpu_seconds != 0) fail("has failed GPU-seconds without a failed run");
  if (r.outcome != JobOutcome::finished) return;
  if (r.attempts == 0 || !(r.final_start >= r.first_start) || !(r.end >= r.final_start))
    fail("finished without a consistent first and last run");
  if (!keep_progress && r.failed_attempts() != failed_attempts)
    fail("finished without running each of its failed attempts");
}

}  // namespace fastgpu
