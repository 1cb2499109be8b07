#pragma once
// The packing placements (policies/packing_placements.h) as event-engine
// placements, so `placement = "fgd"` (or "dot-product", "gpu-packing",
// "gpu-clustering", "random") works in any policy that takes a placement.
// The engine's nodes have no CPU or memory, so only GPUs and GPU milli-shares
// constrain a job (gpu_share = 1 is a whole GPU, i.e. 1000 milli). Reserved
// GPUs count as full. A mirror of the engine's cluster state in the packing
// form is brought in step at each placement (O(GPUs), a node's cached work
// kept while it is unchanged); fgd learns the distribution of job shapes
// (GPUs x milli x allowed types) from the whole workload. A gang larger than
// every node of its types is spread over nodes as by first-fit.
#include <memory>
#include <string>
#include <vector>

#include "policies/placement.h"
#include "sim/gpu_fragmentation.h"
#include "sim/packing_placement.h"

namespace fastgpu {

class SharingPlacement : public FirstFitPlacement {
 public:
  explicit SharingPlacement(std::string name);
  ~SharingPlacement() override;
  void init(SchedulingContext& ctx) override;
  bool place_on_types(const SchedulingContext& ctx, JobIndex j, std::uint64_t type_mask,
                      std::vector<GpuIndex>& gpus) const override;

 private:
  std::uint32_t request_of(const SchedulingContext& ctx, JobIndex j, std::uint64_t type_mask) const;
  // Copies the cluster's free capacity into the packing state; nodes `allowed`
  // rejects (outside a job's virtual cluster) look full.
  void sync(const SchedulingContext& ctx, const VcNodeFilter* allowed = nullptr) const;
  bool choose(const SchedulingContext& ctx, std::uint32_t request, std::vector<GpuIndex>& gpus) const;

  std::string name_;
  // The mirror: one packing node per engine node, one request per distinct
  // (GPUs, milli, allowed types) met; grown as new requests appear.
  mutable PackingWorkload mirror_;
  PodShapes shapes_;
  mutable std::unique_ptr<PackingState> state_;
  mutable std::unique_ptr<PackingPlacement> inner_;
  mutable std::vector<std::uint16_t> scratch_;
  mutable PackingChoice choice_;
};

}  // namespace fastgpu
