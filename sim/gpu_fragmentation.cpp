#include "sim/gpu_fragmentation.h"

#include <algorithm>
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
  return out;
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
  if (node.gpu_free.empty()) return 0;
  double sum = 0;
  for (std::size_t i = 0; i < shapes.shapes.size(); ++i) sum += shapes.weights[i] * shape_fragmentation(shapes.shapes[i], node);
  return sum;
}

}  // namespace fastgpu
