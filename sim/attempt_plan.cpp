#include "sim/attempt_plan.h"

#include <algorithm>

namespace fastgpu {

AttemptPlan::AttemptPlan(const Workload& workload, bool keep_progress)
    : workload_(workload), keep_progress_(keep_progress) {
  if (workload.failed_attempts.empty()) return;
  const std::size_t n = workload.jobs.size();
  failures_.assign(n, 0);
  planned_failures_.resize(n);
  beyond_run_.assign(n, 0);
  restart_preemptions_.assign(n, 0);
  for (std::size_t j = 0; j < n; ++j)
    planned_failures_[j] = workload.trace_fields_of(static_cast<JobIndex>(j)).failed_attempts;
}

// Restart: run k makes attempt k's length, or the job's work once the
// attempts are spent. keep_progress: the job's remaining work carries over; a
// run whose attempt is at least as long as what is left completes the job.
double AttemptPlan::begin_run(JobIndex j) {
  const Job& job = workload_.jobs[j];
  const std::uint32_t k = failures_[j];
  if (!keep_progress_) {
    const double run = k < planned_failures_[j] ? workload_.failed_attempts_of(j)[k].length : job.work;
    beyond_run_[j] = job.work - run;
    return run;
  }
  const double left = k == 0 ? job.work : beyond_run_[j];
  if (k < planned_failures_[j]) {
    const double length = workload_.failed_attempts_of(j)[k].length;
    if (length < left) {
      beyond_run_[j] = left - length;
      return length;
    }
    planned_failures_[j] = k;  // the job completes during this run
  }
  beyond_run_[j] = 0;
  return left;
}

double AttemptPlan::after_failure(JobIndex j, std::uint32_t preemptions) {
  ++failures_[j];
  if (!keep_progress_) restart_preemptions_[j] = preemptions;
  return begin_run(j);
}

bool AttemptPlan::resumes(JobIndex j, std::uint32_t preemptions) const {
  if (failures_[j] == 0) return preemptions > 0;
  return keep_progress_ || preemptions > restart_preemptions_[j];
}

}  // namespace fastgpu
