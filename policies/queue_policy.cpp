#include "policies/queue_policy.h"

#include <string>

#include "sim/error.h"

namespace fastgpu {

QueuePolicy::QueuePolicy(QueueParts parts)
    : parts_(std::move(parts)), admit_all_(dynamic_cast<const AdmitAll*>(parts_.admission.get()) != nullptr) {
  if (parts_.preempt && !parts_.ordering->ranks_running()) {
    throw InternalError("queue policy: preemption needs an ordering that ranks running jobs");
  }
}

void QueuePolicy::init(SchedulingContext& ctx) {
  parts_.placement->init(ctx);
  parts_.ordering->init(ctx);
  parts_.admission->init(ctx, parts_.preempt);
  // Per-job preemption state only where this policy preempts: a million-job
  // fifo run would otherwise touch tens of MB it never reads.
  if (!parts_.preempt) return;
  tracker_.init(ctx);
  running_.resize(ctx.workload().jobs.size());
}

void QueuePolicy::on_arrival(SchedulingContext& ctx, JobIndex j) {
  const Rank rank = parts_.ordering->rank(ctx, j, true);
  if (admit_all_) {
    push(j, rank);
    return;
  }
  const bool nobody_ahead = pending_.empty() || Rank{std::get<0>(pending_.top()), std::get<1>(pending_.top())} > rank;
  if (!parts_.admission->admissible(ctx, j, nobody_ahead)) {
    if (parts_.reject_inadmissible) {
      ctx.reject(j, parts_.admission->reject_reason());
      ++rejected_;
      return;
    }
    ++admitted_infeasible_;
  }
  push(j, rank);
  parts_.admission->enqueued(ctx, j);
}

void QueuePolicy::on_requeue(SchedulingContext& ctx, JobIndex j) {
  if (parts_.preempt) tracker_.requeued(ctx, j);  // only this policy's preemptions requeue a job
  push(j, parts_.ordering->rank(ctx, j, false));
  if (!admit_all_) parts_.admission->enqueued(ctx, j);
}

void QueuePolicy::on_finish(SchedulingContext&, JobIndex j) {
  forget(j);
  if (!admit_all_) parts_.admission->left_running(j);
}

void QueuePolicy::schedule(SchedulingContext& ctx) {
  if (ctx.vcs().active()) {
    schedule_per_vc(ctx);
    return;
  }
  while (!pending_.empty()) {
    const JobIndex head = std::get<2>(pending_.top());
    if (parts_.placement->place(ctx, head, gpus_)) {
      pending_.pop();
      start(ctx, head);
      continue;
    }
    if (parts_.preempt) preempt_for(ctx, head);
    break;
  }
}

std::map<std::string, std::string> QueuePolicy::attributes() const {
  std::map<std::string, std::string> out;
  if (parts_.ordering->ranks_running()) out["preemptions"] = std::to_string(tracker_.preemptions());
  if (parts_.admission->refuses()) {
    out["rejected"] = std::to_string(rejected_);
    out["admitted_infeasible"] = std::to_string(admitted_infeasible_);
  }
  return out;
}

void QueuePolicy::push(JobIndex j, const Rank& rank) { pending_.push({rank.key, rank.tie, j}); }

void QueuePolicy::start(SchedulingContext& ctx, JobIndex j) {
  parts_.ordering->starting(ctx, j);
  ctx.start(j, gpus_);
  if (!admit_all_) parts_.admission->started(ctx, j);
  const Job& job = ctx.job(j);
  if (!parts_.preempt || !job.preemptible || !whole_gpu_job(job)) return;
  const std::optional<VictimRank> rank = parts_.ordering->victim_rank(ctx, j);
  if (!rank) return;
  running_.insert(j, {*rank, j});
}

void QueuePolicy::forget(JobIndex j) {
  if (parts_.preempt) running_.erase(j);
}

void QueuePolicy::preempt_for(SchedulingContext& ctx, JobIndex head) {
  if (!whole_gpu_job(ctx.job(head))) return;
  if (enough_without_preemption(ctx, tracker_, head, have_)) return;  // checkpoints in flight
  const Ordering& ordering = *parts_.ordering;
  if (!ordering.may_preempt_for(ctx, head)) return;
  const auto& running = running_.ordered();
  auto it = running.begin();
  // With virtual clusters only the head's own VC's jobs free GPUs it may use.
  const VcPartition& vcs = ctx.vcs();
  const std::uint16_t head_vc = vcs.vc_of(head);
  auto next = [&]() -> JobIndex {
    while (it != running.end() && ordering.outranks(ctx, head, it->second)) {
      const JobIndex v = (it++)->second;
      if (head_vc == kNoVc || vcs.vc_of(v) == head_vc) return v;
    }
    return kNoJob;
  };
  if (!choose_victims(ctx, head, have_, parts_.max_scan, next, victims_, victim_scratch_)) return;
  for (JobIndex v : victims_) {
    forget(v);
    tracker_.preempt(ctx, v);
    if (!admit_all_) parts_.admission->left_running(v);
  }
}

}  // namespace fastgpu
