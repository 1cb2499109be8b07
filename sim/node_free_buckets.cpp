#include "sim/node_free_buckets.h"

#include <bit>

#include "sim/cluster_state.h"

namespace fastgpu {

void NodeFreeBuckets::Bitset::resize(std::uint32_t n) {
  words_.assign((n + 63) / 64, 0);
  summary_.assign((words_.size() + 63) / 64, 0);
  count_ = 0;
}

void NodeFreeBuckets::Bitset::insert(std::uint32_t pos) {
  std::uint64_t& w = words_[pos / 64];
  const std::uint64_t bit = std::uint64_t{1} << (pos % 64);
  if (w & bit) return;
  w |= bit;
  summary_[pos / 4096] |= std::uint64_t{1} << (pos / 64 % 64);
  ++count_;
}

void NodeFreeBuckets::Bitset::erase(std::uint32_t pos) {
  std::uint64_t& w = words_[pos / 64];
  const std::uint64_t bit = std::uint64_t{1} << (pos % 64);
  if (!(w & bit)) return;
  w &= ~bit;
  if (w == 0) summary_[pos / 4096] &= ~(std::uint64_t{1} << (pos / 64 % 64));
  --count_;
}

std::uint32_t NodeFreeBuckets::Bitset::lowest() const {
  for (std::size_t s = 0;; ++s) {
    if (summary_[s] == 0) continue;
    const std::size_t word = s * 64 + static_cast<std::size_t>(std::countr_zero(summary_[s]));
    return static_cast<std::uint32_t>(word * 64 + static_cast<std::size_t>(std::countr_zero(words_[word])));
  }
}

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
    for (Bitset& g : groups_[t]) g.resize(static_cast<std::uint32_t>(nodes_[t].size()));
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
