// fifo: first come, first served with head-of-line blocking.
#include "policies/builtin_policies.h"
#include "policies/ordered_queue_policy.h"

namespace fastgpu {

PolicyInfo fifo_policy() {
  return {
      .name = "fifo",
      .summary = "first come, first served; the head job blocks the queue until it fits",
      .source = "classic baseline (design notes, section 3)",
      .params = {{.name = "placement", .default_value = std::string("first-fit"),
                  .help = "which GPUs a job gets", .choices = placement_names()}},
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<OrderedQueuePolicy>(
                [](const SchedulingContext& ctx, JobIndex j) { return ctx.job(j).submit; },
                make_placement(p.get_string("placement")));
          },
  };
}

}  // namespace fastgpu
