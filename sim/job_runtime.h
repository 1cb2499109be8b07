#pragma once
// The changing state of one job during a run.
#include <algorithm>
#include <cstdint>

#include "sim/job_state.h"
#include "sim/types.h"

namespace fastgpu {

inline constexpr std::uint32_t kNoSlot = UINT32_MAX;  // not in a JobSlotList

// Remaining work is exact: it is stored at the start of the current progress
// segment and extrapolated linearly, so a preemption or migration at any
// instant splits the work with one subtraction per segment, not an
// accumulation of rounding.
//
// 48 bytes (a million jobs touch 48 MB, not 64): a job is pending or running,
// never both, so one slot serves both lists; the GPU-seconds of earlier
// allocations are the job's JobRecord::gpu_seconds (the same sums in the same
// order); whether the job was submitted is the engine's arrival cursor.
struct JobRuntime {
  JobState state = JobState::not_arrived;
  std::uint32_t version = 0;       // bumped to invalidate a queued finish event
  std::uint32_t slot = kNoSlot;    // position in the engine's pending or running JobSlotList
  std::uint32_t alloc_offset = 0;  // current GPUs: the engine's allocation arena [offset, offset + num_gpus)
  Seconds seg_start = 0;           // progress of the current segment starts here
  double seg_remaining = 0;        // remaining work (reference s) at seg_start
  double rate = 0;                 // reference seconds of work per second
  Seconds alloc_since = 0;         // the current allocation began here

  // Remaining work (reference seconds) at time `now`.
  double remaining_at(Seconds now) const {
    if (state != JobState::running) return seg_remaining;
    const double done = rate * std::max(0.0, now - seg_start);
    return std::max(0.0, seg_remaining - done);
  }
};
static_assert(sizeof(JobRuntime) == 48);

}  // namespace fastgpu
