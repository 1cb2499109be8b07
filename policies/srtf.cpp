// srtf: preemptive shortest remaining time first, by the runtime estimate
// (shortest remaining processing time, Schrage 1968; the shortest-remaining-
// time baseline of Tiresias, Gu et al. 2019). A composition: remaining-work
// order + preemption of outranked running jobs + every job admitted.
//
// Waiting jobs start in order of estimated remaining work (jobs without an
// estimate last) while they fit. When the shortest waiting job does not fit,
// running jobs whose estimated remaining work exceeds its own by more than
// `min_gain` seconds are preempted, longest expected finish first, if that
// frees enough GPUs of one type for it; otherwise it waits (head-of-line
// blocking, so long jobs are not overtaken forever by slightly shorter ones
// that never fit). Thrashing is bounded: a job is preempted only for a job
// expected to finish at least `min_gain` earlier, and a preempted job's
// remaining work does not change while it waits, so it can never preempt its
// preemptor back.
#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/queue_policy.h"

namespace fastgpu {

namespace {

PolicyInfo srtf_policy() {
  return {
      .name = "srtf",
      .summary = "preemptive shortest remaining time first by the runtime estimate: a blocked shorter job "
                 "preempts the running jobs expected to run longest",
      .source = "shortest remaining processing time (Schrage 1968), as the shortest-remaining-time baseline of "
                "Tiresias (Gu et al., 2019)",
      .params = {placement_param(), consolidate_param(), spread_after_param(),
                 number_param("min_gain", 60.0, 0, 1e9,
                              "preempt only jobs whose estimated remaining work exceeds the waiting job's by more "
                              "than this (reference seconds; covers checkpoint + restore)"),
                 max_scan_param()},
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<QueuePolicy>(
                QueueParts{.ordering = remaining_ordering(p.get_double("min_gain")),
                           .placement = make_placement(p),
                           .preempt = true,
                           .max_scan = static_cast<std::size_t>(p.get_int("max_scan"))});
          },
  };
}

}  // namespace

FASTGPU_REGISTER_POLICY(srtf_policy);

}  // namespace fastgpu
