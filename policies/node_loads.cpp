#include "policies/node_loads.h"

namespace fastgpu {

void NodeLoads::init(const SchedulingContext& ctx) {
  const NodeIndex nodes = ctx.cluster().num_nodes();
  load_.assign(nodes, 0);
  seen_.assign(nodes, 0);
  recomputed_.clear();
  for (NodeIndex n = 0; n < nodes; ++n) {
    recompute(ctx, n);
    recomputed_.push_back(n);
  }
}

bool NodeLoads::update(const SchedulingContext& ctx) {
  const auto changed = ctx.gpu_load_changed();
  recomputed_.clear();
  if (changed.empty()) return false;
  ++pass_;
  for (GpuIndex g : changed) {
    const NodeIndex n = ctx.cluster().node_of(g);
    if (seen_[n] == pass_) continue;
    seen_[n] = pass_;
    recompute(ctx, n);
    recomputed_.push_back(n);
  }
  return true;
}

void NodeLoads::recompute(const SchedulingContext& ctx, NodeIndex n) {
  const ClusterState& cluster = ctx.cluster();
  const auto load = ctx.gpu_load();
  double sum = 0;
  for (std::uint32_t i = 0; i < cluster.gpus_on_node(n); ++i) sum += load[cluster.first_gpu(n) + i];
  load_[n] = cluster.gpus_on_node(n) ? sum / cluster.gpus_on_node(n) : 0;
}

}  // namespace fastgpu
