#include "experiments/paired_verdicts.h"

#include <map>

#include <fmt/format.h>

#include "experiments/metric_direction.h"
#include "experiments/statistics.h"
#include "sim/error.h"
#include "sim/metrics.h"

namespace fastgpu::experiments {

namespace {

double field(const RunResult& r, const std::string& name) {
  for (const auto& [n, v] : summary_fields(r.summary)) {
    if (n == name) return v;
  }
  throw InternalError("no summary field " + name);
}

}  // namespace

const std::vector<std::string>& paired_metrics() {
  static const std::vector<std::string> metrics{"jct_mean", "wait_mean", "makespan", "bounded_slowdown_mean",
                                                "utilisation"};
  return metrics;
}

std::vector<BaselineVerdict> paired_verdicts(const std::vector<RunResult>& runs, const std::string& workload,
                                             const std::string& baseline) {
  // The runs of each policy on the workload, by seed, policies in order of first appearance.
  std::vector<std::string> labels;
  std::map<std::string, std::map<std::uint64_t, const RunResult*>> by_policy;
  for (const RunResult& r : runs) {
    if (r.workload != workload) continue;
    if (!by_policy.count(r.policy)) labels.push_back(r.policy);
    by_policy[r.policy][r.seed] = &r;
  }
  const auto base = by_policy.find(baseline);
  if (base == by_policy.end()) {
    throw InputError(fmt::format("--baseline: no policy '{}' on workload '{}' (policies: {})", baseline, workload,
                                 fmt::join(labels, ", ")));
  }
  std::vector<BaselineVerdict> out;
  for (const std::string& label : labels) {
    if (label == baseline) continue;
    for (const std::string& metric : paired_metrics()) {
      std::vector<double> a, b;
      for (const auto& [seed, r] : by_policy[label]) {
        auto it = base->second.find(seed);
        if (it == base->second.end()) continue;
        a.push_back(field(*r, metric));
        b.push_back(field(*it->second, metric));
      }
      const PairedComparison pc = paired_compare(a, b, metric_direction(metric));
      out.push_back(BaselineVerdict{workload, baseline, label, metric, a.size(), mean(b), mean(a),
                                    pc.difference.mean, pc.difference.half_width, to_string(pc.verdict)});
    }
  }
  return out;
}

}  // namespace fastgpu::experiments
