#pragma once
// Small pieces the backfilling policies share: counting a job's need in whole
// GPUs, and a first-fit placement restricted to one GPU type (a reservation
// is made on one type, so a backfilled or reserved job must sometimes be
// steered to another type than the configured placement would pick).
#include <vector>

#include "policies/placement.h"
#include "sim/scheduling_context.h"

namespace fastgpu {

// GPUs a job needs, counted in wholly free GPUs (a fractional job counts as one).
inline std::uint32_t whole_gpus(const Job& job) { return job.gpu_share < 1.0f ? 1 : job.num_gpus; }

// First fit on GPUs of type t only: one node that holds the gang, else the
// first nodes of that type with free GPUs; a fractional job takes the first
// GPU of the type with room. Returns false if the job does not fit there now.
bool first_fit_on_type(const SchedulingContext& ctx, JobIndex j, TypeIndex t, std::vector<GpuIndex>& gpus);

// The same steering for a policy's `placement`: first_fit_on_type, or, when
// the placement consolidates gangs, the placement itself on type t (first fit
// would spread a gang the placement makes wait).
inline bool place_on_type(const Placement& placement, const SchedulingContext& ctx, JobIndex j, TypeIndex t,
                          std::vector<GpuIndex>& gpus) {
  // Consolidated gangs and jobs of a virtual cluster: the placement knows their nodes.
  if (placement.consolidation().on || ctx.vcs().vc_of(j) != kNoVc)
    return placement.place_on_types(ctx, j, std::uint64_t{1} << t, gpus);
  return first_fit_on_type(ctx, j, t, gpus);
}

}  // namespace fastgpu
