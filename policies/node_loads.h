#pragma once
// Mean monitored load of each node (SchedulingContext::gpu_load averaged over
// the node's GPUs) for the load-aware policies, brought up to date at each
// monitor sample in O(GPUs whose load changed) rather than O(GPUs).
#include <cstdint>
#include <vector>

#include "sim/scheduling_context.h"

namespace fastgpu {

class NodeLoads {
 public:
  // Every node, from the current loads.
  void init(const SchedulingContext& ctx);
  // The nodes of the GPUs whose load the last sample changed; false when
  // none did (every node keeps its load, recomputed() is empty).
  bool update(const SchedulingContext& ctx);
  const std::vector<double>& values() const { return load_; }
  // The nodes the last update (or init) recomputed, each once.
  const std::vector<NodeIndex>& recomputed() const { return recomputed_; }

 private:
  void recompute(const SchedulingContext& ctx, NodeIndex n);
  std::vector<double> load_;
  std::vector<NodeIndex> recomputed_;
  std::vector<std::uint64_t> seen_;  // per node: the last update that recomputed it
  std::uint64_t pass_ = 0;
};

}  // namespace fastgpu
