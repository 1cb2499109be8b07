// sjf: shortest (estimated) job first, non-preemptive: estimate order, no
// preemption, every job admitted.
#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/queue_policy.h"

namespace fastgpu {

namespace {

PolicyInfo sjf_policy() {
  return {
      .name = "sjf",
      .summary = "shortest job first by the runtime estimate (GPU-seconds or duration); jobs without an "
                 "estimate go last in arrival order",
      .source = "classic shortest-job-first baseline: estimate order, head-of-line blocking, no preemption",
      .params = {placement_param(), consolidate_param(), spread_after_param(),
                 choice_param("by", "duration", {"duration", "gpu-seconds"},
                              "rank by estimated duration, or by GPU-seconds (duration x GPUs)")},
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<QueuePolicy>(
                QueueParts{.ordering = estimate_ordering(p.get_string("by") == "gpu-seconds"),
                           .placement = make_placement(p)});
          },
  };
}

}  // namespace

FASTGPU_REGISTER_POLICY(sjf_policy);

}  // namespace fastgpu
