#pragma once
// The swap-remove lists that hold the engine's pending and running jobs.
#include <cstdint>
#include <span>
#include <vector>

#include "sim/job_runtimes.h"
#include "sim/types.h"

namespace fastgpu {

// An unordered set of jobs with O(1) add and remove (the last job fills the
// removed one's slot), readable as a span for the policies. Each job's slot is
// kept in its JobRuntime (JobRuntime::slot, shared by the pending and the
// running list: a job is in at most one, and only a live job is in either).
class JobSlotList {
 public:
  explicit JobSlotList(JobRuntimes& runtimes) : runtimes_(runtimes) {}

  void add(JobIndex j) {
    runtimes_[j].slot = static_cast<std::uint32_t>(jobs_.size());
    jobs_.push_back(j);
  }
  void remove(JobIndex j) {
    const std::uint32_t at = runtimes_[j].slot;
    const JobIndex last = jobs_.back();
    jobs_[at] = last;
    runtimes_[last].slot = at;
    jobs_.pop_back();
    runtimes_[j].slot = kNoSlot;
  }
  std::span<const JobIndex> jobs() const { return jobs_; }
  bool empty() const { return jobs_.empty(); }
  std::size_t size() const { return jobs_.size(); }
  JobIndex front() const { return jobs_.front(); }

 private:
  JobRuntimes& runtimes_;
  std::vector<JobIndex> jobs_;
};

}  // namespace fastgpu
