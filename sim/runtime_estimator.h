#pragma once
// What the scheduler is told about job runtimes: one estimate of each job's
// work (reference-GPU seconds), fixed for the run by the configured kind.
#include <cmath>
#include <vector>

#include "sim/engine_options.h"
#include "sim/workload.h"

namespace fastgpu {

class RuntimeEstimator {
 public:
  RuntimeEstimator(const Workload& workload, const EngineOptions& options);

  // NaN when the estimator gives none (kind `none`, or `user` without a request).
  double estimated_work(JobIndex j) const {
    switch (kind_) {
      case EstimateKind::oracle: return workload_.jobs[j].work;
      case EstimateKind::user: return workload_.trace_fields_of(j).requested_time;
      case EstimateKind::noisy: return noisy_work_[j];
      case EstimateKind::none: break;
    }
    return NAN;
  }

 private:
  // Only noisy estimates need a table (8 bytes a job); the others are read
  // from the job.
  const Workload& workload_;
  EstimateKind kind_;
  std::vector<double> noisy_work_;
};

}  // namespace fastgpu
