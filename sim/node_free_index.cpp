#include "sim/node_free_index.h"

#include <algorithm>

namespace fastgpu {

NodeFreeIndex::NodeFreeIndex(std::span<const NodeIndex> order, std::span<const std::uint32_t> free_of) {
  reorder(order, free_of);
}

void NodeFreeIndex::reorder(std::span<const NodeIndex> order, std::span<const std::uint32_t> free_of) {
  if (covers_same_nodes(order, free_of)) {
    // Only the positions whose node or count changed are rewritten: a
    // load-aware re-order moves few nodes, and the levels keep their storage.
    for (std::uint32_t p = 0; p < order.size(); ++p) {
      const NodeIndex n = order[p];
      if (order_[p] == n && free_[p] == free_of[n]) continue;
      order_[p] = n;
      pos_of_[n] = p;
      set_free_at(p, free_of[n]);
    }
    return;
  }
  order_.assign(order.begin(), order.end());
  pos_of_.assign(free_of.size(), npos);
  free_.assign(order_.size(), 0);
  levels_.clear();
  std::uint32_t most = 0;
  for (std::uint32_t p = 0; p < order_.size(); ++p) {
    pos_of_[order_[p]] = p;
    most = std::max(most, free_of[order_[p]]);
  }
  add_levels(most);
  for (std::uint32_t p = 0; p < order_.size(); ++p) {
    free_[p] = free_of[order_[p]];
    for (std::uint32_t k = 1; k <= free_[p]; ++k) levels_[k - 1].insert(p);
  }
}

// Every node of `order` already covered and as many nodes: a permutation of
// the covered set (an order lists each node once).
bool NodeFreeIndex::covers_same_nodes(std::span<const NodeIndex> order, std::span<const std::uint32_t> free_of) const {
  if (order.size() != order_.size() || free_of.size() != pos_of_.size()) return false;
  return std::all_of(order.begin(), order.end(), [&](NodeIndex n) { return n < pos_of_.size() && pos_of_[n] != npos; });
}

void NodeFreeIndex::add_levels(std::uint32_t k) {
  while (levels_.size() < k) {
    levels_.emplace_back();
    levels_.back().resize(size());
  }
}

// The highest count with a member (a level empties when its last node drops
// below it; levels are never removed).
std::uint32_t NodeFreeIndex::max_free() const {
  for (auto k = static_cast<std::uint32_t>(levels_.size()); k >= 1; --k)
    if (!levels_[k - 1].empty()) return k;
  return 0;
}

std::uint32_t NodeFreeIndex::find_first(std::uint32_t k, std::uint32_t from) const {
  if (from >= order_.size() || k > levels_.size()) return npos;
  if (k == 0) return from;  // every node has >= 0 free
  return levels_[k - 1].first_from(from);
}

}  // namespace fastgpu
