#pragma once
// Nodes grouped by their exact count of wholly free GPUs, per GPU type, for
// placements that choose a node by how full it is: best fit (the fullest node
// that still holds the job, which keeps whole nodes free for large gangs) and
// spread (the emptiest node). Each group is a two-level bitmap over the type's
// nodes, so a query costs O(GPUs per node x nodes / 4096) word tests and an
// update O(1); ties go to the lowest node index, so choices are deterministic.
// Kept current through ClusterState::attach, like NodeFreeIndex.
#include <cstdint>
#include <vector>

#include "sim/node_free_index.h"
#include "sim/types.h"

namespace fastgpu {

class ClusterState;

class NodeFreeBuckets final : public NodeFreeObserver {
 public:
  // Builds the groups from the cluster's current free counts.
  void reset(const ClusterState& cluster);
  void update(NodeIndex node, std::uint32_t free) override;

  // Node of type t with at least k wholly free GPUs and, among those, the
  // fewest (fewest = true) or the most (false); kNoNode if no node has k.
  // `free_out` receives its count of free GPUs.
  NodeIndex find(TypeIndex t, std::uint32_t k, bool fewest, std::uint32_t& free_out) const;

 private:
  // A set of positions 0..n-1: one bit each, plus one summary bit per
  // non-zero word, so the lowest member is found in O(n / 4096) word tests.
  class Bitset {
   public:
    void resize(std::uint32_t n);
    void insert(std::uint32_t pos);
    void erase(std::uint32_t pos);
    bool empty() const { return count_ == 0; }
    std::uint32_t lowest() const;  // requires !empty()

   private:
    std::vector<std::uint64_t> words_, summary_;
    std::uint32_t count_ = 0;
  };

  std::vector<std::vector<Bitset>> groups_;      // [type][free count] -> positions of nodes
  std::vector<std::vector<NodeIndex>> nodes_;    // [type][position] -> node
  std::vector<std::uint32_t> position_, free_;   // per node: position in its type, current free count
  std::vector<TypeIndex> type_;                  // per node
};

}  // namespace fastgpu
