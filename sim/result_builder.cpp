#include "sim/result_builder.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "sim/error.h"
#include "sim/huge_pages.h"
#include "sim/metrics.h"

namespace fastgpu {

ResultBuilder::ResultBuilder(const Workload& workload, std::shared_ptr<const std::vector<Job>> jobs,
                             const std::string& policy_name, std::uint64_t seed, std::uint32_t num_gpus) {
  if (!jobs || jobs->size() != workload.jobs.size()) throw InternalError("the records' job table is not the workload's");
  const std::size_t n = jobs->size();
  reserve_huge_pages(result_.gpu_offset, n + 1);
  for (const Job& job : *jobs) result_.gpu_offset.push_back(result_.gpu_offset.back() + job.num_gpus);
  reserve_huge_pages(result_.gpu_arena, result_.gpu_offset.back());
  result_.gpu_arena.resize(result_.gpu_offset.back());
  result_.jobs = JobRecords(std::move(jobs));
  result_.policy = policy_name;
  result_.workload = workload.name;
  result_.seed = seed;
  result_.num_gpus = num_gpus;
}

void ResultBuilder::final_gpus_out_of_order(JobIndex j) const {
  throw InternalError(fmt::format("final GPUs of job index {} kept out of order", j));
}

void ResultBuilder::close_up(std::uint64_t from, std::uint32_t gang) {
  auto& arena = result_.gpu_arena;
  const auto at = [&](std::uint64_t k) { return arena.begin() + static_cast<std::ptrdiff_t>(k); };
  std::copy(at(from), at(from + gang), at(final_kept_));  // moves left: overlap is safe
}

void ResultBuilder::record_rejection(JobIndex j, const Job& job, Seconds now, const std::string& reason) {
  JobOutputs& r = result_.jobs.outputs(j);
  r.outcome = JobOutcome::rejected;
  r.end = now;
  if (job.has_deadline()) r.deadline_met = 0;
  auto& reasons = result_.reject_reasons;
  auto it = std::find(reasons.begin(), reasons.end(), reason);
  if (it == reasons.end()) it = reasons.insert(reasons.end(), reason);
  r.reject_reason = static_cast<std::uint16_t>(it - reasons.begin());
}

RunResult ResultBuilder::finish(const ClusterState& cluster, LoadMonitor& monitor, const Policy& policy,
                                const EngineCounters& counters, double responsiveness_alpha) {
  if (final_jobs_ != result_.jobs.size() || result_.gpu_offset.size() != result_.jobs.size() + 1) {
    throw InternalError("the final GPUs of some jobs were not kept or given up");
  }
  const double job_gpu_seconds = counters.job_gpu_seconds;
  const std::span<const double> busy = monitor.busy_gpu_seconds();
  result_.gpu_busy_seconds.assign(busy.begin(), busy.end());
  result_.timeseries = monitor.take_samples();
  double busy_total = 0;
  const std::uint32_t types = cluster.num_types();
  result_.type_busy_gpu_seconds.assign(types, 0);
  result_.type_gpu_count.assign(types, 0);
  for (GpuIndex g = 0; g < cluster.num_gpus(); ++g) {
    result_.type_busy_gpu_seconds[cluster.type_of(g)] += busy[g];
    busy_total += busy[g];
  }
  for (TypeIndex t = 0; t < types; ++t) {
    const GpuType& type = cluster.gpu_type(t);
    result_.type_gpu_count[t] = cluster.gpus_of_type(t);
    result_.type_idle_watts.push_back(type.idle_watts);
    result_.type_busy_watts.push_back(type.busy_watts);
    result_.type_price_per_hour.push_back(type.price_per_hour);
  }
  // GPU-seconds are conserved: what the GPUs were busy for is what the jobs held.
  if (std::abs(busy_total - job_gpu_seconds) > 1e-6 * std::max(1.0, busy_total)) {
    throw InternalError(fmt::format("GPU-seconds not conserved: GPUs busy {} s, jobs held {} s", busy_total,
                                    job_gpu_seconds));
  }

  Summary& s = result_.summary;
  s.reservation_hits = reservation_hits_;
  s.reservation_misses = reservation_misses_;
  s.reserved_idle_gpu_seconds = monitor.reserved_idle_gpu_seconds();
  s.scheduler_seconds = counters.scheduler_seconds;
  s.events = counters.events;
  s.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - counters.wall_start).count();
  s.preemptions = counters.preemptions;
  s.migrations = counters.migrations;
  for (auto& [k, v] : policy.attributes()) result_.attributes[k] = v;
  compute_summary(result_, responsiveness_alpha);
  return std::move(result_);
}

}  // namespace fastgpu
