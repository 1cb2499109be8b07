#include "policies/backfill_support.h"

#include <algorithm>

namespace fastgpu {

bool first_fit_on_type(const SchedulingContext& ctx, JobIndex j, TypeIndex t, std::vector<GpuIndex>& gpus) {
  gpus.clear();
  if (!ctx.type_allowed(j, t)) return false;
  const ClusterState& cluster = ctx.cluster();
  const NodeFreeIndex& index = cluster.free_index(t);
  const Job& job = ctx.job(j);
  auto take = [&](NodeIndex node, std::uint32_t count) {
    const GpuIndex first = cluster.first_gpu(node);
    for (GpuIndex g = first; count > 0 && g < first + cluster.gpus_on_node(node); ++g) {
      if (cluster.is_free(g)) {
        gpus.push_back(g);
        --count;
      }
    }
  };
  if (job.gpu_share < 1.0f) {
    const std::uint32_t milli = job.milli_per_gpu();
    for (std::uint32_t pos = 0; pos < index.size(); ++pos) {
      const NodeIndex node = index.node_at(pos);
      const GpuIndex first = cluster.first_gpu(node);
      for (GpuIndex g = first; g < first + cluster.gpus_on_node(node); ++g) {
        if (milli <= cluster.free_milli(g)) {
          gpus.push_back(g);
          return true;
        }
      }
    }
    return false;
  }
  const std::uint32_t k = job.num_gpus;
  if (cluster.free_gpus_of_type(t) < k) return false;
  if (const auto pos = index.find_first(k); pos != NodeFreeIndex::npos) {
    take(index.node_at(pos), k);
    return true;
  }
  std::uint32_t need = k;
  for (auto pos = index.find_first(1); need > 0 && pos != NodeFreeIndex::npos; pos = index.find_first(1, pos + 1)) {
    const std::uint32_t n = std::min(need, index.free_at(pos));
    take(index.node_at(pos), n);
    need -= n;
  }
  return need == 0;
}

}  // namespace fastgpu
