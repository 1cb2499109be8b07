// QueuePolicy with virtual clusters: one queue order, but a head that does not
// fit blocks only the rest of its own VC (as separate per-VC queues would, the
// way Helios and Philly schedule each VC), so an idle VC is not held up by a
// full one. O(pending) per decision while VCs are configured.
#include "policies/queue_policy.h"

namespace fastgpu {

void QueuePolicy::schedule_per_vc(SchedulingContext& ctx) {
  const VcPartition& vcs = ctx.vcs();
  const std::uint32_t lanes = vcs.num_vcs() + 1;  // the last: jobs without a VC
  blocked_.assign(lanes, 0);
  set_aside_.clear();
  std::uint32_t blocked = 0;
  while (!pending_.empty() && blocked < lanes) {
    const Entry top = pending_.top();
    const JobIndex head = std::get<2>(top);
    const std::uint16_t vc = vcs.vc_of(head);
    const std::uint32_t lane = vc == kNoVc ? lanes - 1 : vc;
    pending_.pop();
    if (blocked_[lane] == 0 && parts_.placement->place(ctx, head, gpus_)) {
      start(ctx, head);
      continue;
    }
    if (blocked_[lane] == 0) {
      if (parts_.preempt) preempt_for(ctx, head);
      blocked_[lane] = 1;
      ++blocked;
    }
    set_aside_.push_back(top);
  }
  for (const Entry& e : set_aside_) pending_.push(e);
}

}  // namespace fastgpu
