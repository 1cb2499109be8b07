#pragma once
// Consistency checks of the engine's state as a policy sees it, run after
// every simulated instant when EngineOptions::check_invariants is set.
#include "sim/scheduling_context.h"

namespace fastgpu {

// Throws InternalError when a GPU's allocation differs from the sum of its
// jobs' shares or exceeds one GPU, a running job has negative remaining work,
// or the pending set holds a job that is not pending.
void check_invariants(const SchedulingContext& ctx);

}  // namespace fastgpu
