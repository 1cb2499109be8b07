#pragma once
// The virtual GPU pool at run time: which GPU belongs to which node and type,
// how much of each GPU is allocated, and fast indexes over free capacity.
// Policies read it through the scheduling context; only the engine changes it.
#include <cstdint>
#include <set>
#include <span>
#include <vector>

#include "sim/cluster_spec.h"
#include "sim/node_free_index.h"
#include "sim/topology.h"

namespace fastgpu {

class ClusterState {
 public:
  explicit ClusterState(const ClusterSpec& spec);
  ClusterState(const ClusterState&) = delete;
  ClusterState& operator=(const ClusterState&) = delete;

  const ClusterSpec& spec() const { return spec_; }
  const Topology& topology() const { return topology_; }
  std::uint32_t num_gpus() const { return static_cast<std::uint32_t>(gpu_node_.size()); }
  std::uint32_t num_nodes() const { return static_cast<std::uint32_t>(node_first_gpu_.size()); }
  std::uint32_t num_types() const { return static_cast<std::uint32_t>(spec_.gpu_types.size()); }

  NodeIndex node_of(GpuIndex g) const { return gpu_node_[g]; }
  TypeIndex type_of_node(NodeIndex n) const { return node_type_[n]; }
  TypeIndex type_of(GpuIndex g) const { return node_type_[gpu_node_[g]]; }
  const GpuType& gpu_type(TypeIndex t) const { return spec_.gpu_types[t]; }
  GpuIndex first_gpu(NodeIndex n) const { return node_first_gpu_[n]; }
  std::uint32_t gpus_on_node(NodeIndex n) const { return node_gpus_[n]; }
  std::uint32_t gpus_of_type(TypeIndex t) const { return type_gpus_[t]; }
  // Largest node of the type (gangs larger than this must span nodes).
  std::uint32_t max_gpus_per_node(TypeIndex t) const { return type_max_node_gpus_[t]; }

  // --- current allocation -------------------------------------------------
  std::uint32_t used_milli(GpuIndex g) const { return gpu_used_milli_[g]; }
  // Wholly free: nothing allocated and in service.
  bool is_free(GpuIndex g) const { return gpu_used_milli_[g] == 0 && gpu_failed_[g] == 0; }
  // Capacity a new allocation may take (0 while the GPU is failed).
  std::uint32_t free_milli(GpuIndex g) const { return gpu_failed_[g] ? 0 : kMilliPerGpu - gpu_used_milli_[g]; }
  // Out of service (failed, not yet repaired): never allocatable, not counted free.
  bool is_failed(GpuIndex g) const { return gpu_failed_[g] != 0; }
  std::uint32_t failed_gpus() const { return failed_total_; }
  std::uint32_t free_gpus_on_node(NodeIndex n) const { return node_free_[n]; }
  // Bit i set = GPU first_gpu(n) + i is wholly free (is_free): kept while
  // every node has at most 64 GPUs (has_free_masks()), so a placement picks
  // a node's free GPUs by their set bits instead of testing each GPU.
  bool has_free_masks() const { return !node_free_mask_.empty(); }
  std::uint64_t free_mask(NodeIndex n) const { return node_free_mask_[n]; }
  std::uint32_t free_gpus_of_type(TypeIndex t) const { return type_free_[t]; }
  std::uint32_t free_gpus() const { return total_free_; }
  double busy_gpus() const { return busy_milli_total_ / double(kMilliPerGpu); }  // shares counted
  bool is_reserved(GpuIndex g) const { return gpu_reserved_[g] != 0; }
  std::uint32_t reserved_gpus() const { return reserved_total_; }

  // First-fit indexes over wholly free GPUs: all nodes, or nodes of one type.
  // With one GPU type both are the same index, kept once.
  const NodeFreeIndex& free_index() const { return index_all_; }
  const NodeFreeIndex& free_index(TypeIndex t) const { return index_by_type_.empty() ? index_all_ : index_by_type_[t]; }
  // Keeps a policy's own index (NodeFreeIndex over its node order,
  // NodeFreeBuckets, ...) updated until detached. The caller owns it and must
  // detach it before destroying it.
  void attach(NodeFreeObserver* index) const;
  void detach(NodeFreeObserver* index) const;
  std::span<const std::uint32_t> node_free_counts() const { return node_free_; }

  // Best fit for a shared (fractional) job: the partly used GPU of type t
  // (0 < used < a whole GPU) with the least free capacity that still holds
  // `milli`, ties to the lowest index, among those `usable` accepts; kNoGpu
  // if none. O(log GPUs + GPUs skipped by `usable`).
  template <class Usable>
  GpuIndex best_fit_partly_used(TypeIndex t, std::uint32_t milli, Usable usable) const {
    const std::set<std::uint64_t>& set = partly_used_[t];
    for (auto it = set.lower_bound(std::uint64_t{milli} << 32); it != set.end(); ++it) {
      const auto g = static_cast<GpuIndex>(*it & 0xffffffffu);
      if (usable(g)) return g;
    }
    return kNoGpu;
  }
  // Its key order: (free milli, GPU index).
  static std::uint64_t partly_used_key(std::uint32_t free_milli, GpuIndex g) {
    return std::uint64_t{free_milli} << 32 | g;
  }

  // --- mutation (engine only) --------------------------------------------
  void allocate(GpuIndex g, std::uint32_t milli) {
    allocate_deferred(g, milli);
    update_indexes();
  }
  void release(GpuIndex g, std::uint32_t milli) {
    release_deferred(g, milli);
    update_indexes();
  }
  // The same, but the free-GPU indexes are brought up to date only by
  // update_indexes() (or when another node changes), so a gang's GPUs on one
  // node cost one index update, not one per GPU. The indexes must not be
  // queried before update_indexes().
  void allocate_deferred(GpuIndex g, std::uint32_t milli);
  void release_deferred(GpuIndex g, std::uint32_t milli);
  void update_indexes() {
    if (stale_node_ == kNoNode) return;
    node_changed(stale_node_);
    stale_node_ = kNoNode;
  }
  void set_reserved(GpuIndex g, bool reserved);
  // A failure takes the GPU out of service until set_failed(g, false). Jobs
  // still holding it keep their allocation until they release it.
  void set_failed(GpuIndex g, bool failed);

 private:
  // Inline: once per allocation and release; the other indexes only where
  // there are several types or attached indexes.
  void node_changed(NodeIndex n) {
    index_all_.update(n, node_free_[n]);
    if (!index_by_type_.empty() || !attached_.empty()) update_other_indexes(n);
  }
  void update_other_indexes(NodeIndex n);
  // GPU g became wholly free, or stopped being so.
  void mark_free(GpuIndex g, bool free) {
    if (node_free_mask_.empty()) return;
    const NodeIndex n = gpu_node_[g];
    const std::uint64_t bit = std::uint64_t{1} << (g - node_first_gpu_[n]);
    node_free_mask_[n] = free ? node_free_mask_[n] | bit : node_free_mask_[n] & ~bit;
  }
  void mark_stale(NodeIndex n) {
    if (n == stale_node_) return;
    update_indexes();
    stale_node_ = n;
  }
  void leave_partly_used(GpuIndex g);
  void enter_partly_used(GpuIndex g);

  ClusterSpec spec_;
  Topology topology_;
  std::vector<NodeIndex> gpu_node_;
  std::vector<TypeIndex> node_type_;
  std::vector<GpuIndex> node_first_gpu_;
  std::vector<std::uint32_t> node_gpus_;
  std::vector<std::uint32_t> type_gpus_, type_max_node_gpus_;

  std::vector<std::uint16_t> gpu_used_milli_;
  std::vector<std::uint8_t> gpu_reserved_;
  std::vector<std::uint8_t> gpu_failed_;
  std::uint32_t failed_total_ = 0;
  std::vector<std::uint32_t> node_free_;
  std::vector<std::uint64_t> node_free_mask_;  // per node; empty when a node has more than 64 GPUs
  std::vector<std::uint32_t> type_free_;
  std::uint32_t total_free_ = 0;
  std::uint32_t reserved_total_ = 0;
  std::uint64_t busy_milli_total_ = 0;

  NodeIndex stale_node_ = kNoNode;  // its free count changed, the indexes not yet
  NodeFreeIndex index_all_;
  std::vector<NodeFreeIndex> index_by_type_;  // empty with one type: index_all_ serves it
  mutable std::vector<NodeFreeObserver*> attached_;
  std::vector<std::set<std::uint64_t>> partly_used_;  // per type: partly_used_key of each partly used GPU
};

}  // namespace fastgpu
