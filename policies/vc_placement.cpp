// Placement of a job of a virtual cluster: the same rules as for any job
// (Placement::place_on_nodes: one node first, then consolidated or spread
// gangs, shared jobs best-fit on partly used GPUs), over the nodes of its VC
// only; with lending on, a preemptible job that finds no room there may
// borrow the nodes of VCs that have no job waiting. Every policy that places
// through a Placement gets this; the engine refuses GPUs outside the VC.
#include <vector>

#include "policies/placement.h"

namespace fastgpu {

bool Placement::place_in_vc(const SchedulingContext& ctx, JobIndex j, std::uint64_t usable,
                            std::vector<GpuIndex>& gpus) const {
  const VcPartition& vcs = ctx.vcs();
  const VcNodeFilter own = vcs.filter(j, false);
  if (place_on_nodes(ctx, j, usable, &own, gpus)) return true;
  if (!vcs.may_borrow(j, ctx.job(j))) return false;
  gpus.clear();  // a failed spread leaves the GPUs it had picked
  const VcNodeFilter borrowing = vcs.filter(j, true);
  return place_on_nodes(ctx, j, usable, &borrowing, gpus);
}

bool Placement::place_on_nodes_of(const SchedulingContext& ctx, JobIndex j, std::uint64_t type_mask,
                                  const VcNodeFilter& allowed, std::vector<GpuIndex>& gpus) const {
  gpus.clear();
  const ClusterState& cluster = ctx.cluster();
  std::uint64_t usable = 0;
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if ((type_mask >> t & 1) && ctx.type_allowed(j, t)) usable |= std::uint64_t{1} << t;
  }
  return place_on_nodes(ctx, j, usable, &allowed, gpus);
}

}  // namespace fastgpu
