#pragma once
// Which runs of a job end in failure. A job may carry recorded failed attempts
// (JobTraceFields::failed_attempts): its first runs each make `length` seconds of
// progress (reference GPUs) and then their allocation ends in failure; the job
// queues again and its last run completes it. After a failure the job starts
// from scratch, or, with keep_progress, keeps the progress made (as if it had
// been checkpointed at the failure).
//
// The engine tracks one number per running job, the work left until its
// current run ends (JobRuntime::seg_remaining); the plan says how much work a
// run gets and whether its end is a failure or the job's completion. Failures
// of other origins (a GPU or node that fails) end a run the same way
// (Engine::fail_allocation) and differ only in when the run ends.
#include <cstdint>
#include <vector>

#include "sim/workload.h"

namespace fastgpu {

class AttemptPlan {
 public:
  AttemptPlan(const Workload& workload, bool keep_progress);

  // Whether any job has failed attempts. When not, no other member is needed
  // and the engine behaves as if the plan did not exist.
  bool active() const { return !failures_.empty(); }
  bool keep_progress() const { return keep_progress_; }

  // Work (reference seconds) job j's first run makes before it ends.
  double first_run_work(JobIndex j) { return begin_run(j); }
  // Whether job j's current run ends in failure when its work runs out.
  bool run_fails(JobIndex j) const { return failures_[j] < planned_failures_[j]; }
  // Job j's current run failed (the engine released its GPUs); `preemptions`
  // is its count so far. Returns the work of its next run.
  double after_failure(JobIndex j, std::uint32_t preemptions);
  // Failed runs of job j so far.
  std::uint32_t failures(JobIndex j) const { return active() ? failures_[j] : 0; }
  // Whether a start of job j resumes from a checkpoint (and pays the restore
  // time): after a preemption since its last restart from scratch, or after a
  // failure that kept its progress.
  bool resumes(JobIndex j, std::uint32_t preemptions) const;
  // The job's own remaining work beyond its current run (restart: the work
  // the run does not count towards the job, negative when the failing run is
  // longer than the job; keep_progress: what is left after the run).
  double work_beyond_run(JobIndex j) const { return active() ? beyond_run_[j] : 0.0; }

 private:
  double begin_run(JobIndex j);

  const Workload& workload_;
  bool keep_progress_;
  std::vector<std::uint32_t> failures_;           // failed runs so far
  std::vector<std::uint32_t> planned_failures_;   // failed runs in all (keep_progress: fewer when the job completes first)
  std::vector<double> beyond_run_;                // see work_beyond_run
  std::vector<std::uint32_t> restart_preemptions_;  // preemptions counted at the last restart from scratch
};

}  // namespace fastgpu
