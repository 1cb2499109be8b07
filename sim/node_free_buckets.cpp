#include "sim/node_free_buckets.h"

#include "sim/cluster_state.h"

namespace fastgpu {

void NodeFreeBuckets::reset(const ClusterState& cluster) {
  const std::uint32_t types = cluster.num_types(), nodes = cluster.num_nodes();
  nodes_.assign(types, {});
  type_.resize(nodes);
  position_.resize(nodes);
  free_.resize(nodes);
  for (NodeIndex n = 0; n < nodes; ++n) {
    type_[n] = cluster.type_of_node(n);
    position_[n] = static_cast<std::uint32_t>(nodes_[type_[n]].size());
    nodes_[type_[n]].push_back(n);
  }
  groups_.assign(types, {});
  for (TypeIndex t = 0; t < types; ++t) {
    groups_[t].resize(cluster.max_gpus_per_node(t) + 1);
    for (TwoLevelBitset& g : groups_[t]) g.resize(static_cast<std::uint32_t>(nodes_[t].size()));
  }
  for (NodeIndex n = 0; n < nodes; ++n) {
    free_[n] = cluster.free_gpus_on_node(n);
    groups_[type_[n]][free_[n]].insert(position_[n]);
  }
}

void NodeFreeBuckets::update(NodeIndex node, std::uint32_t free) {
  if (free_[node] == free) return;
  auto& groups = groups_[type_[node]];
  groups[free_[node]].erase(position_[node]);
  groups[free].insert(position_[node]);
  free_[node] = free;
}

NodeIndex NodeFreeBuckets::find(TypeIndex t, std::uint32_t k, bool fewest, std::uint32_t& free_out) const {
  const auto& groups = groups_[t];
  const std::uint32_t top = static_cast<std::uint32_t>(groups.size()) - 1;
  for (std::uint32_t i = 0; k + i <= top; ++i) {
    const std::uint32_t c = fewest ? k + i : top - i;
    if (!groups[c].empty()) {
      free_out = c;
      return nodes_[t][groups[c].lowest()];
    }
  }
  return kNoNode;
}

}  // namespace fastgpu
