#include "policies/preemption.h"

#include "sim/error.h"

namespace fastgpu {

void PreemptionTracker::init(const SchedulingContext& ctx) {
  in_flight_.assign(ctx.cluster().num_types(), 0);
  type_.assign(ctx.workload().jobs.size(), 0);
  suspending_.assign(ctx.workload().jobs.size(), 0);
}

void PreemptionTracker::preempt(SchedulingContext& ctx, JobIndex j) {
  const TypeIndex t = running_type(ctx, j);
  ctx.preempt(j);
  type_[j] = t;
  suspending_[j] = 1;
  in_flight_[t] += ctx.job(j).num_gpus;
  ++preemptions_;
}

void PreemptionTracker::requeued(const SchedulingContext& ctx, JobIndex j) {
  if (!suspending_[j]) throw InternalError("preemption tracker: requeue of a job it did not preempt");
  suspending_[j] = 0;
  in_flight_[type_[j]] -= ctx.job(j).num_gpus;
}

bool enough_without_preemption(const SchedulingContext& ctx, const PreemptionTracker& tracker, JobIndex j,
                               std::vector<std::int64_t>& have) {
  const ClusterState& cluster = ctx.cluster();
  have.assign(cluster.num_types(), 0);
  const std::int64_t need = ctx.job(j).num_gpus;
  bool enough = false;
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if (!ctx.type_allowed(j, t)) continue;
    have[t] = cluster.free_gpus_of_type(t) + tracker.in_flight(t);
    enough |= have[t] >= need;
  }
  return enough;
}

}  // namespace fastgpu
