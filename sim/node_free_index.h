#pragma once
// Finds nodes with at least k wholly free GPUs in O(log nodes): a max segment
// tree over the nodes in a chosen order. First-fit uses the node order; a
// load-aware policy re-orders it by monitored load; the cluster keeps every
// attached index up to date as GPUs are allocated and released.
#include <cstdint>
#include <span>
#include <vector>

#include "sim/types.h"

namespace fastgpu {

// An index kept current with every node's count of wholly free GPUs, through
// ClusterState::attach.
class NodeFreeObserver {
 public:
  virtual ~NodeFreeObserver() = default;
  virtual void update(NodeIndex node, std::uint32_t free) = 0;
};

class NodeFreeIndex final : public NodeFreeObserver {
 public:
  static constexpr std::uint32_t npos = UINT32_MAX;

  NodeFreeIndex() = default;
  // `order` lists the nodes this index covers, first preferred; `free_of`
  // gives each node's current count of wholly free GPUs (indexed by node).
  NodeFreeIndex(std::vector<NodeIndex> order, std::span<const std::uint32_t> free_of);

  // Re-orders the same or another set of nodes (O(n)).
  void reorder(std::vector<NodeIndex> order, std::span<const std::uint32_t> free_of);
  void update(NodeIndex node, std::uint32_t free) override;  // no-op for nodes not covered

  std::uint32_t size() const { return static_cast<std::uint32_t>(order_.size()); }
  NodeIndex node_at(std::uint32_t pos) const { return order_[pos]; }
  std::uint32_t free_at(std::uint32_t pos) const { return tree_[leaves_ + pos]; }
  std::uint32_t max_free() const { return tree_.empty() ? 0 : tree_[1]; }
  // First position >= from whose node has >= k free GPUs, or npos.
  std::uint32_t find_first(std::uint32_t k, std::uint32_t from = 0) const;

 private:
  std::vector<NodeIndex> order_;
  std::vector<std::uint32_t> pos_of_;  // node -> position, npos if not covered
  std::vector<std::uint32_t> tree_;    // 1-based heap layout, leaves_ leaves
  std::uint32_t leaves_ = 0;
};

}  // namespace fastgpu
