#include "sim/failure_recovery.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu {

FailureRecovery::FailureRecovery(std::size_t jobs, bool active, Seconds checkpoint_interval)
    : active_(active), interval_(checkpoint_interval) {
  if (!active_) return;
  stopped_.assign(jobs, 0);
  from_checkpoint_.assign(jobs, 0);
  restart_preemptions_.assign(jobs, 0);
}

double FailureRecovery::saved_work(double done_now, double done_at_segment_start) const {
  const double periodic = interval_ > 0 ? std::floor(done_now / interval_) * interval_ : 0.0;
  return std::clamp(std::max(periodic, done_at_segment_start), 0.0, done_now);
}

void FailureRecovery::stopped(JobIndex j, std::uint32_t preemptions, bool saved) {
  stopped_[j] = 1;
  from_checkpoint_[j] = saved ? 1 : 0;
  restart_preemptions_[j] = preemptions;
}

void check_progress_accounting(const JobRecord& r) {
  // Relative tolerance: the three are sums of many products of times.
  const double eps = 1e-6 * std::max(1.0, r.gpu_seconds);
  if (r.useful_gpu_seconds < -eps || r.lost_gpu_seconds < -eps ||
      r.useful_gpu_seconds + r.lost_gpu_seconds > r.gpu_seconds + eps) {
    throw InternalError(fmt::format("job {}: useful {} + lost {} GPU-seconds exceed the {} it held", r.id,
                                    r.useful_gpu_seconds, r.lost_gpu_seconds, r.gpu_seconds));
  }
}

}  // namespace fastgpu
