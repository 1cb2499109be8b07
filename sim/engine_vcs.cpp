// Virtual clusters in the engine: the GPUs a job is started or migrated on
// must lie in its VC (or in nodes it may borrow), and with lending on, jobs
// borrowing a VC's GPUs are stopped when a job of that VC waits for them.
#include <algorithm>

#include <fmt/format.h>

#include "sim/engine.h"

namespace fastgpu {

void Engine::check_vc_gpus(JobIndex j, std::span<const GpuIndex> gpus, const char* action) const {
  const std::uint16_t vc = vcs_.vc_of(j);
  if (vc == kNoVc) return;
  const VcNodeFilter allowed = vcs_.filter(j, vcs_.may_borrow(j, workload_.jobs[j]));
  for (GpuIndex g : gpus) {
    const NodeIndex n = cluster_.node_of(g);
    if (allowed(n)) continue;
    const std::uint16_t owner = vcs_.owner_of(n);
    validator_.fail(j,
                    fmt::format("{} on GPU {} (node {}, {}) outside its virtual cluster '{}'", action, g, n,
                                owner == kNoVc ? std::string("owned by no VC")
                                               : fmt::format("VC '{}', not lending now", vcs_.name(owner)),
                                vcs_.name(vc)),
                    now_);
  }
}

// A VC lends its nodes while none of its jobs waits. When one waits and its
// VC's free GPUs plus those its borrowers hold would hold it, the borrowers
// are stopped, latest started first, until enough GPUs are free.
bool Engine::reclaim_lent_gpus() {
  const std::uint32_t n = vcs_.num_vcs();
  std::vector<std::uint32_t>& first_waiting = vc_scratch_;
  first_waiting.assign(n, kNoJob);
  for (JobIndex j : pending_.jobs()) {
    const std::uint16_t v = vcs_.vc_of(j);
    if (v != kNoVc) first_waiting[v] = std::min(first_waiting[v], j);  // the earliest submitted
  }
  for (std::uint16_t v = 0; v < n; ++v) vcs_.set_lendable(v, first_waiting[v] == kNoJob);
  bool stopped = false;
  std::vector<std::pair<JobIndex, std::uint32_t>> borrowers;  // job, its GPUs on the VC's nodes
  for (std::uint16_t v = 0; v < n; ++v) {
    if (first_waiting[v] == kNoJob) continue;
    const std::uint32_t need = workload_.jobs[first_waiting[v]].num_gpus;
    std::uint32_t free = 0;
    for (NodeIndex node : vcs_.nodes_of(v)) free += cluster_.free_gpus_on_node(node);
    if (free >= need) continue;
    borrowers.clear();
    std::uint32_t lent = 0;
    for (JobIndex j : running_.jobs()) {
      const std::uint16_t jvc = vcs_.vc_of(j);
      if (jvc == v || jvc == kNoVc) continue;  // its own, or a job without a VC (never lent to)
      std::uint32_t here = 0;
      for (GpuIndex g : gpus_held(j)) here += vcs_.owner_of(cluster_.node_of(g)) == v;
      if (here == 0) continue;
      borrowers.emplace_back(j, here);
      lent += here;
    }
    if (free + lent < need) continue;  // its own jobs hold the rest: wait for them
    // Latest started first (it loses the least work), ties by job index.
    std::sort(borrowers.begin(), borrowers.end(), [&](const auto& a, const auto& b) {
      const Seconds sa = runtimes_[a.first].alloc_since, sb = runtimes_[b.first].alloc_since;
      return sa != sb ? sa > sb : a.first > b.first;
    });
    for (const auto& [j, here] : borrowers) {
      if (free >= need) break;
      stop_borrower(j);
      vcs_.count_reclaim(v);
      free += here;
      stopped = true;
    }
  }
  return stopped;
}

// Stops at once (the owner gets its GPUs now) with the progress kept; the job
// pays the restore time when it resumes, like a preempted job.
void Engine::stop_borrower(JobIndex j) {
  JobRuntime& rt = runtimes_[j];
  rt.seg_remaining = remaining_now(j);
  release(j);
  rt.seg_start = now_;
  rt.rate = 0;
  ++rt.version;
  running_.remove(j);
  runtimes_.set_state(j, JobState::pending);
  pending_.add(j);
  ++result_.outputs(j).preemptions;
  policy_.on_reclaim(ctx_, j);
}

}  // namespace fastgpu
