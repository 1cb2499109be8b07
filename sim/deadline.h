#pragma once
// When a job meets its deadline: the one comparison behind the per-job
// JobRecord::deadline_met and the summary's deadline_misses.
#include "sim/types.h"

namespace fastgpu {

// It ends no later than the deadline; times within 1 ns are one instant (the
// engine's float arithmetic, as for time windows).
inline bool meets_deadline(Seconds end, Seconds deadline) { return end <= deadline + 1e-9; }

}  // namespace fastgpu
