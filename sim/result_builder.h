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
  // Starts loading what a finish of job j writes (see Engine::prefetch_finish).
  void prefetch(JobIndex j) const {
    __builtin_prefetch(&result_.jobs.outputs()[j]);
    __builtin_prefetch(&result_.gpu_offset[j]);
  }

  // Job j started at `now` (a first start, a new run's start or a resumption).
  void record_start(JobIndex j, Seconds now) { result_.jobs.record_start(j, now); }

  // Job j was rejected at `now`; each distinct reason is stored once.
  void record_rejection(JobIndex j, const Job& job, Seconds now, const std::string& reason);
  void count_reservation(bool hit) { ++(hit ? reservation_hits_ : reservation_misses_); }
  void set_attribute(const std::string& key, const std::string& value) { result_.attributes[key] = value; }

  // The final GPUs go straight into the result, which lays out a place for
  // every job's gang in job order before the run; after it, the places of the
  // jobs that did not finish are closed up. The engine's own arena then holds
  // only the live jobs' GPUs, and no second copy of the final ones is made.
  // Job j finished on these GPUs (its gang: as many as it asked for).
  void record_final_gpus(JobIndex j, std::span<const GpuIndex> gpus) {
    std::copy(gpus.begin(), gpus.end(), result_.gpu_arena.begin() + static_cast<std::ptrdiff_t>(result_.gpu_offset[j]));
  }
  // After the run, job by job in job order: whether job j (a gang of `gang`)
  // finished, so that its GPUs are kept, or not.
  void keep_final_gpus(JobIndex j, std::uint32_t gang, bool finished) {
    if (j != final_jobs_) [[unlikely]] final_gpus_out_of_order(j);
    const std::uint64_t from = final_read_;
    final_read_ += gang;
    result_.gpu_offset[j] = final_kept_;
    if (finished) {
      if (final_kept_ != from) close_up(from, gang);
      final_kept_ += gang;
    }
    if (++final_jobs_ == result_.jobs.size()) {
      result_.gpu_offset.back() = final_kept_;
      result_.gpu_arena.resize(final_kept_);
    }
  }

  // Completes the result after the last event: per-GPU and per-type
  // accounting, the time series and the summary. Throws InternalError if the
  // GPUs' busy time and the jobs' held time disagree.
  RunResult finish(const ClusterState& cluster, LoadMonitor& monitor, const Policy& policy,
                   const EngineCounters& counters, double responsiveness_alpha);

 private:
  [[noreturn]] void final_gpus_out_of_order(JobIndex j) const;
  // Moves `gang` GPUs from `from` down to final_kept_ (which lies before it).
  void close_up(std::uint64_t from, std::uint32_t gang);

  RunResult result_;
  std::uint64_t final_read_ = 0;       // keep_final_gpus: where the next job's laid-out place starts
  std::uint64_t final_kept_ = 0;       // ... and the end of the GPUs kept so far
  std::size_t final_jobs_ = 0;         // ... jobs passed
  std::uint64_t reservation_hits_ = 0, reservation_misses_ = 0;
};

}  // namespace fastgpu
