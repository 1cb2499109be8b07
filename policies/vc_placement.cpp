// Placement of a job of a virtual cluster: the same rules as
// Placement::place_on_types (one node first, then consolidated or spread
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
  if (place_filtered(ctx, j, usable, vcs.filter(j, false), gpus)) return true;
  return vcs.may_borrow(j, ctx.job(j)) && place_filtered(ctx, j, usable, vcs.filter(j, true), gpus);
}

bool Placement::place_filtered(const SchedulingContext& ctx, JobIndex j, std::uint64_t usable,
                               const VcNodeFilter& allowed, std::vector<GpuIndex>& gpus) const {
  gpus.clear();
  const Job& job = ctx.job(j);
  const ClusterState& cluster = ctx.cluster();
  if (job.gpu_share < 1.0f) {
    GpuIndex best = kNoGpu;
    std::uint64_t best_key = 0;
    for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
      if (!(usable >> t & 1)) continue;
      const GpuIndex g = cluster.best_fit_partly_used(t, job.milli_per_gpu(), [&](GpuIndex c) {
        return allowed(cluster.node_of(c)) && shared_usable(ctx, c);
      });
      if (g == kNoGpu) continue;
      const std::uint64_t key = ClusterState::partly_used_key(kMilliPerGpu - cluster.used_milli(g), g);
      if (best == kNoGpu || key < best_key) best = g, best_key = key;
    }
    if (best != kNoGpu) {
      gpus.push_back(best);
      return true;
    }
  }
  const std::uint32_t k = job.gpu_share < 1.0f ? 1 : job.num_gpus;
  if (const NodeIndex n = find_node_in(ctx, usable, k, allowed); n != kNoNode) {
    pick_on_node(ctx, n, k, gpus);
    return true;
  }
  if (k == 1) return false;
  if (consolidation().applies(job.submit, ctx.now())) {
    // As place_consolidated: a gang one node could hold waits for such a node.
    for (TypeIndex t = 0; t < cluster.num_types(); ++t)
      if ((usable >> t & 1) && cluster.max_gpus_per_node(t) >= k) return false;
    for (TypeIndex t = 0; t < cluster.num_types(); ++t)
      if ((usable >> t & 1) && cluster.free_gpus_of_type(t) >= k && place_whole_nodes_in(ctx, t, k, allowed, gpus))
        return true;
    return false;
  }
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if ((usable >> t & 1) && cluster.free_gpus_of_type(t) >= k &&
        place_spread(ctx, index_of_type(ctx, t), k, gpus, &allowed))
      return true;
  }
  gpus.clear();
  return false;
}

// As place_whole_nodes, over the allowed nodes: k / s wholly free nodes of the
// type's largest size s, plus one node with the remainder.
bool Placement::place_whole_nodes_in(const SchedulingContext& ctx, TypeIndex t, std::uint32_t k,
                                     const VcNodeFilter& allowed, std::vector<GpuIndex>& gpus) const {
  const ClusterState& cluster = ctx.cluster();
  const NodeFreeIndex& index = index_of_type(ctx, t);
  const std::uint32_t size = cluster.max_gpus_per_node(t);
  const std::uint32_t full = k / size, rest = k % size;
  NodeIndex rest_node = kNoNode;
  if (rest > 0) {
    rest_node = find_node_in(ctx, std::uint64_t{1} << t, rest, allowed);
    if (rest_node == kNoNode) return false;
  }
  std::vector<NodeIndex> whole;
  for (auto pos = index.find_first(size); pos != NodeFreeIndex::npos && whole.size() < full;
       pos = index.find_first(size, pos + 1)) {
    const NodeIndex n = index.node_at(pos);
    if (n != rest_node && allowed(n)) whole.push_back(n);
  }
  if (whole.size() < full && rest_node != kNoNode && cluster.free_gpus_on_node(rest_node) == size) {
    for (auto pos = index.find_first(rest); pos != NodeFreeIndex::npos; pos = index.find_first(rest, pos + 1)) {
      if (index.free_at(pos) < size && allowed(index.node_at(pos))) {
        whole.push_back(rest_node);
        rest_node = index.node_at(pos);
        break;
      }
    }
  }
  if (whole.size() < full) return false;
  gpus.clear();
  for (const NodeIndex n : whole) pick_on_node(ctx, n, size, gpus);
  if (rest > 0) pick_on_node(ctx, rest_node, rest, gpus);
  return true;
}

NodeIndex Placement::find_node_in(const SchedulingContext& ctx, std::uint64_t types, std::uint32_t k,
                                  const VcNodeFilter& allowed) const {
  const ClusterState& cluster = ctx.cluster();
  auto first_in = [&](const NodeFreeIndex& index) {
    for (auto pos = index.find_first(k); pos != NodeFreeIndex::npos; pos = index.find_first(k, pos + 1))
      if (allowed(index.node_at(pos))) return index.node_at(pos);
    return kNoNode;
  };
  bool all_types = true;
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) all_types &= (types >> t & 1) != 0;
  if (all_types) return first_in(index_all(ctx));
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if (!(types >> t & 1)) continue;
    if (const NodeIndex n = first_in(index_of_type(ctx, t)); n != kNoNode) return n;
  }
  return kNoNode;
}

// Best fit / spread over the allowed nodes: the fewest (most) free GPUs that
// still hold k, ties to the lowest node.
NodeIndex FitPlacement::find_node_in(const SchedulingContext& ctx, std::uint64_t types, std::uint32_t k,
                                     const VcNodeFilter& allowed) const {
  const ClusterState& cluster = ctx.cluster();
  NodeIndex best = kNoNode;
  std::uint32_t best_free = 0;
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if (!(types >> t & 1)) continue;
    const NodeFreeIndex& index = cluster.free_index(t);
    for (auto pos = index.find_first(k); pos != NodeFreeIndex::npos; pos = index.find_first(k, pos + 1)) {
      const NodeIndex n = index.node_at(pos);
      if (!allowed(n)) continue;
      const std::uint32_t free = index.free_at(pos);
      const bool better = fewest_ ? free < best_free : free > best_free;
      if (best == kNoNode || better || (free == best_free && n < best)) best = n, best_free = free;
    }
  }
  return best;
}

}  // namespace fastgpu
