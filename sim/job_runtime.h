#pragma once
// The changing state of one job during a run, and the swap-remove lists that
// hold the pending and running jobs.
#include <cstdint>
#include <span>
#include <vector>

#include "sim/scheduling_context.h"
#include "sim/types.h"

namespace fastgpu {

inline constexpr std::uint32_t kNoSlot = UINT32_MAX;

// Remaining work is exact: it is stored at the start of the current progress
// segment and extrapolated linearly, so a preemption or migration at any
// instant splits the work with one subtraction per segment, not an
// accumulation of rounding.
struct JobRuntime {
  JobState state = JobState::not_arrived;
  bool submitted = false;          // the workload cursor passed its submit time
  std::uint32_t version = 0;       // bumped to invalidate a queued finish event
  std::uint32_t pending_slot = kNoSlot, running_slot = kNoSlot;  // positions in the JobLists
  std::uint64_t alloc_offset = 0;  // current GPUs: the engine's allocation arena [offset, offset + num_gpus)
  Seconds seg_start = 0;           // progress of the current segment starts here
  double seg_remaining = 0;        // remaining work (reference s) at seg_start
  double rate = 0;                 // reference seconds of work per second
  Seconds alloc_since = 0;         // the current allocation began here
  double attained_before = 0;      // GPU-seconds from earlier allocations
};

// An unordered set of jobs with O(1) add and remove (the last job fills the
// removed one's slot), readable as a span for the policies. Each job's slot is
// kept in its JobRuntime (member `Slot`), next to the state the same
// operations touch, which spares a cache miss per add and remove.
template <std::uint32_t JobRuntime::*Slot>
class JobList {
 public:
  explicit JobList(std::vector<JobRuntime>& runtimes) : runtimes_(runtimes) {}

  void add(JobIndex j) {
    runtimes_[j].*Slot = static_cast<std::uint32_t>(jobs_.size());
    jobs_.push_back(j);
  }
  void remove(JobIndex j) {
    const std::uint32_t at = runtimes_[j].*Slot;
    const JobIndex last = jobs_.back();
    jobs_[at] = last;
    runtimes_[last].*Slot = at;
    jobs_.pop_back();
    runtimes_[j].*Slot = kNoSlot;
  }
  std::span<const JobIndex> jobs() const { return jobs_; }
  bool empty() const { return jobs_.empty(); }
  std::size_t size() const { return jobs_.size(); }
  JobIndex front() const { return jobs_.front(); }

 private:
  std::vector<JobRuntime>& runtimes_;
  std::vector<JobIndex> jobs_;
};

}  // namespace fastgpu
