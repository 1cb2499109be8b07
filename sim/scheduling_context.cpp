// The scheduling context reads the engine's parts directly (it is the
// engine's friend), so each query is one or two loads.
#include "sim/scheduling_context.h"

#include <algorithm>
#include <cmath>

#include "sim/engine.h"

namespace fastgpu {

Seconds SchedulingContext::now() const { return engine_.now_; }
const Workload& SchedulingContext::workload() const { return engine_.workload_; }
const Job& SchedulingContext::job(JobIndex j) const { return engine_.workload_.jobs[j]; }
const ClusterState& SchedulingContext::cluster() const { return engine_.cluster_; }
JobState SchedulingContext::state(JobIndex j) const { return engine_.jobs_[j].state; }
std::span<const JobIndex> SchedulingContext::pending() const { return engine_.pending_.jobs(); }
std::span<const JobIndex> SchedulingContext::running() const { return engine_.running_.jobs(); }
std::span<const GpuIndex> SchedulingContext::gpus_of(JobIndex j) const {
  const JobState s = engine_.jobs_[j].state;
  if (s != JobState::running && s != JobState::suspending) return {};
  return engine_.gpus_held(j);
}
bool SchedulingContext::type_allowed(JobIndex j, TypeIndex t) const { return engine_.allowed_types_.allowed(j, t); }

Seconds SchedulingContext::estimated_work(JobIndex j) const { return engine_.estimator_.estimated_work(j); }
Seconds SchedulingContext::estimated_remaining_work(JobIndex j) const {
  const double estimate = engine_.estimator_.estimated_work(j);
  if (std::isnan(estimate)) return estimate;  // std::max would turn NaN into 0
  // Work beyond the current run is 0 unless a run fails (sim/attempt_plan.h).
  const double done =
      engine_.workload_.jobs[j].work - (engine_.remaining_now(j) + engine_.attempts_.work_beyond_run(j));
  return std::max(0.0, estimate - done);
}
Seconds SchedulingContext::estimated_finish(JobIndex j) const {
  const auto& rt = engine_.jobs_[j];
  if (rt.state != JobState::running) return kNever;
  const double remaining = estimated_remaining_work(j);
  if (std::isnan(remaining)) return kNever;
  return std::max(engine_.now_, rt.seg_start) + remaining / rt.rate;
}
double SchedulingContext::remaining_work(JobIndex j) const { return engine_.remaining_now(j); }
double SchedulingContext::attained_service(JobIndex j) const {
  const auto& rt = engine_.jobs_[j];
  double attained = rt.attained_before;
  if (rt.state == JobState::running || rt.state == JobState::suspending) {
    const Job& job = engine_.workload_.jobs[j];
    attained += job.num_gpus * (job.milli_per_gpu() * (1.0 / kMilliPerGpu)) * (engine_.now_ - rt.alloc_since);
  }
  return attained;
}
Seconds SchedulingContext::first_start(JobIndex j) const { return engine_.result_.job(j).first_start; }
std::uint32_t SchedulingContext::preemptions(JobIndex j) const { return engine_.result_.job(j).preemptions; }
std::uint32_t SchedulingContext::failures(JobIndex j) const { return engine_.attempts_.failures(j); }
double SchedulingContext::rate_on(JobIndex /*j*/, std::span<const GpuIndex> gpus) const {
  return engine_.rate_on(gpus);
}

std::span<const double> SchedulingContext::gpu_load() const { return engine_.monitor_.loads(); }
std::span<const GpuIndex> SchedulingContext::gpu_load_changed() const { return engine_.monitor_.loads_changed(); }
Seconds SchedulingContext::monitor_interval() const { return engine_.options_.monitor_interval; }

void SchedulingContext::start(JobIndex j, std::span<const GpuIndex> gpus) { engine_.act_start(j, gpus); }
void SchedulingContext::preempt(JobIndex j) { engine_.act_preempt(j); }
void SchedulingContext::migrate(JobIndex j, std::span<const GpuIndex> gpus) { engine_.act_migrate(j, gpus); }
void SchedulingContext::reject(JobIndex j, const std::string& reason) { engine_.act_reject(j, reason); }
void SchedulingContext::set_timer(Seconds at, std::uint64_t tag) { engine_.act_set_timer(at, tag); }
void SchedulingContext::reserve(GpuIndex g, bool reserved) { engine_.act_reserve(g, reserved); }
void SchedulingContext::count_reservation(bool hit) { engine_.result_.count_reservation(hit); }
void SchedulingContext::set_attribute(const std::string& key, const std::string& value) {
  engine_.result_.set_attribute(key, value);
}

}  // namespace fastgpu
