#include "sim/packing_state.h"

#include <algorithm>

#include "sim/error.h"

namespace fastgpu {

bool request_fits(const PodRequest& r, const PackingNodeView& node) {
  if (r.cpu_milli > node.cpu_free || r.memory_mib > node.memory_free) return false;
  if (r.num_gpu == 0) return true;
  if (node.model == kNoModel || !(r.models >> node.model & 1)) return false;
  std::uint32_t usable = 0;
  for (std::uint16_t f : node.gpu_free) usable += f >= r.gpu_milli;
  return usable >= r.num_gpu;
}

PackingState::PackingState(const PackingWorkload& workload) : workload_(workload) {
  const auto n = workload.nodes.size();
  cpu_free_.resize(n);
  memory_free_.resize(n);
  first_gpu_.resize(n);
  node_gpu_free_.resize(n);
  version_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const PackingNode& node = workload.nodes[i];
    cpu_free_[i] = node.cpu_milli;
    memory_free_[i] = node.memory_mib;
    first_gpu_[i] = static_cast<std::uint32_t>(gpu_free_.size());
    gpu_free_.insert(gpu_free_.end(), node.gpus, 1000);
    node_gpu_free_[i] = std::uint64_t{node.gpus} * 1000;
    capacity_milli_ += node_gpu_free_[i];
  }
}

PackingNodeView PackingState::view(std::uint32_t n) const {
  return {workload_.nodes[n].model, cpu_free_[n], memory_free_[n], gpu_free(n)};
}

void PackingState::allocate(std::uint32_t n, const PodRequest& r, std::span<const std::uint32_t> gpus) {
  if (n >= num_nodes() || gpus.size() != r.num_gpu || !request_fits(r, view(n)))
    throw InternalError("packing: a placement chose a node the pod does not fit on");
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    const std::uint32_t g = gpus[i];
    if (g >= workload_.nodes[n].gpus || gpu_free_[first_gpu_[n] + g] < r.gpu_milli ||
        std::find(gpus.begin(), gpus.begin() + static_cast<std::ptrdiff_t>(i), g) != gpus.begin() + static_cast<std::ptrdiff_t>(i))
      throw InternalError("packing: a placement chose a GPU without room for the pod");
  }
  cpu_free_[n] -= r.cpu_milli;
  memory_free_[n] -= r.memory_mib;
  for (std::uint32_t g : gpus) gpu_free_[first_gpu_[n] + g] = static_cast<std::uint16_t>(gpu_free_[first_gpu_[n] + g] - r.gpu_milli);
  node_gpu_free_[n] -= r.gpu_milli_total();
  allocated_milli_ += r.gpu_milli_total();
  ++version_[n];
}

void PackingState::set_gpu_free(std::uint32_t n, std::span<const std::uint16_t> gpu_free) {
  if (gpu_free.size() != workload_.nodes[n].gpus) throw InternalError("packing: GPU count mismatch in set_gpu_free");
  std::uint16_t* mine = gpu_free_.data() + first_gpu_[n];
  if (std::equal(gpu_free.begin(), gpu_free.end(), mine)) return;
  std::uint64_t total = 0;
  for (std::size_t g = 0; g < gpu_free.size(); ++g) {
    if (gpu_free[g] > 1000) throw InternalError("packing: more than a whole GPU free");
    mine[g] = gpu_free[g];
    total += gpu_free[g];
  }
  allocated_milli_ = allocated_milli_ + node_gpu_free_[n] - total;
  node_gpu_free_[n] = total;
  ++version_[n];
}

bool best_fit_gpus(const PodRequest& r, std::span<const std::uint16_t> gpu_free, std::vector<std::uint32_t>& gpus) {
  gpus.clear();
  if (r.num_gpu == 0) return true;
  for (std::uint32_t k = 0; k < r.num_gpu; ++k) {
    std::uint32_t best = kNoModel;
    for (std::uint32_t g = 0; g < gpu_free.size(); ++g) {
      if (gpu_free[g] < r.gpu_milli || std::find(gpus.begin(), gpus.end(), g) != gpus.end()) continue;
      if (best == kNoModel || gpu_free[g] < gpu_free[best]) best = g;
    }
    if (best == kNoModel) return false;
    gpus.push_back(best);
  }
  return true;
}

}  // namespace fastgpu
