#include "sim/runtime_estimator.h"

#include <cmath>

#include "sim/huge_pages.h"
#include "sim/stable_random.h"

namespace fastgpu {

RuntimeEstimator::RuntimeEstimator(const Workload& workload, const EngineOptions& options)
    : workload_(workload), kind_(options.estimate) {
  if (kind_ != EstimateKind::noisy) return;
  const std::size_t n = workload.jobs.size();
  reserve_huge_pages(noisy_work_, n);
  noisy_work_.resize(n);
  // Seeded per job index, so a job's estimate does not depend on the others.
  for (std::size_t j = 0; j < n; ++j) {
    noisy_work_[j] = workload.jobs[j].work *
                     std::exp(options.estimate_sigma * stable_normal(options.seed, static_cast<std::uint64_t>(j)));
  }
}

}  // namespace fastgpu
