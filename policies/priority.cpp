// priority: strict priority (Job::priority, higher first) with aging and
// optional preemption, the classic priority scheduler with aging (as in
// Slurm's multifactor "age" factor). A composition: priority order +
// optional preemption of lower-priority running jobs + every job admitted.
//
// A job's effective priority is its priority plus `aging_per_hour` for every
// hour it has spent waiting in the queue (all its waits, summed); equal
// effective priorities go in arrival order. Jobs start in that order while
// they fit (head-of-line blocking, so a large high-priority job is not starved
// by smaller ones). With `preempt = true`, a blocked head preempts running
// preemptible jobs of strictly lower base priority (lowest priority first,
// most recently started first among equals) when that frees enough GPUs of
// one type. Comparing base priorities (not aged ones) bounds thrashing: a
// victim can never preempt its preemptor back.
#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/queue_policy.h"

namespace fastgpu {

namespace {

PolicyInfo priority_policy() {
  return {
      .name = "priority",
      .summary = "strict priority (higher first) with aging: effective priority grows with the time waited; "
                 "optionally preempts lower-priority preemptible jobs for a blocked higher one",
      .source = "classic priority scheduling with aging: waiting time raises a job's effective priority so "
                "low-priority jobs are not starved",
      .params = {placement_param(), consolidate_param(), spread_after_param(),
                 number_param("aging_per_hour", 1.0, 0, 1e9, "priority units added per hour waited (0 = no aging)"),
                 flag_param("preempt", false,
                            "preempt running preemptible jobs of lower priority for a blocked higher one"),
                 max_scan_param()},
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<QueuePolicy>(
                QueueParts{.ordering = priority_ordering(p.get_double("aging_per_hour")),
                           .placement = make_placement(p),
                           .preempt = p.get_bool("preempt"),
                           .max_scan = static_cast<std::size_t>(p.get_int("max_scan"))});
          },
  };
}

}  // namespace

FASTGPU_REGISTER_POLICY(priority_policy);

}  // namespace fastgpu
