#pragma once
// The interface of a placement in a packing run (sim/packing_run.h): given
// the current state and an arriving pod, the node and GPUs it gets. Built-in
// placements are in policies/packing_placements.h.
#include <cstdint>
#include <vector>

#include "sim/packing_state.h"

namespace fastgpu {

struct PackingChoice {
  std::uint32_t node = kNoModel;
  std::vector<std::uint32_t> gpus;  // indexes within the node, one per requested GPU
};

class PackingPlacement {
 public:
  virtual ~PackingPlacement() = default;
  // Called once before the first pod.
  virtual void init(const PackingState&) {}
  // Fills `out` for the pod with request `request` (an index into the
  // workload's requests) and returns true, or returns false when the pod fits
  // on no node. Must not choose a node the pod does not fit on.
  virtual bool choose(const PackingState& state, std::uint32_t request, PackingChoice& out) = 0;
  // Called after the run allocated the pod as chosen (the node's version grew).
  virtual void placed(const PackingState&, std::uint32_t /*request*/, const PackingChoice&) {}
};

}  // namespace fastgpu
