#pragma once
// One packing run: pods are drawn from the pod list uniformly with
// replacement (seeded, counter-based: draw i depends only on the seed and i)
// and arrive one after another until the GPU they requested reaches `target`
// times the cluster's GPU capacity; pods never leave. Each pod is placed by
// the placement or, when it fits on no node, counted as unplaceable. After
// every pod the curves are sampled at each grid point the arrived workload
// crossed (arrived GPU requests as a percentage of the capacity).
//
// This is a driver of its own rather than the event engine: with no
// departures there is no time, no queue and no event to order, and the run
// is the loop above over a state of free CPU, memory and GPU milli per node.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/gpu_fragmentation.h"
#include "sim/packing_placement.h"

namespace fastgpu {

struct PackingRunOptions {
  double target = 1.3;         // stop when arrived GPU requests >= target x capacity
  double step_percent = 1.0;   // curve grid (percent of capacity)
  std::uint64_t seed = 1;
};

// One point of the curves, at an arrived workload of `arrived_percent`.
struct PackingCurvePoint {
  double arrived_percent = 0;     // grid point: arrived GPU requests / capacity x 100
  double allocated_percent = 0;   // allocated GPU / capacity x 100
  double fragmented_percent = 0;  // expected fragmented GPU / capacity x 100
  double fragmented_of_free = 0;  // expected fragmented GPU / free GPU x 100 (0 when nothing is free)
  double unplaceable_pods = 0;    // pods that fitted on no node so far
  double unplaceable_gpu_percent = 0;  // their GPU requests / capacity x 100
  double pods = 0;                // pods arrived so far
};

struct PackingRunResult {
  std::string placement, workload;
  std::uint64_t seed = 0;
  std::uint64_t capacity_milli = 0;
  std::vector<PackingCurvePoint> curve;
  PackingCurvePoint end;             // after the last pod (arrived_percent = exact arrived workload)
  double wall_seconds = 0;
  // The point of the grid at `percent` (the last one at or below it).
  const PackingCurvePoint& at(double percent) const;
};

// `shapes` is the distribution the fragmentation curve is measured with.
// InputError when the list requests no GPU at all (nothing to pack).
PackingRunResult run_packing(const PackingWorkload& workload, const PodShapes& shapes, PackingPlacement& placement,
                             const PackingRunOptions& options);

}  // namespace fastgpu
