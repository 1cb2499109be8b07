#pragma once
// The discrete-event engine. One run replays a workload on a cluster under one
// policy and returns a RunResult. Single-threaded and deterministic: events are
// ordered by (time, event class rank, sequence number), so the same inputs give
// bit-identical results.
//
// The engine owns the event loop and each job's lifecycle (arrive, start,
// preempt, migrate, finish, reject) and composes the parts with their own
// state: which GPU types a job may use, runtime estimates, the dependency DAG,
// per-GPU accounting, action checks and the result being assembled.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/action_validator.h"
#include "sim/allowed_gpu_types.h"
#include "sim/attempt_plan.h"
#include "sim/cluster_state.h"
#include "sim/dependency_tracker.h"
#include "sim/engine_options.h"
#include "sim/event_queue.h"
#include "sim/failure_recovery.h"
#include "sim/hardware_failures.h"
#include "sim/job_runtimes.h"
#include "sim/job_slot_list.h"
#include "sim/load_monitor.h"
#include "sim/policy.h"
#include "sim/result_builder.h"
#include "sim/run_result.h"
#include "sim/runtime_estimator.h"
#include "sim/scheduling_context.h"
#include "sim/vc_partition.h"
#include "sim/workload.h"

namespace fastgpu {

class Engine {
 public:
  // `jobs` is workload.jobs shared with the result, or a copy of it: the
  // result's records read the jobs' inputs there, after the workload is gone.
  Engine(const Workload& workload, std::shared_ptr<const std::vector<Job>> jobs, const ClusterSpec& cluster,
         Policy& policy, EngineOptions options, std::string policy_name = "policy");
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  RunResult run();

 private:
  friend class SchedulingContext;

  // event handling
  void handle(const Event& e);
  void arrive(JobIndex j);
  void finish_job(JobIndex j);
  // Finishes come in no order of job index, so what a finish reads and writes
  // (the job's status, inputs, outputs and place for its final GPUs, in tables
  // of one entry a job) is a cache miss each time. The engine starts loading
  // it for the next queued finish while it handles the current event and the
  // policy decides.
  void prefetch_finish(JobIndex j) const {
    runtimes_.prefetch(j);
    __builtin_prefetch(&workload_.jobs[j]);
    result_.prefetch(j);
  }
  double fastest_usable_speed(JobIndex j) const;
  // The job's current run ended in failure (sim/engine_failures.cpp).
  void fail_allocation(JobIndex j);
  // GPUs fail or are repaired; a failure stops the jobs on them (sim/engine_failures.cpp).
  void hardware_change();
  void stop_by_failure(JobIndex j);
  // The current segment of job j ends now: its progress so far counts as useful.
  void count_progress(JobIndex j) {
    const JobRuntime& rt = runtimes_[j];
    const double progressed = now_ - rt.seg_start;
    if (progressed > 0) result_.outputs(j).useful_gpu_seconds += allocated_gpus(j) * progressed;
  }
  // GPUs job j holds, shares counted.
  double allocated_gpus(JobIndex j) const {
    const Job& job = workload_.jobs[j];
    return job.num_gpus * (job.milli_per_gpu() * (1.0 / kMilliPerGpu));
  }
  // Jobs are left to run (hardware changes matter only then).
  bool jobs_left() const {
    return next_arrival_ < workload_.jobs.size() || !pending_.empty() || !running_.empty() || !events_.empty();
  }
  void suspend_done(JobIndex j);
  void reject_job(JobIndex j, const std::string& reason);
  void monitor_sample();
  void schedule_next_monitor();
  // Runs a policy hook and adds its wall time to the scheduler time. The
  // decision hooks (schedule, timers, monitor) are timed; the per-job
  // notifications are bookkeeping and are not, to keep clock reads off the
  // per-job path.
  template <class Hook>
  void timed(Hook&& hook);
  void check_stall() const;
  // Virtual clusters (sim/engine_vcs.cpp): GPUs of a start or migration lie in
  // the job's VC (or in nodes it may borrow); lending: which VCs lend, and the
  // borrowers stopped when an owner VC's waiting job needs their GPUs. Returns
  // whether any job was stopped (the policy then decides again).
  void check_vc_gpus(JobIndex j, std::span<const GpuIndex> gpus, const char* action) const;
  bool reclaim_lent_gpus();
  void stop_borrower(JobIndex j);

  // the policy's actions, validated
  void act_start(JobIndex j, std::span<const GpuIndex> gpus);
  void act_preempt(JobIndex j);
  void act_migrate(JobIndex j, std::span<const GpuIndex> gpus);
  void act_reject(JobIndex j, const std::string& reason);
  void act_set_timer(Seconds at, std::uint64_t tag);
  void act_reserve(GpuIndex g, bool reserved);

  // allocation and progress
  void allocate(JobIndex j, std::span<const GpuIndex> gpus);
  void release(JobIndex j);
  std::span<const GpuIndex> gpus_held(JobIndex j) const {
    return std::span(alloc_arena_).subspan(runtimes_[j].alloc_offset, workload_.jobs[j].num_gpus);
  }
  // A place for a gang of `gpus` in the arena: one an ended job gave back, else a new one.
  std::uint32_t take_range(std::uint32_t gpus) {
    if (gpus < free_ranges_.size() && free_ranges_[gpus] != kNoRange) {
      const std::uint32_t at = free_ranges_[gpus];
      free_ranges_[gpus] = alloc_arena_[at];
      return at;
    }
    return new_range(gpus);
  }
  std::uint32_t new_range(std::uint32_t gpus);
  // Job j has ended: its place in the arena goes back for the next gang of its size.
  void give_back_range(JobIndex j) {
    JobRuntime& rt = runtimes_[j];
    if (rt.alloc_offset == kNoRange) return;  // never started
    const std::uint32_t gpus = workload_.jobs[j].num_gpus;
    if (gpus >= free_ranges_.size()) [[unlikely]] free_ranges_.resize(gpus + std::size_t{1}, kNoRange);
    alloc_arena_[rt.alloc_offset] = free_ranges_[gpus];
    free_ranges_[gpus] = rt.alloc_offset;
    rt.alloc_offset = kNoRange;
  }
  void begin_segment(JobIndex j, Seconds progress_from);
  // Inline: the scheduling context's queries call these per job.
  double remaining_now(JobIndex j) const { return runtimes_.remaining_at(j, now_); }
  // a / b, without the division when b is 1 (x / 1 is x, bit for bit): on a
  // cluster of one speed and no slowdown every start and finish divides by 1,
  // and each division's latency stood in the way of what followed it.
  static double divided(double a, double b) { return b == 1.0 ? a : a / b; }
  // The slowest GPU sets the pace of a gang, slowed further by how far apart
  // its GPUs are.
  double rate_on(std::span<const GpuIndex> gpus) const {
    double slowest = kNever;
    bool one_node = true;
    for (GpuIndex g : gpus) {
      slowest = std::min(slowest, cluster_.gpu_type(cluster_.type_of(g)).speed);
      one_node &= cluster_.node_of(g) == cluster_.node_of(gpus.front());
    }
    if (one_node) return divided(slowest, cluster_.spec().slowdown.same_node);
    node_scratch_.clear();  // kept between calls: no allocation per multi-node start
    for (GpuIndex g : gpus) node_scratch_.push_back(cluster_.node_of(g));
    return divided(slowest, cluster_.topology().slowdown(node_scratch_));
  }
  Seconds checkpoint_time(JobIndex j) const;
  Seconds restore_time(JobIndex j) const;
  void push_event(const Event& e) { events_.push(e); }

  const Workload& workload_;
  Policy& policy_;
  EngineOptions options_;
  ClusterState cluster_;
  AllowedGpuTypes allowed_types_;
  VcPartition vcs_;
  RuntimeEstimator estimator_;
  DependencyTracker dependencies_;
  AttemptPlan attempts_;
  JobRuntimes runtimes_;  // after attempts_: it plans every job's first run
  HardwareFailures hardware_;
  bool hardware_on_;  // hardware_.active(), read once per event
  FailureRecovery recovery_;
  LoadMonitor monitor_;
  ActionValidator validator_;
  ResultBuilder result_;
  SchedulingContext ctx_;

  // Every queued event keeps the run alive; monitor samples, which do not,
  // are a stream of their own (no heap push and pop per sample).
  EventQueue events_;
  Seconds next_monitor_ = kNever;  // the next monitor sample, kNever if none
  std::size_t next_arrival_ = 0;   // cursor into workload_.jobs (sorted by submit)
  Seconds now_ = 0;
  EngineCounters counters_;

  JobSlotList pending_;
  JobSlotList running_;
  // The live jobs' GPUs: each job has a place of its gang's size from its first
  // start until it ends (32-bit offsets); ended jobs' places are reused.
  std::vector<GpuIndex> alloc_arena_;
  // By gang size, the first place given back; each holds the next in its first entry.
  std::vector<std::uint32_t> free_ranges_;
  std::vector<GpuIndex> gpus_scratch_;  // allocate's copy of GPUs that lie in the arena it may grow
  std::vector<std::uint32_t> vc_scratch_;  // reclaim_lent_gpus' per-VC counts
  std::vector<double> useful_at_run_start_;  // recorded failed attempts: useful GPU-s before the current run
  mutable std::vector<NodeIndex> node_scratch_;  // rate_on's nodes of a multi-node gang
};

// Convenience: build the engine and run it. The result's records read the
// jobs' inputs from a copy of the workload's job table...
RunResult simulate(const Workload& workload, const ClusterSpec& cluster, Policy& policy,
                   const EngineOptions& options = {}, const std::string& policy_name = "policy");
// ... or, from a shared workload, from its own table (no copy; the result keeps the workload alive).
RunResult simulate(const std::shared_ptr<const Workload>& workload, const ClusterSpec& cluster, Policy& policy,
                   const EngineOptions& options = {}, const std::string& policy_name = "policy");

}  // namespace fastgpu
