#pragma once
// The discrete-event engine. One run replays a workload on a cluster under one
// policy and returns a RunResult. Single-threaded and deterministic: events are
// ordered by (time, event class rank, sequence number), so the same inputs give
// bit-identical results.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/cluster_state.h"
#include "sim/engine_options.h"
#include "sim/event_queue.h"
#include "sim/policy.h"
#include "sim/run_result.h"
#include "sim/scheduling_context.h"
#include "sim/workload.h"

namespace fastgpu {

class Engine {
 public:
  Engine(const Workload& workload, const ClusterSpec& cluster, Policy& policy, EngineOptions options,
         std::string policy_name = "policy");
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  RunResult run();

 private:
  friend class SchedulingContext;
  struct JobRuntime;

  // event handling
  void handle(const Event& e);
  void arrive(JobIndex j);
  void finish_job(JobIndex j);
  void suspend_done(JobIndex j);
  void monitor_sample();
  void schedule_next_monitor();
  // Runs a policy hook and adds its wall time to the scheduler time. The
  // decision hooks (schedule, timers, monitor) are timed; the per-job
  // notifications are bookkeeping and are not, to keep clock reads off the
  // per-job path.
  template <class Hook>
  void timed(Hook&& hook);
  void check_stall() const;
  void check_invariants() const;

  // actions (validated)
  void act_start(JobIndex j, std::span<const GpuIndex> gpus);
  void act_preempt(JobIndex j);
  void act_migrate(JobIndex j, std::span<const GpuIndex> gpus);
  void act_reject(JobIndex j, const std::string& reason);
  void act_set_timer(Seconds at, std::uint64_t tag);
  void act_reserve(GpuIndex g, bool reserved);

  // helpers
  void validate_gpus(JobIndex j, std::span<const GpuIndex> gpus, const char* action) const;
  void allocate(JobIndex j, std::span<const GpuIndex> gpus);
  void release(JobIndex j);
  void begin_segment(JobIndex j, Seconds progress_from);
  double remaining_now(JobIndex j) const;
  double rate_on(JobIndex j, std::span<const GpuIndex> gpus) const;
  void set_gpu_usage_changed(GpuIndex g);
  void gpu_usage_set(GpuIndex g);
  void close_gpu_integrals(GpuIndex g);
  void set_load(GpuIndex g, double load);
  void pending_add(JobIndex j);
  void pending_remove(JobIndex j);
  void running_add(JobIndex j);
  void running_remove(JobIndex j);
  void record_rejection(JobIndex j, const std::string& reason);
  [[noreturn]] void policy_error(JobIndex j, const std::string& what) const;
  std::string auto_reject_reason(JobIndex j) const;
  Seconds checkpoint_time(JobIndex j) const;
  Seconds restore_time(JobIndex j) const;

  const Workload& workload_;
  Policy& policy_;
  EngineOptions options_;
  std::string policy_name_;
  ClusterState cluster_;
  SchedulingContext ctx_;
  EventQueue events_;
  std::size_t next_arrival_ = 0;        // cursor into workload_.jobs (sorted by submit)
  std::uint64_t real_events_pending_ = 0;  // queued events other than monitor samples
  Seconds now_ = 0;

  std::vector<JobRuntime> jobs_;
  std::vector<std::uint64_t> type_mask_;          // allowed GPU types per job (bit per type)
  std::vector<std::uint32_t> unmet_dependencies_;
  std::vector<std::vector<JobIndex>> successors_;
  std::vector<JobIndex> pending_, running_;
  std::vector<GpuIndex> alloc_arena_;             // current allocations (append-only)
  std::vector<double> estimated_work_;

  // accounting
  std::vector<double> gpu_busy_integral_;         // GPU-seconds, shares counted
  std::vector<Seconds> gpu_last_change_;
  std::vector<double> gpu_integral_at_sample_;
  std::vector<double> gpu_load_;
  // A monitor sample costs O(GPUs whose usage changed), not O(GPUs): a GPU
  // whose usage did not change during a window was busy at its current share
  // for all of it, so its load is that share. `changed_` lists the GPUs that
  // changed in the current window (flag in `load_dirty_`), `settling_` those
  // that changed in the previous one (their load becomes their share now).
  std::vector<GpuIndex> changed_, settling_;
  std::vector<GpuIndex> load_updated_;            // GPUs whose load the last sample changed
  std::vector<std::uint8_t> load_dirty_;
  double load_sum_ = 0, load_sum_sq_ = 0;         // over gpu_load_
  std::uint64_t samples_since_exact_ = 0;
  double memory_used_gb_ = 0;                     // GB held by running jobs, all GPUs
  std::uint32_t reserved_idle_now_ = 0;           // GPUs reserved and wholly free
  Seconds last_sample_time_ = 0;
  double reserved_idle_gpu_seconds_ = 0;
  std::uint64_t reservation_hits_ = 0, reservation_misses_ = 0;
  std::uint64_t events_processed_ = 0;
  double scheduler_seconds_ = 0;
  RunResult result_;
};

// Convenience: build the engine and run it.
RunResult simulate(const Workload& workload, const ClusterSpec& cluster, Policy& policy,
                   const EngineOptions& options = {}, const std::string& policy_name = "policy");

}  // namespace fastgpu
