// Runs that end in failure. A recorded failed attempt ends its run: the
// allocation ends, its GPU-seconds count as failed, and the job is pending
// again with the work of its next run: from scratch, or with its progress
// kept (AttemptPlan). A hardware failure stops every job on the failed GPUs:
// each goes back to its last checkpoint (FailureRecovery) and queues again,
// and the GPUs stay out of service until repaired. The policy hears of both
// through Policy::on_failure.
#include <algorithm>
#include <cmath>

#include "sim/engine.h"

namespace fastgpu {

void Engine::fail_allocation(JobIndex j) {
  JobRuntime& rt = runtimes_[j];
  JobOutputs& r = result_.outputs(j);
  FailureOutputs& f = result_.failure_outputs(j);
  count_progress(j);
  if (!attempts_.keep_progress()) {
    // From scratch: everything this run did is thrown away.
    f.lost_gpu_seconds += r.useful_gpu_seconds - useful_at_run_start_[j];
    r.useful_gpu_seconds = useful_at_run_start_[j];
  }
  release(j);
  // Runs are sequential, so everything the job held so far went to runs that failed.
  f.failed_gpu_seconds = r.gpu_seconds;
  f.final_start = NAN;  // the next start begins the next run
  running_.remove(j);
  rt.seg_remaining = attempts_.after_failure(j, r.preemptions);
  rt.seg_start = now_;
  rt.rate = 0;
  ++rt.version;
  runtimes_.set_state(j, JobState::pending);
  pending_.add(j);
  useful_at_run_start_[j] = r.useful_gpu_seconds;
  policy_.on_failure(ctx_, j);
}

void Engine::hardware_change() {
  const HardwareFailures::Change c = hardware_.pop();
  const GpuIndex first = c.first_gpu, last = c.first_gpu + c.gpus;
  if (c.fails) {
    std::vector<JobIndex> stopped;
    for (JobIndex j : running_.jobs()) {
      const auto held = gpus_held(j);
      if (std::any_of(held.begin(), held.end(), [&](GpuIndex g) { return g >= first && g < last; }))
        stopped.push_back(j);
    }
    for (JobIndex j : stopped) stop_by_failure(j);
  }
  // A job still writing its preemption checkpoint keeps its GPUs until it
  // is done; a failed GPU it releases stays out of service.
  for (GpuIndex g = first; g < last; ++g) {
    monitor_.before_change(g, now_);
    cluster_.set_failed(g, c.fails);
    monitor_.after_change(g);
  }
  cluster_.update_indexes();
}

void Engine::stop_by_failure(JobIndex j) {
  JobRuntime& rt = runtimes_[j];
  JobOutputs& r = result_.outputs(j);
  FailureOutputs& f = result_.failure_outputs(j);
  const Job& job = workload_.jobs[j];
  const double done_now = job.work - remaining_now(j);
  const double done_at_segment_start = job.work - rt.seg_remaining;
  const double saved = recovery_.saved_work(done_now, done_at_segment_start);
  // The progress since the segment began, split at the saved point (the
  // segment ran at one rate, and its start was itself saved).
  const double progressed = std::max(0.0, now_ - rt.seg_start);
  const double lost = std::min(progressed, (done_now - saved) / rt.rate);
  r.useful_gpu_seconds += allocated_gpus(j) * (progressed - lost);
  f.lost_gpu_seconds += allocated_gpus(j) * lost;
  ++f.failure_stops;
  release(j);
  running_.remove(j);
  rt.seg_remaining = job.work - saved;
  rt.seg_start = now_;
  rt.rate = 0;
  ++rt.version;
  runtimes_.set_state(j, JobState::pending);
  pending_.add(j);
  recovery_.stopped(j, r.preemptions, saved > 0);
  policy_.on_failure(ctx_, j);
}

}  // namespace fastgpu
