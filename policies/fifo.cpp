// fifo: first come, first served with head-of-line blocking: arrival order,
// no preemption, every job admitted.
#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/queue_policy.h"

namespace fastgpu {

namespace {

PolicyInfo fifo_policy() {
  return {
      .name = "fifo",
      .summary = "first come, first served; the head job blocks the queue until it fits",
      .source = "classic first-come-first-served baseline: arrival order, head-of-line blocking",
      .params = {placement_param(), consolidate_param(), spread_after_param()},
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<QueuePolicy>(
                QueueParts{.ordering = arrival_ordering(), .placement = make_placement(p)});
          },
  };
}

}  // namespace

FASTGPU_REGISTER_POLICY(fifo_policy);

}  // namespace fastgpu
