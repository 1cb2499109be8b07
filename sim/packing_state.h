#pragma once
// The free CPU, memory and per-GPU capacity of every node of a packing run,
// changed only by allocate (pods never leave). A node's version counts its
// changes, so placements can cache what they computed for it.
#include <cstdint>
#include <span>
#include <vector>

#include "sim/packing.h"

namespace fastgpu {

// The free resources of one node, as the fragmentation measure and the
// placements read them (a real node or a hypothetical one).
struct PackingNodeView {
  std::uint32_t model = kNoModel;
  std::int64_t cpu_free = 0, memory_free = 0;
  std::span<const std::uint16_t> gpu_free;  // free milli of each GPU
};

// Whether `r` can run on a node with these free resources: its CPU and memory
// fit, the node's model is allowed, and num_gpu GPUs each have gpu_milli free.
bool request_fits(const PodRequest& r, const PackingNodeView& node);

class PackingState {
 public:
  explicit PackingState(const PackingWorkload& workload);

  std::uint32_t num_nodes() const { return static_cast<std::uint32_t>(cpu_free_.size()); }
  const PackingNode& node(std::uint32_t n) const { return workload_.nodes[n]; }
  PackingNodeView view(std::uint32_t n) const;
  std::span<const std::uint16_t> gpu_free(std::uint32_t n) const {
    return {gpu_free_.data() + first_gpu_[n], workload_.nodes[n].gpus};
  }
  std::int64_t cpu_free(std::uint32_t n) const { return cpu_free_[n]; }
  std::int64_t memory_free(std::uint32_t n) const { return memory_free_[n]; }
  std::uint64_t gpu_free_milli(std::uint32_t n) const { return node_gpu_free_[n]; }
  std::uint64_t version(std::uint32_t n) const { return version_[n]; }
  std::uint64_t allocated_gpu_milli() const { return allocated_milli_; }
  std::uint64_t gpu_capacity_milli() const { return capacity_milli_; }

  // Gives `r` to node n on the GPUs `gpus` (indexes within the node, one per
  // requested GPU). InternalError when it does not fit there.
  void allocate(std::uint32_t n, const PodRequest& r, std::span<const std::uint32_t> gpus);
  // Sets node n's free GPU milli to `gpu_free` (one per GPU; CPU and memory
  // unchanged), growing its version when anything changed: how a mirror of
  // another cluster state (the event engine's, where pods also leave) is
  // kept in step.
  void set_gpu_free(std::uint32_t n, std::span<const std::uint16_t> gpu_free);

 private:
  const PackingWorkload& workload_;
  std::vector<std::int64_t> cpu_free_, memory_free_;
  std::vector<std::uint32_t> first_gpu_;
  std::vector<std::uint16_t> gpu_free_;
  std::vector<std::uint64_t> node_gpu_free_, version_;
  std::uint64_t allocated_milli_ = 0, capacity_milli_ = 0;
};

// The GPUs a placement picks on a node: the best fit (least free capacity
// that still holds gpu_milli, ties to the lower index) for each requested
// GPU. False when the node has fewer than num_gpu such GPUs.
bool best_fit_gpus(const PodRequest& r, std::span<const std::uint16_t> gpu_free, std::vector<std::uint32_t>& gpus);

}  // namespace fastgpu
