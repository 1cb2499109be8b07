// The placement layer's consolidated path (see consolidation.h): every policy
// that takes a placement gets it through Placement::place_on_types, over all
// nodes or, for a job of a virtual cluster, over the nodes it may use.
#include <vector>

#include "policies/placement.h"

namespace fastgpu {

bool Placement::place_consolidated(const SchedulingContext& ctx, std::uint64_t usable, std::uint32_t k,
                                   const VcNodeFilter* allowed, std::vector<GpuIndex>& gpus) const {
  const ClusterState& cluster = ctx.cluster();
  // A gang one node of a usable type could hold waits for such a node (the
  // caller has already found none free).
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if ((usable >> t & 1) && cluster.max_gpus_per_node(t) >= k) return false;
  }
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if ((usable >> t & 1) && cluster.free_gpus_of_type(t) >= k && place_whole_nodes(ctx, t, k, allowed, gpus))
      return true;
  }
  return false;
}

// k / s wholly free nodes of the type's largest size s, plus one node with
// k % s free GPUs when s does not divide k (the fewest nodes that can hold k).
// The remainder's node is the placement's own choice, preferring a partly
// used node so that whole nodes stay whole.
bool Placement::place_whole_nodes(const SchedulingContext& ctx, TypeIndex t, std::uint32_t k,
                                  const VcNodeFilter* allowed, std::vector<GpuIndex>& gpus) const {
  const ClusterState& cluster = ctx.cluster();
  const NodeFreeIndex& index = index_of_type(ctx, t);
  auto usable = [&](NodeIndex n) { return allowed == nullptr || (*allowed)(n); };
  const std::uint32_t size = cluster.max_gpus_per_node(t);
  const std::uint32_t full = k / size, rest = k % size;
  NodeIndex rest_node = kNoNode;
  if (rest > 0) {
    rest_node = find_node(ctx, std::uint64_t{1} << t, rest, allowed);
    if (rest_node == kNoNode) return false;
  }
  std::vector<NodeIndex> whole;
  for (auto pos = index.find_first(size); pos != NodeFreeIndex::npos && whole.size() < full;
       pos = index.find_first(size, pos + 1)) {
    const NodeIndex n = index.node_at(pos);
    if (n != rest_node && usable(n)) whole.push_back(n);
  }
  // The remainder took a whole node the gang needs: move it to a partly used
  // node with room, if there is one.
  if (whole.size() < full && rest_node != kNoNode && cluster.free_gpus_on_node(rest_node) == size) {
    for (auto pos = index.find_first(rest); pos != NodeFreeIndex::npos; pos = index.find_first(rest, pos + 1)) {
      if (index.free_at(pos) < size && usable(index.node_at(pos))) {
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

}  // namespace fastgpu
