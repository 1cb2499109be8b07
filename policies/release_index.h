#pragma once
// When each running job is expected to give back its GPUs, per GPU type, in
// time order: the input of backfilling reservations. Kept incrementally (one
// O(log n) update per start and finish) so that a reservation needs only the
// first few releases, never a scan of all running jobs.
//
// Counted in wholly free GPUs: a whole-GPU job releases its num_gpus GPUs at
// its estimated finish; a GPU shared by fractional jobs is released when its
// last tenant is expected to finish (the latest estimate among the tenants it
// has had since it was last wholly free, so the estimate errs late, never early).
// Jobs without an estimate release at kNever.
#include <cstdint>
#include <set>
#include <vector>

#include "policies/reusing_set.h"
#include "sim/scheduling_context.h"

namespace fastgpu {

class ReleaseIndex {
 public:
  struct Entry {
    Seconds time;         // estimated release (reference clock), kNever if unknown
    std::uint64_t id;     // job index, or kGpuTag | GPU index for a shared GPU
    std::uint32_t gpus;   // whole GPUs released
    bool operator<(const Entry& o) const { return time != o.time ? time < o.time : id < o.id; }
  };
  static constexpr std::uint64_t kGpuTag = 1ULL << 40;

  void init(const SchedulingContext& ctx);
  // Call right after ctx.start(j, ...), and from on_finish.
  void started(const SchedulingContext& ctx, JobIndex j);
  void finished(const SchedulingContext& ctx, JobIndex j);

  // Changes with every start and finish (for caches of derived reservations).
  std::uint64_t version() const { return version_; }
  TypeIndex type_of(JobIndex j) const { return type_[j]; }
  // Entries of GPU type t in time order. An entry's time may lie in the past
  // when a job overran its estimate: callers clamp it to now (it is expected
  // to end at any moment).
  const std::set<Entry>& of_type(TypeIndex t) const { return by_type_[t].items(); }

 private:
  using Entries = ReusingSet<Entry>;
  std::vector<Entries> by_type_;
  std::vector<Entries::iterator> job_entry_;  // per job: its entry (whole-GPU jobs)
  std::vector<std::uint8_t> indexed_;         // per job: whether job_entry_ is in the index
  std::vector<Entries::iterator> gpu_entry_;  // per GPU: its shared entry (while it has tenants)
  std::vector<GpuIndex> gpu_;            // per job: its GPU (fractional jobs; gpus_of() is empty after the finish)
  std::vector<TypeIndex> type_;          // per job: the type it runs on
  std::vector<std::uint16_t> tenants_;   // per GPU: fractional jobs on it
  std::vector<Seconds> gpu_key_;         // per GPU: release time of its shared entry
  std::uint64_t version_ = 0;
};

}  // namespace fastgpu
