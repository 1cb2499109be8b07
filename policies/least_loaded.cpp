// least-loaded: the seed's load balancing. Jobs in arrival order; each goes to
// the node, and the GPUs, with the lowest monitored load.
#include "policies/builtin_policies.h"
#include "policies/ordered_queue_policy.h"

namespace fastgpu {

PolicyInfo least_loaded_policy() {
  return {
      .name = "least-loaded",
      .summary = "FIFO order; place each job on the node and GPUs with the lowest monitored load "
                 "(busy fraction over the last engine.monitor_interval)",
      .source = "the seed's load-balancing strategy (design notes, section 3)",
      .params = {},
      .create =
          [](const PolicyParams&) {
            return std::make_unique<OrderedQueuePolicy>(
                [](const SchedulingContext& ctx, JobIndex j) { return ctx.job(j).submit; },
                std::make_unique<LeastLoadedPlacement>());
          },
  };
}

}  // namespace fastgpu
