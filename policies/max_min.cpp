// max-min: of the pending batch, map first the job whose best completion is latest.
#include "policies/builtin.h"
#include "policies/etc_batch.h"

namespace fastgpu {

namespace {

PolicyInfo max_min_policy() {
  return etc_policy_info(EtcHeuristic::max_min,
                         "Max-Min over the ETC matrix (job x GPU type): repeatedly map the batch job with the "
                         "largest best completion time; start the jobs whose GPUs are free now");
}

}  // namespace

FASTGPU_REGISTER_POLICY(max_min_policy);

}  // namespace fastgpu
