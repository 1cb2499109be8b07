#include "sim/node_free_index.h"

#include <algorithm>

namespace fastgpu {

NodeFreeIndex::NodeFreeIndex(std::vector<NodeIndex> order, std::span<const std::uint32_t> free_of) {
  reorder(std::move(order), free_of);
}

void NodeFreeIndex::reorder(std::vector<NodeIndex> order, std::span<const std::uint32_t> free_of) {
  order_ = std::move(order);
  pos_of_.assign(free_of.size(), npos);
  leaves_ = 1;
  while (leaves_ < order_.size()) leaves_ *= 2;
  tree_.assign(2 * leaves_, 0);
  for (std::uint32_t p = 0; p < order_.size(); ++p) {
    pos_of_[order_[p]] = p;
    tree_[leaves_ + p] = free_of[order_[p]];
  }
  for (std::uint32_t i = leaves_ - 1; i >= 1; --i) tree_[i] = std::max(tree_[2 * i], tree_[2 * i + 1]);
}

void NodeFreeIndex::update(NodeIndex node, std::uint32_t free) {
  if (node >= pos_of_.size() || pos_of_[node] == npos) return;
  std::uint32_t i = leaves_ + pos_of_[node];
  tree_[i] = free;
  for (i /= 2; i >= 1; i /= 2) {
    const std::uint32_t m = std::max(tree_[2 * i], tree_[2 * i + 1]);
    if (tree_[i] == m) break;  // ancestors unchanged
    tree_[i] = m;
  }
}

std::uint32_t NodeFreeIndex::find_first(std::uint32_t k, std::uint32_t from) const {
  if (order_.empty() || from >= order_.size() || tree_[1] < k) return npos;
  // Walk up from leaf `from` until a right sibling subtree holds a node with
  // >= k free, then descend to its leftmost such leaf. O(log n).
  std::uint32_t i = leaves_ + from;
  if (tree_[i] >= k) return from;
  while (i > 1) {
    if ((i & 1) == 0 && tree_[i + 1] >= k) {
      i = i + 1;
      while (i < leaves_) i = tree_[2 * i] >= k ? 2 * i : 2 * i + 1;
      return i - leaves_;
    }
    i /= 2;
  }
  return npos;
}

}  // namespace fastgpu
