// met: minimum execution time, ignoring load.
#include "policies/builtin.h"
#include "policies/etc_batch.h"

namespace fastgpu {

namespace {

PolicyInfo met_policy() {
  return etc_policy_info(EtcHeuristic::met,
                         "MET: each batch job in arrival order to the GPU type where it runs fastest, ignoring "
                         "how busy that type is; start the jobs whose GPUs are free now");
}

}  // namespace

FASTGPU_REGISTER_POLICY(met_policy);

}  // namespace fastgpu
