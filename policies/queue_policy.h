#pragma once
// The generic queue policy, composed of swappable parts:
//   ordering   which waiting job goes next (policies/parts/ordering.h);
//   preemption none, or: a blocked head preempts running jobs it outranks;
//   admission  whether an arriving job joins the queue (policies/parts/admission.h);
//   placement  which GPUs a job gets (policies/placement.h).
// Waiting jobs sit in a RankQueue by their rank, fixed when they enter it, and
// start in that order while the placement finds GPUs, stopping at the first
// job that does not fit (head-of-line blocking, so no job is overtaken and
// starved). O(log n) per job; a blocked head costs one placement attempt per
// instant, plus one victim search when preemptive.
//
// Preemption: only whole-GPU jobs preempt or are preempted (freeing part of a
// shared GPU frees no whole GPU). The blocked head takes victims in the
// ordering's victim order, at most `max_scan` of them, while it outranks
// them, if that gathers enough GPUs of one type it may use; GPUs still being
// checkpointed count as available, so one blocked job triggers one round.
#include <cstdint>
#include <memory>
#include <tuple>
#include <vector>

#include "policies/parts/admission.h"
#include "policies/parts/ordering.h"
#include "policies/placement.h"
#include "policies/preemption.h"
#include "policies/rank_queue.h"
#include "policies/deferred_set.h"
#include "sim/policy.h"

namespace fastgpu {

struct QueueParts {
  std::unique_ptr<Ordering> ordering{};
  std::unique_ptr<Placement> placement{};
  bool preempt = false;             // needs ordering->ranks_running()
  std::size_t max_scan = 64;        // victims examined per blocked head
  std::unique_ptr<Admission> admission = std::make_unique<AdmitAll>();
  bool reject_inadmissible = true;  // false: admit it anyway and count it
};

class QueuePolicy final : public Policy {
 public:
  explicit QueuePolicy(QueueParts parts);

  void init(SchedulingContext& ctx) override;
  void finish(SchedulingContext& ctx) override { parts_.placement->finish(ctx); }
  void on_monitor(SchedulingContext& ctx) override { parts_.placement->on_monitor(ctx); }
  void on_arrival(SchedulingContext& ctx, JobIndex j) override;
  void on_requeue(SchedulingContext& ctx, JobIndex j) override;
  void on_finish(SchedulingContext& ctx, JobIndex j) override;
  void schedule(SchedulingContext& ctx) override;
  // Orderings that can preempt report "preemptions"; a deadline admission
  // reports the jobs it rejected or admitted although infeasible.
  std::map<std::string, std::string> attributes() const override;

 private:
  void push(JobIndex j, const Rank& rank);
  void start(SchedulingContext& ctx, JobIndex j);
  void forget(JobIndex j);
  void preempt_for(SchedulingContext& ctx, JobIndex head);
  // With virtual clusters each VC queues on its own: a head that does not fit
  // blocks only the jobs of its own VC (queue_policy_vcs.cpp).
  void schedule_per_vc(SchedulingContext& ctx);

  QueueParts parts_;
  // Every job admitted and no admission hooks (AdmitAll): the per-job calls
  // into the admission are skipped.
  bool admit_all_;
  PreemptionTracker tracker_;
  using Entry = RankQueue::Entry;
  RankQueue pending_;
  // Possible victims, first preempted first; ordered only when a blocked head looks for victims.
  DeferredSet<std::pair<VictimRank, JobIndex>> running_;
  std::vector<std::int64_t> have_;
  std::vector<JobIndex> victims_;
  VictimScratch victim_scratch_;
  std::vector<GpuIndex> gpus_;
  std::vector<Entry> set_aside_;             // schedule_per_vc: entries of blocked VCs, pushed back after
  std::vector<std::uint8_t> blocked_;        // schedule_per_vc: per VC (+1 for jobs without one)
  std::uint64_t rejected_ = 0, admitted_infeasible_ = 0;
};

}  // namespace fastgpu
