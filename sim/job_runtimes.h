#pragma once
// The engine's per-job state during a run. Every job has an 8-byte status: its
// lifecycle state and where its runtime is. The progress state and the place
// of its GPUs (JobRuntime, 48 bytes) exist only while the job is live, from its
// arrival in the queue until it finishes; the runtimes of finished jobs are
// reused. A million-job run with a few thousand jobs live at a time holds 8 MB
// of this state instead of 48.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/attempt_plan.h"
#include "sim/free_memory.h"
#include "sim/job.h"
#include "sim/job_runtime.h"
#include "sim/job_state.h"
#include "sim/types.h"

namespace fastgpu {

class JobRuntimes {
 public:
  // A job's first run does `work` (or, replaying recorded failed attempts, its
  // first attempt's length, planned here for every job as the run starts).
  JobRuntimes(const std::vector<Job>& jobs, AttemptPlan& attempts);

  std::size_t size() const { return status_.size(); }
  // Frees every table: the run is over.
  void clear() {
    free_memory(status_);
    free_memory(pool_);
    free_memory(free_);
    free_memory(first_run_work_);
  }
  JobState state(JobIndex j) const { return status_[j].state; }
  void prefetch(JobIndex j) const { __builtin_prefetch(&status_[j]); }  // see Engine::prefetch_finish
  void set_state(JobIndex j, JobState s) { status_[j].state = s; }

  // The runtime of a live job (one that has begin_live and not end_live).
  JobRuntime& operator[](JobIndex j) { return pool_[live_index(j)]; }
  const JobRuntime& operator[](JobIndex j) const { return pool_[live_index(j)]; }
  // Job j becomes live with the work of its first run left. A reference to
  // another job's runtime does not survive this call.
  JobRuntime& begin_live(JobIndex j) {
    Status& s = status_[j];
    if (s.runtime != kNoRuntime) [[unlikely]] already_live(j);
    if (free_.empty()) {
      s.runtime = static_cast<std::uint32_t>(pool_.size());
      pool_.emplace_back();
    } else {
      s.runtime = free_.back();
      free_.pop_back();
      pool_[s.runtime] = JobRuntime{};
    }
    JobRuntime& rt = pool_[s.runtime];
    rt.seg_remaining = first_run_work(j);
    return rt;
  }
  // Job j has finished: its runtime goes back to the pool.
  void end_live(JobIndex j) {
    free_.push_back(live_index(j));
    status_[j].runtime = kNoRuntime;
  }

  // Remaining work (reference seconds) of job j at time `now`, in any state.
  double remaining_at(JobIndex j, Seconds now) const {
    const Status& s = status_[j];
    if (s.runtime == kNoRuntime) return s.state == JobState::finished ? 0.0 : first_run_work(j);
    const JobRuntime& rt = pool_[s.runtime];
    if (s.state != JobState::running) return rt.seg_remaining;
    const double done = rt.rate * std::max(0.0, now - rt.seg_start);
    return std::max(0.0, rt.seg_remaining - done);
  }

 private:
  static constexpr std::uint32_t kNoRuntime = UINT32_MAX;
  struct Status {
    std::uint32_t runtime = kNoRuntime;  // index into pool_ while live
    JobState state = JobState::not_arrived;
  };
  static_assert(sizeof(Status) == 8);

  // Every index but kNoRuntime came from begin_live: one comparison with a
  // constant guards every access (pool_.size() would cost a division by 48).
  std::uint32_t live_index(JobIndex j) const {
    const std::uint32_t at = status_[j].runtime;
    if (at == kNoRuntime) [[unlikely]] not_live(j);
    return at;
  }
  [[noreturn]] void not_live(JobIndex j) const;
  [[noreturn]] void already_live(JobIndex j) const;
  double first_run_work(JobIndex j) const { return first_run_work_.empty() ? jobs_[j].work : first_run_work_[j]; }

  const std::vector<Job>& jobs_;
  std::vector<Status> status_;
  std::vector<JobRuntime> pool_;
  std::vector<std::uint32_t> free_;     // pool_ entries of finished jobs, reused last-in first-out
  std::vector<double> first_run_work_;  // empty unless failed attempts are replayed
};

}  // namespace fastgpu
