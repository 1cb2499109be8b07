#include "sim/topology.h"

#include <algorithm>

#include <boost/graph/breadth_first_search.hpp>

#include "sim/error.h"

namespace fastgpu {

// Vertices: nodes 0..N-1, then leaf switches N..N+S-1, then the spine.
Topology::Topology(std::uint32_t num_nodes, std::uint32_t nodes_per_switch, PlacementSlowdown slowdown)
    : factors_(slowdown) {
  if (nodes_per_switch == 0) throw InputError("cluster.nodes_per_switch must be >= 1");
  num_switches_ = (num_nodes + nodes_per_switch - 1) / nodes_per_switch;
  const std::uint32_t spine = num_nodes + num_switches_;
  graph_ = Graph(spine + 1);
  for (std::uint32_t n = 0; n < num_nodes; ++n) boost::add_edge(n, num_nodes + n / nodes_per_switch, graph_);
  for (std::uint32_t s = 0; s < num_switches_; ++s) boost::add_edge(num_nodes + s, spine, graph_);

  // Each node's switch is its neighbour among the switch vertices; reading it
  // off the graph keeps the graph the one source of truth for the topology.
  switch_of_.assign(num_nodes, 0);
  for (std::uint32_t n = 0; n < num_nodes; ++n) {
    for (auto [it, end] = boost::adjacent_vertices(n, graph_); it != end; ++it) {
      if (*it >= num_nodes && *it < spine) switch_of_[n] = static_cast<std::uint32_t>(*it - num_nodes);
    }
  }
}

int Topology::hops(NodeIndex a, NodeIndex b) const {
  if (a == b) return 0;
  if (switch_of_[a] == switch_of_[b]) return 2;
  return 4;
}

double Topology::slowdown(std::span<const NodeIndex> nodes) const {
  if (nodes.empty()) return factors_.same_node;
  int worst = 0;
  for (NodeIndex n : nodes) worst = std::max(worst, hops(nodes.front(), n));
  // With one spine, the farthest pair is at most 4 hops; a pair on different
  // switches always passes the spine, so comparing with the first is enough.
  if (worst == 0) return factors_.same_node;
  return worst == 2 ? factors_.same_switch : factors_.cross_switch;
}

}  // namespace fastgpu
