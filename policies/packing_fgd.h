#pragma once
// Fragmentation gradient descent (FGD) for packing runs: each pod goes to the
// node, and the GPU(s) on it, where the node's expected fragmentation F_n
// (sim/gpu_fragmentation.h) grows least; ties to the lowest node, then the
// lowest GPU. A 1-GPU pod tries every GPU with room (one per distinct free
// amount, as GPUs with equal free capacity give equal results); a multi-GPU
// pod takes the best-fit GPUs. The growth of each (node, request) pair is
// cached until the node changes, so a pod costs O(nodes) lookups plus a
// recomputation for the nodes that changed since that request was last seen.
#include <vector>

#include "sim/gpu_fragmentation.h"
#include "sim/packing_placement.h"

namespace fastgpu {

class FgdPackingPlacement : public PackingPlacement {
 public:
  FgdPackingPlacement(const PackingWorkload& workload, PodShapes shapes);
  void init(const PackingState& state) override;
  bool choose(const PackingState& state, std::uint32_t request, PackingChoice& out) override;

  // The growth of F_n (milli-GPUs) if `request` went to node n on its best
  // GPU, which is stored in `gpu` (kNoModel for a pod without GPUs or several
  // GPUs); +infinity when it does not fit.
  double growth(const PackingState& state, std::uint32_t n, const PodRequest& request, std::uint32_t& gpu);

 private:
  double fragmentation_now(const PackingState& state, std::uint32_t n);

  const PackingWorkload& workload_;
  PodShapes shapes_;
  std::uint32_t nodes_ = 0;
  struct Cached {
    std::uint64_t stamp = 0;  // node version + 1 when computed; 0 = never
    double growth = 0;
    std::uint32_t gpu = 0;
  };
  std::vector<Cached> cache_;                 // request-major, one per (request, node)
  std::vector<std::uint64_t> frag_stamp_;     // per node: version + 1 of frag_
  std::vector<double> frag_;
  std::vector<std::uint16_t> scratch_;
  std::vector<std::uint32_t> gpus_;
};

}  // namespace fastgpu
