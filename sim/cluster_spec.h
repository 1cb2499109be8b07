#pragma once
// Static description of the virtual GPU pool: GPU types, node groups and the
// network topology parameters. Built from the [cluster] table of a config.
#include <string>
#include <vector>

#include "sim/types.h"

namespace fastgpu {

struct GpuType {
  std::string name = "gpu";
  double speed = 1.0;           // relative to the reference type (1.0)
  double memory_gb = 32;        // GB per GPU
  double idle_watts = 50;       // W drawn by an idle GPU
  double busy_watts = 300;      // W drawn by a busy GPU
  double price_per_hour = 1.0;  // currency per allocated GPU-hour
};

struct NodeGroup {
  std::string name;             // optional label ("dgx"), used in node names
  std::uint32_t count = 1;      // nodes in the group
  std::uint32_t gpus_per_node = 8;
  TypeIndex gpu_type = 0;       // index into ClusterSpec::gpu_types
};

// Communication slowdown of a multi-GPU job, by the farthest pair of its GPUs.
struct PlacementSlowdown {
  double same_node = 1.0;
  double same_switch = 1.1;
  double cross_switch = 1.25;   // across the spine
};

// A virtual cluster: a named partition of whole nodes that only its own jobs
// use (unless idle GPUs are lent, ClusterSpec::vc_lending).
struct VirtualCluster {
  std::string name;
  std::vector<NodeIndex> nodes;  // global node numbers, ascending, disjoint from other VCs' nodes
};

struct ClusterSpec {
  std::vector<GpuType> gpu_types{GpuType{}};
  std::vector<NodeGroup> node_groups{NodeGroup{}};
  std::uint32_t nodes_per_switch = 8;  // leaf switches; all switches share one spine
  PlacementSlowdown slowdown;
  std::vector<VirtualCluster> vcs;     // empty: no partitions, every job may use every GPU
  bool vc_lending = false;             // idle GPUs of a VC run other VCs' jobs until reclaimed

  std::uint32_t num_nodes() const;
  std::uint32_t num_gpus() const;
  // Index of the type called `name`, or -1.
  int find_type(const std::string& name) const;
  // Throws InputError naming the offending [cluster] key.
  void validate() const;
  // The [[cluster.vcs]] part of validate(): names, node ranges, overlaps.
  void validate_vcs() const;
};

}  // namespace fastgpu
