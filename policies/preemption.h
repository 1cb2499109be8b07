#pragma once
// Preemption bookkeeping shared by the queue policy (policies/queue_policy.h)
// and las.
//
// A preempted job keeps its GPUs for the checkpoint time; the tracker counts
// those GPUs per type so that a waiting job does not trigger a second round of
// preemptions while the first one is still being checkpointed (which would
// preempt more jobs than needed, and thrash).
//
// Only whole-GPU jobs preempt or are preempted: freeing part of a shared GPU
// frees no whole GPU, so the count-based victim choice would not hold.
#include <cstdint>
#include <vector>

#include "sim/scheduling_context.h"

namespace fastgpu {

class PreemptionTracker {
 public:
  void init(const SchedulingContext& ctx);
  // Preempts running job j (ctx.preempt) and counts its GPUs as in flight.
  void preempt(SchedulingContext& ctx, JobIndex j);
  // From Policy::on_requeue: j's checkpoint completed, its GPUs are free.
  void requeued(const SchedulingContext& ctx, JobIndex j);
  std::int64_t in_flight(TypeIndex t) const { return in_flight_[t]; }
  std::uint64_t preemptions() const { return preemptions_; }

 private:
  std::vector<std::int64_t> in_flight_;  // per type: GPUs held by jobs being checkpointed
  std::vector<TypeIndex> type_;           // per job: the type it was preempted on
  std::vector<std::uint8_t> suspending_;  // per job
  std::uint64_t preemptions_ = 0;
};

// A job that may preempt or be preempted: whole GPUs and (for victims) preemptible.
inline bool whole_gpu_job(const Job& job) { return job.gpu_share >= 1.0f; }

// The type of the GPUs a running job holds (a gang runs on one type).
inline TypeIndex running_type(const SchedulingContext& ctx, JobIndex j) {
  return ctx.cluster().type_of(ctx.gpus_of(j).front());
}

// Fills have[t] with the whole GPUs of each allowed type t that pending job j
// can count on without preempting (free now plus in flight; 0 for types it may
// not use). True when some allowed type already has enough: wait, do not preempt.
bool enough_without_preemption(const SchedulingContext& ctx, const PreemptionTracker& tracker, JobIndex j,
                               std::vector<std::int64_t>& have);

// Chooses victims for pending job j: takes candidates from `next()` (running,
// preemptible, whole-GPU jobs in the order the policy prefers to preempt
// them; kNoJob ends the list), at most `max_scan` of them, until the victims
// on one allowed GPU type plus have[type] cover j's GPUs. Fills `victims`
// (only those on that type) and returns true, or returns false and leaves
// `victims` empty when the candidates do not suffice.
// `scratch` keeps the search's lists between calls (no allocation per call).
struct VictimScratch {
  std::vector<std::int64_t> got;                     // per type: have + the candidates' GPUs so far
  std::vector<std::pair<JobIndex, TypeIndex>> seen;  // candidates so far, with their type
};

template <class Next>
bool choose_victims(const SchedulingContext& ctx, JobIndex j, const std::vector<std::int64_t>& have,
                    std::size_t max_scan, Next&& next, std::vector<JobIndex>& victims, VictimScratch& scratch) {
  victims.clear();
  const std::int64_t need = ctx.job(j).num_gpus;
  std::vector<std::int64_t>& got = scratch.got;
  got.assign(have.begin(), have.end());
  std::vector<std::pair<JobIndex, TypeIndex>>& seen = scratch.seen;
  seen.clear();
  for (std::size_t n = 0; n < max_scan; ++n) {
    const JobIndex v = next();
    if (v == kNoJob) break;
    const TypeIndex t = running_type(ctx, v);
    if (!ctx.type_allowed(j, t)) continue;
    seen.emplace_back(v, t);
    got[t] += ctx.job(v).num_gpus;
    if (got[t] >= need) {
      for (auto [job, type] : seen) {
        if (type == t) victims.push_back(job);
      }
      return true;
    }
  }
  return false;
}

}  // namespace fastgpu
