#include "sim/job_runtimes.h"

#include <fmt/format.h>

#include "sim/error.h"
#include "sim/huge_pages.h"

namespace fastgpu {

JobRuntimes::JobRuntimes(const std::vector<Job>& jobs, AttemptPlan& attempts) : jobs_(jobs) {
  reserve_huge_pages(status_, jobs.size());
  status_.resize(jobs.size());
  if (attempts.active()) {
    first_run_work_.resize(jobs.size());
    for (JobIndex j = 0; j < jobs.size(); ++j) first_run_work_[j] = attempts.first_run_work(j);
  }
}

void JobRuntimes::not_live(JobIndex j) const {
  throw InternalError(fmt::format("job index {} has no runtime (state {})", j, static_cast<int>(status_[j].state)));
}

void JobRuntimes::already_live(JobIndex j) const {
  throw InternalError(fmt::format("job index {} is already live", j));
}

}  // namespace fastgpu
