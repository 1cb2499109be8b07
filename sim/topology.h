#pragma once
// The network as a Boost.Graph graph: one vertex per node, per leaf switch and
// for the spine; links node–switch and switch–spine. The hop distance between
// two nodes (0, 2 or 4) decides a multi-GPU job's communication slowdown.
#include <cstdint>
#include <span>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "sim/cluster_spec.h"

namespace fastgpu {

class Topology {
 public:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

  Topology(std::uint32_t num_nodes, std::uint32_t nodes_per_switch, PlacementSlowdown slowdown);

  const Graph& graph() const { return graph_; }
  std::uint32_t num_switches() const { return num_switches_; }
  std::uint32_t switch_of(NodeIndex node) const { return switch_of_[node]; }
  // Hops between two nodes in the graph (0 for the same node).
  int hops(NodeIndex a, NodeIndex b) const;
  // Slowdown factor (>= 1) for a job spread over these nodes.
  double slowdown(std::span<const NodeIndex> nodes) const;

 private:
  Graph graph_;
  std::uint32_t num_switches_ = 0;
  std::vector<std::uint32_t> switch_of_;  // derived from the graph by BFS
  PlacementSlowdown factors_;
};

}  // namespace fastgpu
