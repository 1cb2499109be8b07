// composed: a queue policy assembled from parts named in the config: an
// ordering (`order`), preemption of outranked running jobs (`preempt`), an
// admission (`admission`) and a placement (`placement`), so that e.g. "a
// priority order with preemption and deadline admission" is a config table,
// not new code. The named queue policies (fifo, sjf, srtf, priority) are
// fixed combinations of the same parts; docs/policies.md lists which
// combinations are valid.
#include <fmt/format.h>

#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/queue_policy.h"

namespace fastgpu {

namespace {

std::unique_ptr<Ordering> make_ordering(const PolicyParams& p) {
  const std::string& order = p.get_string("order");
  if (order == "arrival") return arrival_ordering();
  if (order == "estimate") return estimate_ordering(p.get_string("by") == "gpu-seconds");
  if (order == "remaining") return remaining_ordering(p.get_double("min_gain"));
  if (order == "priority") return priority_ordering(p.get_double("aging_per_hour"));
  if (order == "deadline") return deadline_ordering();
  return attained_ordering(parse_thresholds(p.get_string("thresholds"), "composed", "thresholds"));
}

std::unique_ptr<Admission> make_admission(const PolicyParams& p) {
  if (p.get_string("admission") == "deadline") return std::make_unique<DeadlineFeasibility>();
  return std::make_unique<AdmitAll>();
}

PolicyInfo composed_policy() {
  return {
      .name = "composed",
      .summary = "a queue policy built from parts: an order, optional preemption of outranked running jobs, "
                 "an admission test and a placement",
      .source = "composition of scheduling parts (ordering, preemption, admission, placement) in the manner of "
                "Blox (Agarwal et al., 2024)",
      .params =
          {choice_param("order", "arrival", {"arrival", "estimate", "remaining", "priority", "deadline", "attained"},
                        "which waiting job goes next"),
           flag_param("preempt", false,
                      "a blocked head preempts running jobs it outranks (order remaining, priority or deadline)"),
           choice_param("admission", "all", {"all", "deadline"},
                        "admit every job, or only jobs that can meet their deadline by estimate"),
           choice_param("on_infeasible", "reject", {"reject", "run-late"},
                        "admission = deadline: reject an infeasible job, or run it and count the miss"),
           placement_param(), consolidate_param(), spread_after_param(),
           choice_param("by", "duration", {"duration", "gpu-seconds"},
                        "order = estimate: rank by estimated duration, or by GPU-seconds"),
           number_param("aging_per_hour", 1.0, 0, 1e9, "order = priority: priority units added per hour waited"),
           number_param("min_gain", 60.0, 0, 1e9,
                        "order = remaining: preempt only jobs with this much more estimated remaining work "
                        "(reference seconds)"),
           text_param("thresholds", "3250,7200",
                      "order = attained: level boundaries in attained GPU-seconds, increasing, comma-separated"),
           max_scan_param()},
      .create =
          [](const PolicyParams& p) {
            auto ordering = make_ordering(p);
            const bool preempt = p.get_bool("preempt");
            if (preempt && !ordering->ranks_running()) {
              throw InputError(fmt::format(
                  "policy 'composed' parameter 'preempt' = true needs order = remaining, priority or deadline "
                  "(order '{}' does not rank running jobs)",
                  p.get_string("order")));
            }
            return std::make_unique<QueuePolicy>(
                QueueParts{.ordering = std::move(ordering),
                           .placement = make_placement(p),
                           .preempt = preempt,
                           .max_scan = static_cast<std::size_t>(p.get_int("max_scan")),
                           .admission = make_admission(p),
                           .reject_inadmissible = p.get_string("on_infeasible") == "reject"});
          },
  };
}

}  // namespace

FASTGPU_REGISTER_POLICY(composed_policy);

}  // namespace fastgpu
