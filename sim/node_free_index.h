#pragma once
// Finds nodes with at least k wholly free GPUs over the nodes in a chosen
// order: one bitmap per count k (bit p set while the node at position p has
// >= k free GPUs), each with a summary word per 64 words. The first node with
// >= k free from a position is two or three bit scans; a node's count
// changing by d flips d bits. First-fit uses the node order; a load-aware
// policy re-orders it by monitored load; the cluster keeps every attached
// index up to date as GPUs are allocated and released.
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
  std::uint32_t free_at(std::uint32_t pos) const { return free_[pos]; }
  std::uint32_t max_free() const;
  // First position >= from whose node has >= k free GPUs, or npos.
  std::uint32_t find_first(std::uint32_t k, std::uint32_t from = 0) const;

 private:
  // Level k (>= 1): its words and its summary words.
  std::uint64_t* words(std::uint32_t k) { return bits_.data() + std::size_t{k - 1} * level_words_; }
  const std::uint64_t* words(std::uint32_t k) const { return bits_.data() + std::size_t{k - 1} * level_words_; }
  std::uint64_t* summary(std::uint32_t k) { return words(k) + words_; }
  const std::uint64_t* summary(std::uint32_t k) const { return words(k) + words_; }
  void set(std::uint32_t k, std::uint32_t pos);
  void clear(std::uint32_t k, std::uint32_t pos);
  // Adds levels up to k (a node reported more free GPUs than any before).
  void grow(std::uint32_t k);

  std::vector<NodeIndex> order_;
  std::vector<std::uint32_t> pos_of_;  // node -> position, npos if not covered
  std::vector<std::uint32_t> free_;    // position -> free GPUs
  std::vector<std::uint64_t> bits_;    // levels_ levels of level_words_ words each
  std::uint32_t levels_ = 0;           // counts 1..levels_ have a bitmap; no node has more free
  std::uint32_t words_ = 0;            // bitmap words per level (64 positions each)
  std::uint32_t level_words_ = 0;      // words_ plus the summary's (64 words each)
};

}  // namespace fastgpu
