#pragma once
// The baseline placements of packing runs (best-fit, dot-product,
// gpu-packing, gpu-clustering, random): each scores every node the pod fits
// on and takes the lowest score (ties to the lowest node).
#include <cstdint>
#include <memory>
#include <string>

#include "sim/packing_placement.h"

namespace fastgpu {

// Null when `name` is not a baseline.
std::unique_ptr<PackingPlacement> make_packing_baseline(const std::string& name, const PackingWorkload& workload,
                                                        std::uint64_t seed);

}  // namespace fastgpu
