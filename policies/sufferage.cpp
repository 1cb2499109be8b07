// sufferage: of the pending batch, map first the job that would lose most if
// denied its best GPU type.
#include "policies/builtin.h"
#include "policies/etc_batch.h"

namespace fastgpu {

namespace {

PolicyInfo sufferage_policy() {
  return etc_policy_info(EtcHeuristic::sufferage,
                         "Sufferage over the ETC matrix (job x GPU type): repeatedly map the batch job whose "
                         "second-best minus best completion time is largest; start the jobs whose GPUs are free now");
}

}  // namespace

FASTGPU_REGISTER_POLICY(sufferage_policy);

}  // namespace fastgpu
