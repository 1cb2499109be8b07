#include "sim/vc_partition.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu {

VcPartition::VcPartition(const Workload& workload, const ClusterState& cluster) {
  const ClusterSpec& spec = cluster.spec();
  if (spec.vcs.empty()) return;  // a trace's VC names mean nothing without partitions
  lending_ = spec.vc_lending;
  const std::size_t n = spec.vcs.size();
  vc_names_.reserve(n);
  vc_nodes_.resize(n);
  vc_gpus_.assign(n, 0);
  vc_type_gpus_.assign(n, std::vector<std::uint32_t>(cluster.num_types(), 0));
  lendable_.assign(n, 1);
  reclaims_.assign(n, 0);
  lent_.assign(n, 0);
  node_owner_.assign(cluster.num_nodes(), kNoVc);
  for (std::size_t v = 0; v < n; ++v) {
    vc_names_.push_back(spec.vcs[v].name);
    for (NodeIndex node : spec.vcs[v].nodes) {
      node_owner_[node] = static_cast<std::uint16_t>(v);
      vc_nodes_[v].push_back(node);
      vc_gpus_[v] += cluster.gpus_on_node(node);
      vc_type_gpus_[v][cluster.type_of_node(node)] += cluster.gpus_on_node(node);
    }
  }
  // Workload VC index (1-based, 0 = none) -> cluster VC.
  std::vector<std::uint16_t> to_cluster(workload.vcs.size() + 1, kNoVc);
  for (std::size_t k = 0; k < workload.vcs.size(); ++k) {
    const auto it = std::find(vc_names_.begin(), vc_names_.end(), workload.vcs[k]);
    if (it != vc_names_.end()) to_cluster[k + 1] = static_cast<std::uint16_t>(it - vc_names_.begin());
  }
  job_vc_.reserve(workload.jobs.size());
  for (const Job& job : workload.jobs) {
    if (job.vc != 0 && to_cluster[job.vc] == kNoVc) {
      throw InputError(SourceLocation{"", 0, "vc"},
                       fmt::format("job {} names virtual cluster '{}', which [[cluster.vcs]] does not define "
                                   "(defined: {})",
                                   job.id, workload.vcs[job.vc - 1], fmt::join(vc_names_, ", ")));
    }
    job_vc_.push_back(to_cluster[job.vc]);
  }
}

std::string VcPartition::unplaceable_reason(JobIndex j, const Job& job, std::uint64_t allowed_types) const {
  const std::uint16_t vc = vc_of(j);
  if (vc == kNoVc) return {};
  std::uint32_t capacity = 0;
  for (std::size_t t = 0; t < vc_type_gpus_[vc].size(); ++t)
    if (allowed_types >> t & 1) capacity = std::max(capacity, vc_type_gpus_[vc][t]);
  if (job.num_gpus > capacity)
    return fmt::format("needs more GPUs than its virtual cluster '{}' has of any allowed type", vc_names_[vc]);
  return {};
}

}  // namespace fastgpu
