#include "sim/gpu_fragmentation.h"

#include <algorithm>
#include <functional>
#include <numeric>

namespace fastgpu {

PodShapes pod_shapes(const PackingWorkload& workload, double coverage) {
  std::vector<std::uint32_t> order(workload.requests.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return workload.request_pods[a] > workload.request_pods[b]; });
  const double pods = static_cast<double>(workload.pods.size());
  PodShapes out;
  double covered = 0;
  for (std::uint32_t r : order) {
    if (covered >= coverage * pods && !out.shapes.empty()) break;
    out.shapes.push_back(workload.requests[r]);
    out.weights.push_back(workload.request_pods[r]);
    covered += workload.request_pods[r];
  }
  for (double& w : out.weights) w /= covered;
  std::vector<std::size_t> by_milli(out.shapes.size());
  std::iota(by_milli.begin(), by_milli.end(), std::size_t{0});
  std::stable_sort(by_milli.begin(), by_milli.end(),
                   [&](std::size_t a, std::size_t b) { return out.shapes[a].gpu_milli > out.shapes[b].gpu_milli; });
  PodShapes sorted;
  for (std::size_t i : by_milli) {
    sorted.shapes.push_back(out.shapes[i]);
    sorted.weights.push_back(out.weights[i]);
  }
  return sorted;
}

double shape_fragmentation(const PodRequest& m, const PackingNodeView& node) {
  std::uint64_t total = 0, small = 0;
  std::uint32_t usable = 0;
  for (std::uint16_t f : node.gpu_free) {
    total += f;
    if (f >= m.gpu_milli) {
      ++usable;
    } else {
      small += f;
    }
  }
  if (m.num_gpu == 0 || m.cpu_milli > node.cpu_free || m.memory_mib > node.memory_free || node.model == kNoModel ||
      !(m.models >> node.model & 1) || usable < m.num_gpu)
    return static_cast<double>(total);
  return static_cast<double>(small);
}

double node_fragmentation(const PodShapes& shapes, const PackingNodeView& node) {
  const std::size_t gpus = node.gpu_free.size();
  if (gpus == 0) return 0;
  // Free capacities, highest first; shapes come by gpu_milli, highest first,
  // so the GPUs with room for a shape only grow along the shapes.
  std::uint16_t free[kMaxPackingGpusPerNode];
  std::copy(node.gpu_free.begin(), node.gpu_free.end(), free);
  std::sort(free, free + gpus, std::greater<>());
  std::uint64_t total = 0;
  for (std::size_t g = 0; g < gpus; ++g) total += free[g];
  std::size_t usable = 0;     // GPUs with at least the shape's gpu_milli free
  std::uint64_t usable_free = 0;
  double sum = 0;
  for (std::size_t i = 0; i < shapes.shapes.size(); ++i) {
    const PodRequest& m = shapes.shapes[i];
    while (usable < gpus && free[usable] >= m.gpu_milli) usable_free += free[usable++];
    std::uint64_t f = total;
    if (m.num_gpu > 0 && m.cpu_milli <= node.cpu_free && m.memory_mib <= node.memory_free && node.model != kNoModel &&
        (m.models >> node.model & 1) && usable >= m.num_gpu)
      f = total - usable_free;
    sum += shapes.weights[i] * static_cast<double>(f);
  }
  return sum;
}

}  // namespace fastgpu
