#pragma once
// What a policy sees and how it acts. Queries are cheap reads of the engine's
// state; actions are validated and applied at once, so later queries in the
// same decision see their effect. An invalid action throws PolicyError naming
// the policy and the job.
//
// The per-job queries are inline reads of the engine's parts (bound at
// construction): policies call them for every job they consider.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/allowed_gpu_types.h"
#include "sim/attempt_plan.h"
#include "sim/cluster_state.h"
#include "sim/job_runtimes.h"
#include "sim/job_state.h"
#include "sim/run_result.h"
#include "sim/runtime_estimator.h"
#include "sim/vc_partition.h"
#include "sim/workload.h"

namespace fastgpu {

class Engine;

class SchedulingContext {
 public:
  explicit SchedulingContext(Engine& engine);

  // --- queries -----------------------------------------------------------
  Seconds now() const { return now_; }
  const Workload& workload() const { return workload_; }
  const Job& job(JobIndex j) const { return workload_.jobs[j]; }
  const ClusterState& cluster() const { return cluster_; }
  JobState state(JobIndex j) const { return runtimes_.state(j); }
  std::span<const JobIndex> pending() const;   // unordered
  std::span<const JobIndex> running() const;   // unordered
  // GPUs held by a running (or suspending) job.
  std::span<const GpuIndex> gpus_of(JobIndex j) const;
  // Whether the job may run on GPUs of type t (its constraint and memory).
  bool type_allowed(JobIndex j, TypeIndex t) const { return allowed_.allowed(j, t); }
  // The same for every type at once: bit t set = type t allowed.
  std::uint64_t allowed_type_mask(JobIndex j) const { return allowed_.mask(j); }
  std::uint64_t all_types_mask() const { return allowed_.all_types(); }  // every type of the cluster
  // Virtual clusters: each job's VC and the nodes it may use (placements
  // consult it; the engine refuses GPUs outside them).
  const VcPartition& vcs() const { return vcs_; }

  // What the scheduler knows of runtimes. Estimates are reference-GPU seconds
  // (duration at speed 1.0) from the configured estimator: exact ("oracle"),
  // noisy, the user's request, or NaN ("none").
  Seconds estimated_work(JobIndex j) const { return estimator_.estimated_work(j); }
  // Estimate minus the work already done, floored at 0 (NaN if no estimate).
  Seconds estimated_remaining_work(JobIndex j) const {
    const double estimate = estimator_.estimated_work(j);
    if (std::isnan(estimate)) return estimate;  // std::max would turn NaN into 0
    // Work beyond the current run is 0 unless a run fails (sim/attempt_plan.h).
    const double done = workload_.jobs[j].work - (runtimes_.remaining_at(j, now_) + attempts_.work_beyond_run(j));
    return std::max(0.0, estimate - done);
  }
  // Expected finish time of a running job by its estimate (kNever if unknown).
  Seconds estimated_finish(JobIndex j) const {
    if (runtimes_.state(j) != JobState::running) return kNever;
    const JobRuntime& rt = runtimes_[j];
    const double remaining = estimated_remaining_work(j);
    if (std::isnan(remaining)) return kNever;
    return std::max(now_, rt.seg_start) + remaining / rt.rate;
  }
  // The true remaining work (reference seconds). For invariants and oracle
  // studies; a realistic policy uses the estimates.
  double remaining_work(JobIndex j) const { return runtimes_.remaining_at(j, now_); }
  // GPU-seconds the job has received so far (GPUs x time run, shares counted).
  double attained_service(JobIndex j) const {
    double attained = held_before(j);
    const JobState s = runtimes_.state(j);
    if (s == JobState::running || s == JobState::suspending) {
      const Job& job = workload_.jobs[j];
      attained += job.num_gpus * (job.milli_per_gpu() * (1.0 / kMilliPerGpu)) * (now_ - runtimes_[j].alloc_since);
    }
    return attained;
  }
  Seconds first_start(JobIndex j) const;        // NaN if never started
  // GPU-seconds of the job's allocations that have ended (its record's total so far).
  double held_before(JobIndex j) const { return records_[j].gpu_seconds; }
  std::uint32_t preemptions(JobIndex j) const;
  // Runs of job j that ended in failure so far (its next run is run number
  // failures(j), counted from 0).
  std::uint32_t failures(JobIndex j) const;
  // Progress rate (reference seconds per second) of job j on these GPUs:
  // slowest GPU's speed divided by the placement slowdown.
  double rate_on(JobIndex j, std::span<const GpuIndex> gpus) const;

  // Per-GPU busy fraction over the last monitor interval (0..1).
  std::span<const double> gpu_load() const;
  // The GPUs whose gpu_load() the last monitor sample changed (every other
  // GPU kept its value), so load-aware policies can update in O(changes).
  std::span<const GpuIndex> gpu_load_changed() const;
  Seconds monitor_interval() const;

  // --- actions -----------------------------------------------------------
  // Start (or resume) a pending job on exactly job.num_gpus distinct GPUs with
  // enough free capacity, at or after its earliest_start (JobTraceFields).
  void start(JobIndex j, std::span<const GpuIndex> gpus);
  // Stop a running preemptible job; its GPUs stay held for the checkpoint
  // time, then it is pending again with its remaining work kept.
  void preempt(JobIndex j);
  // Move a running job to other GPUs: it pauses for checkpoint + restore time
  // and then continues there. The old GPUs are freed at once.
  void migrate(JobIndex j, std::span<const GpuIndex> gpus);
  // Refuse a pending job for good, with a reason recorded in the results.
  void reject(JobIndex j, const std::string& reason);
  // Call Policy::on_timer(tag) at time `at` (>= now).
  void set_timer(Seconds at, std::uint64_t tag = 0);
  // Hold (or release) a GPU for a class of jobs; idle reserved GPU-seconds are
  // accounted. Any policy rule about who may use it is the policy's own.
  void reserve(GpuIndex g, bool reserved = true);
  // Count a reservation hit (a job of the protected class found reserved
  // capacity) or a miss (it did not).
  void count_reservation(bool hit);
  // Policy-specific fact for the HDF5 run attributes.
  void set_attribute(const std::string& key, const std::string& value);

 private:
  Engine& engine_;
  // The engine's parts the inline queries read.
  const Workload& workload_;
  const ClusterState& cluster_;
  const AllowedGpuTypes& allowed_;
  const VcPartition& vcs_;
  const RuntimeEstimator& estimator_;
  const JobRuntimes& runtimes_;
  std::span<const JobOutputs> records_;  // the engine's records, sized before the context is made
  const AttemptPlan& attempts_;
  const Seconds& now_;
};

}  // namespace fastgpu
