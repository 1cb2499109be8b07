// mct: minimum completion time, jobs in arrival order.
#include "policies/builtin.h"
#include "policies/etc_batch.h"

namespace fastgpu {

namespace {

PolicyInfo mct_policy() {
  return etc_policy_info(EtcHeuristic::mct,
                         "MCT: each batch job in arrival order to the GPU type where it would complete first "
                         "(ready time + ETC); start the jobs whose GPUs are free now");
}

}  // namespace

FASTGPU_REGISTER_POLICY(mct_policy);

}  // namespace fastgpu
