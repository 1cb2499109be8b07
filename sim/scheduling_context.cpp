// The scheduling context reads the engine's parts directly (it is the
// engine's friend); the per-job queries are inline in the header.
#include "sim/scheduling_context.h"

#include <algorithm>
#include <cmath>

#include "sim/engine.h"

namespace fastgpu {

SchedulingContext::SchedulingContext(Engine& engine)
    : engine_(engine),
      workload_(engine.workload_),
      cluster_(engine.cluster_),
      allowed_(engine.allowed_types_),
      vcs_(engine.vcs_),
      estimator_(engine.estimator_),
      runtimes_(engine.runtimes_),
      records_(engine.result_.outputs()),
      attempts_(engine.attempts_),
      now_(engine.now_) {}

std::span<const JobIndex> SchedulingContext::pending() const { return engine_.pending_.jobs(); }
std::span<const JobIndex> SchedulingContext::running() const { return engine_.running_.jobs(); }
std::span<const GpuIndex> SchedulingContext::gpus_of(JobIndex j) const {
  const JobState s = engine_.runtimes_.state(j);
  if (s != JobState::running && s != JobState::suspending) return {};
  return engine_.gpus_held(j);
}

Seconds SchedulingContext::first_start(JobIndex j) const { return engine_.result_.outputs(j).first_start; }
std::uint32_t SchedulingContext::preemptions(JobIndex j) const { return engine_.result_.outputs(j).preemptions; }
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
