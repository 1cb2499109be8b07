#include "sim/node_free_index.h"

#include <algorithm>

namespace fastgpu {

NodeFreeIndex::NodeFreeIndex(std::vector<NodeIndex> order, std::span<const std::uint32_t> free_of) {
  reorder(std::move(order), free_of);
}

void NodeFreeIndex::reorder(std::vector<NodeIndex> order, std::span<const std::uint32_t> free_of) {
  order_ = std::move(order);
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
