#include "sim/cluster_state.h"

#include <algorithm>
#include <numeric>

#include "sim/error.h"

namespace fastgpu {

ClusterState::ClusterState(const ClusterSpec& spec)
    : spec_(spec), topology_(spec.num_nodes(), spec.nodes_per_switch, spec.slowdown) {
  const std::size_t types = spec_.gpu_types.size();
  type_gpus_.assign(types, 0);
  type_max_node_gpus_.assign(types, 0);
  std::vector<std::vector<NodeIndex>> nodes_of_type(types);
  for (const NodeGroup& group : spec_.node_groups) {
    for (std::uint32_t i = 0; i < group.count; ++i) {
      const auto node = static_cast<NodeIndex>(node_first_gpu_.size());
      node_first_gpu_.push_back(static_cast<GpuIndex>(gpu_node_.size()));
      node_gpus_.push_back(group.gpus_per_node);
      node_type_.push_back(group.gpu_type);
      nodes_of_type[group.gpu_type].push_back(node);
      gpu_node_.insert(gpu_node_.end(), group.gpus_per_node, node);
      type_gpus_[group.gpu_type] += group.gpus_per_node;
      type_max_node_gpus_[group.gpu_type] = std::max(type_max_node_gpus_[group.gpu_type], group.gpus_per_node);
    }
  }
  gpu_used_milli_.assign(num_gpus(), 0);
  gpu_reserved_.assign(num_gpus(), 0);
  gpu_failed_.assign(num_gpus(), 0);
  node_free_ = node_gpus_;
  if (std::all_of(node_gpus_.begin(), node_gpus_.end(), [](std::uint32_t gpus) { return gpus <= 64; })) {
    node_free_mask_.resize(num_nodes());
    for (NodeIndex n = 0; n < num_nodes(); ++n)
      node_free_mask_[n] = node_gpus_[n] == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << node_gpus_[n]) - 1;
  }
  type_free_ = type_gpus_;
  total_free_ = num_gpus();

  std::vector<NodeIndex> all(num_nodes());
  std::iota(all.begin(), all.end(), 0);
  index_all_.reorder(std::move(all), node_free_);
  partly_used_.resize(types);
  if (types == 1) return;
  index_by_type_.resize(types);
  for (std::size_t t = 0; t < types; ++t) index_by_type_[t].reorder(std::move(nodes_of_type[t]), node_free_);
}

void ClusterState::attach(NodeFreeObserver* index) const { attached_.push_back(index); }

void ClusterState::detach(NodeFreeObserver* index) const {
  attached_.erase(std::remove(attached_.begin(), attached_.end(), index), attached_.end());
}

void ClusterState::update_other_indexes(NodeIndex n) {
  if (!index_by_type_.empty()) index_by_type_[node_type_[n]].update(n, node_free_[n]);
  for (NodeFreeObserver* index : attached_) index->update(n, node_free_[n]);
}

void ClusterState::leave_partly_used(GpuIndex g) {
  const std::uint32_t used = gpu_used_milli_[g];
  if (used > 0 && used < kMilliPerGpu) partly_used_[type_of(g)].erase(partly_used_key(kMilliPerGpu - used, g));
}

void ClusterState::enter_partly_used(GpuIndex g) {
  const std::uint32_t used = gpu_used_milli_[g];
  if (used > 0 && used < kMilliPerGpu && gpu_failed_[g] == 0) partly_used_[type_of(g)].insert(partly_used_key(kMilliPerGpu - used, g));
}

void ClusterState::allocate_deferred(GpuIndex g, std::uint32_t milli) {
  if (gpu_used_milli_[g] + milli > kMilliPerGpu) throw InternalError("GPU over-allocated");
  const bool was_free = gpu_used_milli_[g] == 0;
  leave_partly_used(g);
  gpu_used_milli_[g] = static_cast<std::uint16_t>(gpu_used_milli_[g] + milli);
  enter_partly_used(g);
  busy_milli_total_ += milli;
  if (was_free && milli > 0) {
    const NodeIndex n = gpu_node_[g];
    mark_free(g, false);
    --node_free_[n];
    --type_free_[node_type_[n]];
    --total_free_;
    mark_stale(n);
  }
}

void ClusterState::release_deferred(GpuIndex g, std::uint32_t milli) {
  if (gpu_used_milli_[g] < milli) throw InternalError("GPU released more than allocated");
  leave_partly_used(g);
  gpu_used_milli_[g] = static_cast<std::uint16_t>(gpu_used_milli_[g] - milli);
  enter_partly_used(g);
  busy_milli_total_ -= milli;
  if (gpu_used_milli_[g] == 0 && milli > 0 && gpu_failed_[g] == 0) {
    const NodeIndex n = gpu_node_[g];
    mark_free(g, true);
    ++node_free_[n];
    ++type_free_[node_type_[n]];
    ++total_free_;
    mark_stale(n);
  }
}

void ClusterState::set_reserved(GpuIndex g, bool reserved) {
  if (static_cast<bool>(gpu_reserved_[g]) == reserved) return;
  gpu_reserved_[g] = reserved ? 1 : 0;
  reserved_total_ += reserved ? 1 : -1;
}

void ClusterState::set_failed(GpuIndex g, bool failed) {
  if (static_cast<bool>(gpu_failed_[g]) == failed) return;
  const bool unallocated = gpu_used_milli_[g] == 0;
  gpu_failed_[g] = failed ? 1 : 0;
  failed_total_ += failed ? 1 : -1;
  if (failed) leave_partly_used(g);  // no share of it may be allocated while failed
  else enter_partly_used(g);
  if (!unallocated) return;  // the free counts change when its holders release it
  mark_free(g, !failed);
  const NodeIndex n = gpu_node_[g];
  const std::uint32_t delta = failed ? -1u : 1u;
  node_free_[n] += delta;
  type_free_[node_type_[n]] += delta;
  total_free_ += delta;
  mark_stale(n);
}

}  // namespace fastgpu
