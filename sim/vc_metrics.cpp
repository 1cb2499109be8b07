#include "sim/vc_metrics.h"

namespace fastgpu {

std::vector<VcSummary> compute_vc_summaries(const VcPartition& vcs, const ClusterState& cluster, const RunResult& r) {
  std::vector<VcSummary> out(vcs.num_vcs());
  std::vector<double> wait_sum(out.size(), 0), jct_sum(out.size(), 0);
  for (JobIndex j = 0; j < r.jobs.size(); ++j) {
    const std::uint16_t v = vcs.vc_of(j);
    if (v == kNoVc) continue;
    const JobRecord& rec = r.jobs[j];
    VcSummary& s = out[v];
    ++s.jobs_total;
    if (rec.outcome != JobOutcome::finished) {
      ++s.jobs_rejected;
      continue;
    }
    ++s.jobs_completed;
    wait_sum[v] += rec.wait();
    jct_sum[v] += rec.jct();
  }
  for (std::uint16_t v = 0; v < out.size(); ++v) {
    VcSummary& s = out[v];
    s.name = vcs.name(v);
    s.gpus = vcs.gpus_of(v);
    if (s.jobs_completed > 0) {
      s.wait_mean = wait_sum[v] / static_cast<double>(s.jobs_completed);
      s.jct_mean = jct_sum[v] / static_cast<double>(s.jobs_completed);
    }
    double busy = 0;
    for (NodeIndex n : vcs.nodes_of(v)) {
      const GpuIndex first = cluster.first_gpu(n);
      for (GpuIndex g = first; g < first + cluster.gpus_on_node(n); ++g) busy += r.gpu_busy_seconds[g];
    }
    const double capacity = static_cast<double>(s.gpus) * r.summary.makespan;
    s.utilisation = capacity > 0 ? busy / capacity : 0.0;
    s.lent_gpu_seconds = vcs.lent_gpu_seconds(v);
    s.reclaims = vcs.reclaims(v);
  }
  return out;
}

}  // namespace fastgpu
