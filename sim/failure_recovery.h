#pragma once
// How a job stopped by a hardware failure goes on, and which of its
// GPU-seconds were useful. The job resumes from the later of its last
// periodic checkpoint (every `checkpoint_interval` seconds of progress on a
// speed-1 GPU, written at no cost) and the progress its current segment
// started from (a start from scratch, or a resumption from a preemption or
// migration checkpoint); the work done since is lost. A job with no progress
// saved starts again from scratch and pays no restore time.
#include <cstdint>
#include <span>
#include <vector>

#include "sim/run_result.h"
#include "sim/types.h"

namespace fastgpu {

class FailureRecovery {
 public:
  FailureRecovery(std::size_t jobs, bool active, Seconds checkpoint_interval);

  // Work (reference seconds) that survives a failure of a job that has done
  // `done_now`, its current segment having started at `done_at_segment_start`.
  double saved_work(double done_now, double done_at_segment_start) const;
  // Job j was stopped by a failure; `saved` > 0 when it resumes from a checkpoint.
  void stopped(JobIndex j, std::uint32_t preemptions, bool saved);
  // Whether a start of job j resumes from a checkpoint (and pays the restore
  // time): after a preemption since its last restart from scratch, or after a
  // failure that left progress saved.
  bool resumes(JobIndex j, std::uint32_t preemptions) const {
    if (!active_ || !stopped_[j]) return preemptions > 0;
    return from_checkpoint_[j] != 0 || preemptions > restart_preemptions_[j];
  }

 private:
  bool active_;
  Seconds interval_;
  std::vector<std::uint8_t> stopped_, from_checkpoint_;
  std::vector<std::uint32_t> restart_preemptions_;  // preemptions counted at the last stop
};

// The progress accounting of a job adds up: useful and lost GPU-seconds are
// never negative and never exceed the GPU-seconds it held (the rest is
// checkpoint and restore time). Throws InternalError naming the job. Called
// per job by the engine's final pass over its jobs.
void check_progress_accounting(const JobRecord& r);

}  // namespace fastgpu
