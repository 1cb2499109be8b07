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
#include "sim/two_level_bitset.h"
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
  std::vector<std::vector<TwoLevelBitset>> groups_;  // [type][free count] -> positions of nodes
  std::vector<std::vector<NodeIndex>> nodes_;         // [type][position] -> node
  std::vector<std::uint32_t> position_, free_;        // per node: position in its type, current free count
  std::vector<TypeIndex> type_;                       // per node
};

}  // namespace fastgpu
