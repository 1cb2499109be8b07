#pragma once
// The RunResult of one run, filled in as the run goes (a record per job,
// reject reasons, reservation counts, policy attributes) and completed at its
// end from the engine's accounting.
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/cluster_state.h"
#include "sim/load_monitor.h"
#include "sim/policy.h"
#include "sim/run_result.h"
#include "sim/workload.h"

namespace fastgpu {

// Counts the engine keeps about itself, for the summary.
struct EngineCounters {
  double scheduler_seconds = 0;  // wall time inside the policy's decision hooks
  std::uint64_t events = 0;
  std::chrono::steady_clock::time_point wall_start;
  std::uint64_t scheduler_ticks = 0;  // cycle_clock_now() ticks inside the decision hooks
  std::uint64_t ticks_start = 0;      // cycle_clock_now() at wall_start
  // Totals over the job records, summed by the engine's final pass over its jobs.
  double job_gpu_seconds = 0;
  std::uint64_t preemptions = 0, migrations = 0;
};

class ResultBuilder {
 public:
  // `jobs` is the workload's job table (or a copy of it): the records read their inputs there.
  ResultBuilder(const Workload& workload, std::shared_ptr<const std::vector<Job>> jobs, const std::string& policy_name,
                std::uint64_t seed, std::uint32_t num_gpus);

  JobOutputs& outputs(JobIndex j) { return result_.jobs.outputs(j); }
  const JobOutputs& outputs(JobIndex j) const { return result_.jobs.outputs(j); }
  std::span<const JobOutputs> outputs() const { return result_.jobs.outputs(); }  // sized once, at construction
  // The failure-only fields of job j (its entry is made on first use).
  FailureOutputs& failure_outputs(JobIndex j) { return result_.jobs.failure_outputs(j); }
  JobRecord record(JobIndex j) const { return result_.jobs[j]; }  // assembled

  // Job j started at `now` (a first start, a new run's start or a resumption).
  void record_start(JobIndex j, Seconds now) { result_.jobs.record_start(j, now); }

  // Job j was rejected at `now`; each distinct reason is stored once.
  void record_rejection(JobIndex j, const Job& job, Seconds now, const std::string& reason);
  void count_reservation(bool hit) { ++(hit ? reservation_hits_ : reservation_misses_); }
  void set_attribute(const std::string& key, const std::string& value) { result_.attributes[key] = value; }

  // Room for the final GPUs of every job, at most `gpus` in all.
  void reserve_final_gpus(std::size_t gpus);
  // The GPUs the next job (in workload order) finished on; empty if rejected.
  void add_final_gpus(std::span<const GpuIndex> gpus) {
    result_.gpu_arena.insert(result_.gpu_arena.end(), gpus.begin(), gpus.end());
    result_.gpu_offset.push_back(result_.gpu_arena.size());
  }

  // Completes the result after the last event: per-GPU and per-type
  // accounting, the time series and the summary. Throws InternalError if the
  // GPUs' busy time and the jobs' held time disagree.
  RunResult finish(const ClusterState& cluster, LoadMonitor& monitor, const Policy& policy,
                   const EngineCounters& counters, double responsiveness_alpha);

 private:
  RunResult result_;
  std::uint64_t reservation_hits_ = 0, reservation_misses_ = 0;
};

}  // namespace fastgpu
