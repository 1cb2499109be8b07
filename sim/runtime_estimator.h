#pragma once
// What the scheduler is told about job runtimes: one estimate of each job's
// work (reference-GPU seconds), fixed for the run by the configured kind.
#include <vector>

#include "sim/engine_options.h"
#include "sim/workload.h"

namespace fastgpu {

class RuntimeEstimator {
 public:
  RuntimeEstimator(const Workload& workload, const EngineOptions& options);

  // NaN when the estimator gives none (kind `none`, or `user` without a request).
  double estimated_work(JobIndex j) const { return estimated_work_[j]; }

 private:
  std::vector<double> estimated_work_;
};

}  // namespace fastgpu
