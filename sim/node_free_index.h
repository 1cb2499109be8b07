#pragma once
// Finds nodes with at least k wholly free GPUs over the nodes in a chosen
// order: one TwoLevelBitset per count k (position p a member while the node
// at p has >= k free GPUs). The first node with >= k free from a position is
// two or three bit scans; a node's count changing by d flips d bits. First-fit
// uses the node order; a load-aware policy re-orders it by monitored load;
// the cluster keeps every attached index up to date as GPUs are allocated
// and released.
#include <cstdint>
#include <span>
#include <vector>

#include "sim/two_level_bitset.h"
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
  NodeFreeIndex(std::span<const NodeIndex> order, std::span<const std::uint32_t> free_of);

  // Re-orders the same or another set of nodes: a rebuild, O(n + levels x
  // n / 64) plus one bit per free GPU.
  void reorder(std::span<const NodeIndex> order, std::span<const std::uint32_t> free_of);
  // No-op for nodes not covered. Inline: the cluster calls it at every
  // allocation and release.
  void update(NodeIndex node, std::uint32_t free) override {
    if (node >= pos_of_.size() || pos_of_[node] == npos) return;
    set_free_at(pos_of_[node], free);
  }

  std::uint32_t size() const { return static_cast<std::uint32_t>(order_.size()); }
  NodeIndex node_at(std::uint32_t pos) const { return order_[pos]; }
  std::uint32_t free_at(std::uint32_t pos) const { return free_[pos]; }
  std::uint32_t max_free() const;
  // First position >= from whose node has >= k free GPUs, or npos.
  std::uint32_t find_first(std::uint32_t k, std::uint32_t from = 0) const;

 private:
  void set_free_at(std::uint32_t pos, std::uint32_t free) {
    const std::uint32_t old = free_[pos];
    free_[pos] = free;
    if (free > old) {
      if (free > levels_.size()) add_levels(free);
      for (std::uint32_t k = old + 1; k <= free; ++k) levels_[k - 1].insert(pos);
    } else {
      for (std::uint32_t k = free + 1; k <= old; ++k) levels_[k - 1].erase(pos);
    }
  }
  // Adds levels up to k (a node reported more free GPUs than any before).
  void add_levels(std::uint32_t k);
  // Each level's words from free_ into level_words_ (zeroed, `words` a level).
  void fill_level_words(std::size_t words);

  std::vector<NodeIndex> order_;
  std::vector<std::uint32_t> pos_of_;    // node -> position, npos if not covered
  std::vector<std::uint32_t> free_;      // position -> free GPUs
  std::vector<TwoLevelBitset> levels_;   // [k - 1]: positions with >= k free; no node has more than levels_.size()
  std::vector<std::uint64_t> level_words_;  // scratch of reorder: each level's words, one level after another
  std::vector<std::int8_t> count_bytes_;    // scratch of reorder: free_ as bytes (at most 127), whole words
};

}  // namespace fastgpu
