// sjf: shortest (estimated) job first, non-preemptive.
#include <cmath>

#include "policies/builtin_policies.h"
#include "policies/ordered_queue_policy.h"

namespace fastgpu {

PolicyInfo sjf_policy() {
  return {
      .name = "sjf",
      .summary = "shortest job first by the runtime estimate (GPU-seconds or duration); jobs without an "
                 "estimate go last in arrival order",
      .source = "classic baseline (design notes, section 3)",
      .params = {{.name = "placement", .default_value = std::string("first-fit"),
                  .help = "which GPUs a job gets", .choices = placement_names()},
                 {.name = "by", .default_value = std::string("duration"),
                  .help = "rank by estimated duration, or by GPU-seconds (duration x GPUs)",
                  .choices = {"duration", "gpu-seconds"}}},
      .create =
          [](const PolicyParams& p) {
            const bool by_area = p.get_string("by") == "gpu-seconds";
            return std::make_unique<OrderedQueuePolicy>(
                [by_area](const SchedulingContext& ctx, JobIndex j) {
                  const double estimate = ctx.estimated_remaining_work(j);
                  if (std::isnan(estimate)) return kNever;
                  return by_area ? estimate * ctx.job(j).num_gpus * ctx.job(j).gpu_share : estimate;
                },
                make_placement(p.get_string("placement")));
          },
  };
}

}  // namespace fastgpu
