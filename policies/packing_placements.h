#pragma once
// The placements of packing runs (sim/packing_run.h), by name:
//   fgd            fragmentation gradient descent: the node and GPUs whose
//                  expected fragmentation (sim/gpu_fragmentation.h) grows least
//   best-fit       the node left with the least free CPU + GPU (normalised)
//   dot-product    Tetris: the node whose free CPU and GPU align best with the request
//   gpu-packing    partly used GPUs first, then nodes already running GPU pods, then idle nodes
//   gpu-clustering nodes already running pods of the same GPU request first, then idle nodes
//   random         a uniformly random node that fits (seeded)
// Ties go to the lowest node index; within the node the GPUs are the best
// fit (least free capacity that still holds the request), except for fgd
// (the GPU that minimises the growth) and random (random GPUs).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/gpu_fragmentation.h"
#include "sim/packing_placement.h"

namespace fastgpu {

const std::vector<std::string>& packing_placement_names();
bool is_packing_placement(const std::string& name);

// `shapes` is what fgd takes as the workload's distribution of pod shapes
// (the others ignore it); `seed` drives random. The workload must outlive the
// placement. InputError for an unknown name.
std::unique_ptr<PackingPlacement> make_packing_placement(const std::string& name, const PackingWorkload& workload,
                                                         const PodShapes& shapes, std::uint64_t seed);

}  // namespace fastgpu
