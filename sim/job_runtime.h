#pragma once
// The progress state of one live job (queued, running or suspending).
#include <cstdint>

#include "sim/types.h"

namespace fastgpu {

inline constexpr std::uint32_t kNoSlot = UINT32_MAX;   // not in a JobSlotList
inline constexpr std::uint32_t kNoRange = UINT32_MAX;  // no place in the allocation arena yet

// Remaining work is exact: it is stored at the start of the current progress
// segment and extrapolated linearly, so a preemption or migration at any
// instant splits the work with one subtraction per segment, not an
// accumulation of rounding.
//
// A job is pending or running, never both, so one slot serves both lists; the
// GPU-seconds of earlier allocations are the job's JobRecord::gpu_seconds (the
// same sums in the same order). The job's lifecycle state is kept for every
// job in JobRuntimes, beside this.
struct JobRuntime {
  std::uint32_t version = 0;           // bumped to invalidate a queued finish event
  std::uint32_t slot = kNoSlot;        // position in the engine's pending or running JobSlotList
  std::uint32_t alloc_offset = kNoRange;  // its GPUs: the engine's allocation arena [offset, offset + num_gpus),
                                          // the job's from its first start until it ends
  Seconds seg_start = 0;               // progress of the current segment starts here
  double seg_remaining = 0;            // remaining work (reference s) at seg_start
  double rate = 0;                     // reference seconds of work per second
  Seconds alloc_since = 0;             // the current allocation began here
};
static_assert(sizeof(JobRuntime) == 48);

}  // namespace fastgpu
