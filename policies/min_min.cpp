// min-min: of the pending batch, map first the job that can complete earliest.
#include "policies/builtin.h"
#include "policies/etc_batch.h"

namespace fastgpu {

namespace {

PolicyInfo min_min_policy() {
  return etc_policy_info(EtcHeuristic::min_min,
                         "Min-Min over the ETC matrix (job x GPU type): repeatedly map the batch job with the "
                         "smallest best completion time; start the jobs whose GPUs are free now");
}

}  // namespace

FASTGPU_REGISTER_POLICY(min_min_policy);

}  // namespace fastgpu
