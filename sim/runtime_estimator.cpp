#include "sim/runtime_estimator.h"

#include <cmath>

#include "sim/stable_random.h"

namespace fastgpu {

RuntimeEstimator::RuntimeEstimator(const Workload& workload, const EngineOptions& options) {
  const std::size_t n = workload.jobs.size();
  estimated_work_.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    const Job& job = workload.jobs[j];
    switch (options.estimate) {
      case EstimateKind::oracle: estimated_work_[j] = job.work; break;
      // Seeded per job index, so a job's estimate does not depend on the others.
      case EstimateKind::noisy:
        estimated_work_[j] =
            job.work * std::exp(options.estimate_sigma * stable_normal(options.seed, static_cast<std::uint64_t>(j)));
        break;
      case EstimateKind::user: estimated_work_[j] = job.requested_time; break;
      case EstimateKind::none: estimated_work_[j] = NAN; break;
    }
  }
}

}  // namespace fastgpu
