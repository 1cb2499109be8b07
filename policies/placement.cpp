#include "policies/placement.h"

#include <algorithm>
#include <bit>
#include <numeric>

#include "policies/sharing_placement.h"
#include "sim/error.h"

namespace fastgpu {

bool Placement::place(const SchedulingContext& ctx, JobIndex j, std::vector<GpuIndex>& gpus) const {
  return place_on_types(ctx, j, ~std::uint64_t{0}, gpus);
}

// Flattened: the hot path (every placement of every policy) pays no call into
// place_on_nodes and its non-virtual helpers.
[[gnu::flatten]] bool Placement::place_on_types(const SchedulingContext& ctx, JobIndex j, std::uint64_t type_mask,
                                                std::vector<GpuIndex>& gpus) const {
  gpus.clear();
  // Types the job may use and the caller allows, at once: the job's allowed
  // mask holds only the cluster's types.
  const std::uint64_t usable = type_mask & ctx.allowed_type_mask(j);
  if (ctx.vcs().vc_of(j) != kNoVc) return place_in_vc(ctx, j, usable, gpus);
  return place_on_nodes(ctx, j, usable, nullptr, gpus);
}

bool Placement::place_on_nodes(const SchedulingContext& ctx, JobIndex j, std::uint64_t usable,
                               const VcNodeFilter* allowed, std::vector<GpuIndex>& gpus) const {
  const Job& job = ctx.job(j);
  const ClusterState& cluster = ctx.cluster();
  if (job.gpu_share < 1.0f) return place_shared(ctx, j, usable, allowed, gpus);
  const std::uint32_t k = job.num_gpus;
  if (cluster.free_gpus() < k) return false;

  // One node that holds the whole gang.
  if (const NodeIndex n = find_node(ctx, usable, k, allowed); n != kNoNode) {
    pick_on_node(ctx, n, k, gpus);
    return true;
  }
  if (consolidation_.applies(job.submit, ctx.now())) return place_consolidated(ctx, usable, k, allowed, gpus);
  // Otherwise spread over nodes of one type.
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if ((usable >> t & 1) && cluster.free_gpus_of_type(t) >= k &&
        place_spread(ctx, index_of_type(ctx, t), k, allowed, gpus)) {
      return true;
    }
  }
  return false;
}

// Whole free nodes first (fewest nodes, least slowdown), then the remainder
// from the first nodes in order that have any free GPU.
bool Placement::place_spread(const SchedulingContext& ctx, const NodeFreeIndex& index, std::uint32_t count,
                             const VcNodeFilter* allowed, std::vector<GpuIndex>& gpus) const {
  gpus.clear();
  std::uint32_t need = count;
  std::vector<std::uint32_t>& taken = taken_;  // positions already used
  taken.clear();
  auto take_from = [&](std::uint32_t min_free) {
    for (std::uint32_t pos = index.find_first(min_free); need > 0 && pos != NodeFreeIndex::npos;
         pos = index.find_first(min_free, pos + 1)) {
      if (std::find(taken.begin(), taken.end(), pos) != taken.end()) continue;
      if (allowed != nullptr && !(*allowed)(index.node_at(pos))) continue;
      const std::uint32_t n = std::min(need, index.free_at(pos));
      pick_on_node(ctx, index.node_at(pos), n, gpus);
      taken.push_back(pos);
      need -= n;
    }
  };
  const std::uint32_t node_size = index.max_free();
  if (node_size > 0 && need >= node_size) take_from(node_size);
  take_from(1);
  return need == 0;
}

// Best fit among partly used GPUs (packs shared jobs, as GPU-sharing clusters
// do), else the first wholly free GPU in this placement's node order.
bool Placement::place_shared(const SchedulingContext& ctx, JobIndex j, std::uint64_t type_mask,
                             const VcNodeFilter* allowed, std::vector<GpuIndex>& gpus) const {
  const ClusterState& cluster = ctx.cluster();
  const std::uint32_t milli = ctx.job(j).milli_per_gpu();
  GpuIndex best = kNoGpu;
  std::uint64_t best_key = 0;
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if (!(type_mask >> t & 1)) continue;
    const GpuIndex g = cluster.best_fit_partly_used(t, milli, [&](GpuIndex candidate) {
      return (allowed == nullptr || (*allowed)(cluster.node_of(candidate))) && shared_usable(ctx, candidate);
    });
    if (g == kNoGpu) continue;
    const std::uint64_t key = ClusterState::partly_used_key(kMilliPerGpu - cluster.used_milli(g), g);
    if (best == kNoGpu || key < best_key) {
      best = g;
      best_key = key;
    }
  }
  if (best != kNoGpu) {
    gpus.push_back(best);
    return true;
  }
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if (!(type_mask >> t & 1)) continue;
    if (const NodeIndex n = find_node(ctx, std::uint64_t{1} << t, 1, allowed); n != kNoNode) {
      pick_on_node(ctx, n, 1, gpus);
      return true;
    }
  }
  return false;
}

NodeIndex Placement::find_node(const SchedulingContext& ctx, std::uint64_t types, std::uint32_t k,
                               const VcNodeFilter* allowed) const {
  const ClusterState& cluster = ctx.cluster();
  auto first_in = [&](const NodeFreeIndex& index) {
    auto pos = index.find_first(k);
    if (allowed != nullptr)
      while (pos != NodeFreeIndex::npos && !(*allowed)(index.node_at(pos))) pos = index.find_first(k, pos + 1);
    return pos == NodeFreeIndex::npos ? kNoNode : index.node_at(pos);
  };
  if ((types & ctx.all_types_mask()) == ctx.all_types_mask()) return first_in(index_all(ctx));
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if (!(types >> t & 1)) continue;
    if (const NodeIndex n = first_in(index_of_type(ctx, t)); n != kNoNode) return n;
  }
  return kNoNode;
}

void Placement::pick_on_node(const SchedulingContext& ctx, NodeIndex node, std::uint32_t count,
                             std::vector<GpuIndex>& gpus) const {
  const ClusterState& cluster = ctx.cluster();
  const GpuIndex first = cluster.first_gpu(node);
  if (cluster.has_free_masks()) {
    // The node's free GPUs, lowest first: the same GPUs the scan below takes.
    for (std::uint64_t free = cluster.free_mask(node); count > 0 && free != 0; free &= free - 1, --count)
      gpus.push_back(first + static_cast<GpuIndex>(std::countr_zero(free)));
  } else {
    for (GpuIndex g = first; count > 0 && g < first + cluster.gpus_on_node(node); ++g) {
      if (cluster.is_free(g)) {
        gpus.push_back(g);
        --count;
      }
    }
  }
  if (count > 0) throw InternalError("placement: node has fewer free GPUs than its index says");
}

const NodeFreeIndex& FirstFitPlacement::index_all(const SchedulingContext& ctx) const {
  return ctx.cluster().free_index();
}
const NodeFreeIndex& FirstFitPlacement::index_of_type(const SchedulingContext& ctx, TypeIndex t) const {
  return ctx.cluster().free_index(t);
}

void FitPlacement::init(SchedulingContext& ctx) {
  buckets_.reset(ctx.cluster());
  ctx.cluster().attach(&buckets_);
}

void FitPlacement::finish(SchedulingContext& ctx) { ctx.cluster().detach(&buckets_); }

// The fewest (most) free GPUs that still hold k, ties to the lowest node. Over
// all nodes the buckets answer at once; over a VC's nodes, the type's index
// is scanned and the others skipped (the buckets cannot filter).
NodeIndex FitPlacement::find_node(const SchedulingContext& ctx, std::uint64_t types, std::uint32_t k,
                                  const VcNodeFilter* allowed) const {
  const ClusterState& cluster = ctx.cluster();
  NodeIndex best = kNoNode;
  std::uint32_t best_free = 0;
  auto consider = [&](NodeIndex n, std::uint32_t free) {
    const bool better = fewest_ ? free < best_free : free > best_free;
    if (best == kNoNode || better || (free == best_free && n < best)) {
      best = n;
      best_free = free;
    }
  };
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if (!(types >> t & 1)) continue;
    if (allowed == nullptr) {
      std::uint32_t free = 0;
      if (const NodeIndex n = buckets_.find(t, k, fewest_, free); n != kNoNode) consider(n, free);
      continue;
    }
    const NodeFreeIndex& index = cluster.free_index(t);
    for (auto pos = index.find_first(k); pos != NodeFreeIndex::npos; pos = index.find_first(k, pos + 1))
      if ((*allowed)(index.node_at(pos))) consider(index.node_at(pos), index.free_at(pos));
  }
  return best;
}

void LeastLoadedPlacement::init(SchedulingContext& ctx) {
  const ClusterState& cluster = ctx.cluster();
  // With one type the per-type order is the order over all nodes: kept once.
  by_type_.resize(cluster.num_types() > 1 ? cluster.num_types() : 0);
  node_loads_.init(ctx);
  order_.clear();  // a full sort, not a merge into a previous run's order
  reorder(ctx);
  cluster.attach(&all_);
  for (auto& index : by_type_) cluster.attach(&index);
}

void LeastLoadedPlacement::finish(SchedulingContext& ctx) {
  ctx.cluster().detach(&all_);
  for (auto& index : by_type_) ctx.cluster().detach(&index);
}

// The order depends on the node loads alone: brought up to date only when a
// sample changed one, by re-sorting the changed nodes alone and merging them
// into the others' order (resort_moved.h), O(nodes + changed log changed).
void LeastLoadedPlacement::on_monitor(SchedulingContext& ctx) {
  if (node_loads_.update(ctx)) reorder(ctx);
}

// Nodes by their mean GPU load, ties by index: the full sort at init, then
// the changed nodes merged in.
void LeastLoadedPlacement::reorder(const SchedulingContext& ctx) {
  const ClusterState& cluster = ctx.cluster();
  const std::vector<double>& node_load = node_loads_.values();
  auto before = [&](NodeIndex a, NodeIndex b) { return node_load[a] < node_load[b] || (node_load[a] == node_load[b] && a < b); };
  if (order_.size() != cluster.num_nodes()) {
    order_.resize(cluster.num_nodes());
    std::iota(order_.begin(), order_.end(), 0);
    std::sort(order_.begin(), order_.end(), before);  // a total order: the same as a stable sort by load
  } else if (!resort_moved(order_, node_loads_.recomputed(), resort_scratch_, before)) {
    // The order is the current one: the indexes stay as they are (the
    // cluster kept their free counts current).
    return;
  }
  all_.reorder(order_, cluster.node_free_counts());
  if (by_type_.empty()) return;
  std::vector<std::vector<NodeIndex>> typed(by_type_.size());
  for (NodeIndex n : order_) typed[cluster.type_of_node(n)].push_back(n);
  for (TypeIndex t = 0; t < by_type_.size(); ++t) by_type_[t].reorder(typed[t], cluster.node_free_counts());
}

void append_least_loaded_gpus(const SchedulingContext& ctx, NodeIndex node, std::uint32_t count,
                              std::vector<GpuIndex>& scratch, std::vector<GpuIndex>& gpus) {
  const ClusterState& cluster = ctx.cluster();
  const auto load = ctx.gpu_load();
  scratch.clear();
  const GpuIndex first = cluster.first_gpu(node);
  for (GpuIndex g = first; g < first + cluster.gpus_on_node(node); ++g) {
    if (cluster.is_free(g)) scratch.push_back(g);
  }
  if (scratch.size() < count) throw InternalError("placement: node has fewer free GPUs than its index says");
  // (load, index) is a strict order, so the `count` smallest come out as a
  // stable sort by load would put them, without its buffer allocation.
  std::partial_sort(scratch.begin(), scratch.begin() + count, scratch.end(),
                    [&](GpuIndex a, GpuIndex b) { return load[a] < load[b] || (load[a] == load[b] && a < b); });
  gpus.insert(gpus.end(), scratch.begin(), scratch.begin() + count);
}

void LeastLoadedPlacement::pick_on_node(const SchedulingContext& ctx, NodeIndex node, std::uint32_t count,
                                        std::vector<GpuIndex>& gpus) const {
  append_least_loaded_gpus(ctx, node, count, scratch_, gpus);
}

const std::vector<std::string>& placement_names() {
  // The packing placements run in the engine through SharingPlacement
  // ("best-fit" is the engine's own).
  static const std::vector<std::string> names{"first-fit",   "least-loaded", "best-fit",       "spread", "fgd",
                                              "dot-product", "gpu-packing",  "gpu-clustering", "random"};
  return names;
}

std::unique_ptr<Placement> make_placement(const std::string& name) {
  if (name == "first-fit") return std::make_unique<FirstFitPlacement>();
  if (name == "least-loaded") return std::make_unique<LeastLoadedPlacement>();
  if (name == "best-fit") return std::make_unique<FitPlacement>(true);
  if (name == "spread") return std::make_unique<FitPlacement>(false);
  if (name == "fgd" || name == "dot-product" || name == "gpu-packing" || name == "gpu-clustering" || name == "random")
    return std::make_unique<SharingPlacement>(name);
  throw InputError("unknown placement '" + name + "'");
}

}  // namespace fastgpu
