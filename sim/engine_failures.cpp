// Runs that end in failure. The allocation ends, its GPU-seconds count as
// failed, and the job is pending again with the work of its next run: from
// scratch, or with its progress kept (AttemptPlan). The policy hears of it
// through Policy::on_failure.
#include <cmath>

#include "sim/engine.h"

namespace fastgpu {

void Engine::fail_allocation(JobIndex j) {
  JobRuntime& rt = jobs_[j];
  JobRecord& r = result_.job(j);
  release(j);
  // Runs are sequential, so everything the job held so far went to runs that failed.
  r.failed_gpu_seconds = r.gpu_seconds;
  r.final_start = NAN;  // the next start begins the next run
  running_.remove(j);
  rt.seg_remaining = attempts_.after_failure(j, r.preemptions);
  rt.seg_start = now_;
  rt.rate = 0;
  ++rt.version;
  rt.state = JobState::pending;
  pending_.add(j);
  policy_.on_failure(ctx_, j);
}

}  // namespace fastgpu
