#include "policies/packing_fgd.h"

#include <algorithm>
#include <limits>

namespace fastgpu {

FgdPackingPlacement::FgdPackingPlacement(const PackingWorkload& workload, PodShapes shapes)
    : workload_(workload), shapes_(std::move(shapes)) {}

void FgdPackingPlacement::init(const PackingState& state) {
  nodes_ = state.num_nodes();
  cache_.assign(std::size_t{nodes_} * workload_.requests.size(), Cached{});
  frag_stamp_.assign(state.num_nodes(), 0);
  frag_.assign(state.num_nodes(), 0);
}

double FgdPackingPlacement::fragmentation_now(const PackingState& state, std::uint32_t n) {
  if (frag_stamp_[n] != state.version(n) + 1) {
    frag_[n] = node_fragmentation(shapes_, state.view(n));
    frag_stamp_[n] = state.version(n) + 1;
  }
  return frag_[n];
}

double FgdPackingPlacement::growth(const PackingState& state, std::uint32_t n, const PodRequest& r,
                                   std::uint32_t& gpu) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  gpu = kNoModel;
  const PackingNodeView now = state.view(n);
  if (!request_fits(r, now)) return kInf;
  const double before = fragmentation_now(state, n);
  PackingNodeView after = now;
  after.cpu_free -= r.cpu_milli;
  after.memory_free -= r.memory_mib;
  scratch_.assign(now.gpu_free.begin(), now.gpu_free.end());
  after.gpu_free = scratch_;
  if (r.num_gpu == 0) return node_fragmentation(shapes_, after) - before;
  if (r.num_gpu > 1) {
    best_fit_gpus(r, now.gpu_free, gpus_);
    for (std::uint32_t g : gpus_) scratch_[g] = static_cast<std::uint16_t>(scratch_[g] - r.gpu_milli);
    return node_fragmentation(shapes_, after) - before;
  }
  double best = kInf;
  for (std::uint32_t g = 0; g < now.gpu_free.size(); ++g) {
    const std::uint16_t f = now.gpu_free[g];
    if (f < r.gpu_milli) continue;
    bool seen = false;  // an earlier GPU with the same free amount gives the same result
    for (std::uint32_t e = 0; e < g && !seen; ++e) seen = now.gpu_free[e] == f;
    if (seen) continue;
    scratch_[g] = static_cast<std::uint16_t>(f - r.gpu_milli);
    const double d = node_fragmentation(shapes_, after) - before;
    scratch_[g] = f;
    if (d < best) {
      best = d;
      gpu = g;
    }
  }
  return best;
}

bool FgdPackingPlacement::choose(const PackingState& state, std::uint32_t request, PackingChoice& out) {
  const PodRequest& r = workload_.requests[request];
  // Requests added to the workload after init (the event engine's adapter
  // meets new ones) get their cache rows now.
  if (cache_.size() < std::size_t{nodes_} * (request + 1)) cache_.resize(std::size_t{nodes_} * (request + 1));
  double best = std::numeric_limits<double>::infinity();
  std::uint32_t best_node = kNoModel, best_gpu = kNoModel;
  for (std::uint32_t n = 0; n < state.num_nodes(); ++n) {
    Cached& c = cache_[std::size_t{request} * nodes_ + n];
    if (c.stamp != state.version(n) + 1) {
      c.growth = growth(state, n, r, c.gpu);
      c.stamp = state.version(n) + 1;
    }
    if (c.growth < best) {
      best = c.growth;
      best_node = n;
      best_gpu = c.gpu;
    }
  }
  if (best_node == kNoModel) return false;
  out.node = best_node;
  out.gpus.clear();
  if (r.num_gpu == 1) {
    out.gpus.push_back(best_gpu);
  } else if (r.num_gpu > 1) {
    best_fit_gpus(r, state.gpu_free(best_node), out.gpus);
  }
  return true;
}

}  // namespace fastgpu
