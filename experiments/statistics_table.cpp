#include "experiments/statistics_table.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "experiments/comparison.h"
#include "experiments/metric_direction.h"
#include "experiments/statistics.h"
#include "experiments/table.h"
#include "sim/error.h"
#include "sim/metrics.h"

namespace fastgpu::experiments {

namespace {

// The runs of one policy on one workload, by seed.
struct Group {
  std::string label;
  std::map<std::uint64_t, const RunResult*> by_seed;
};

std::vector<Group> groups_of(const std::vector<RunResult>& runs, const std::string& workload) {
  std::vector<Group> out;
  std::map<std::string, std::size_t> index;
  for (const RunResult& r : runs) {
    if (r.workload != workload) continue;
    auto [it, added] = index.try_emplace(r.policy, out.size());
    if (added) out.push_back(Group{r.policy, {}});
    out[it->second].by_seed[r.seed] = &r;
  }
  return out;
}

double field(const RunResult& r, const std::string& name) {
  for (const auto& [n, v] : summary_fields(r.summary)) {
    if (n == name) return v;
  }
  throw InternalError("no summary field " + name);
}

std::vector<double> values(const Group& g, const std::string& metric, double scale = 1) {
  std::vector<double> v;
  for (const auto& [seed, r] : g.by_seed) v.push_back(field(*r, metric) * scale);
  return v;
}

std::string mean_pm(std::span<const double> v, int decimals) {
  const MeanCI ci = mean_ci(v);
  if (std::isnan(ci.half_width)) return format_number(ci.mean, decimals);
  return format_number(ci.mean, decimals) + " +- " + format_number(ci.half_width, decimals);
}

}  // namespace

std::vector<std::string> workloads_of(const std::vector<RunResult>& runs) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const RunResult& r : runs) {
    if (seen.insert(r.workload).second) out.push_back(r.workload);
  }
  return out;
}

std::string ranked_ci_table(const std::vector<RunResult>& runs, const std::string& workload) {
  std::vector<Group> groups = groups_of(runs, workload);
  std::vector<double> jct, makespan;
  for (const Group& g : groups) {
    jct.push_back(mean(values(g, "jct_mean")));
    makespan.push_back(mean(values(g, "makespan")));
  }
  auto key = [](double v) { return std::isnan(v) ? INFINITY : v; };
  std::vector<std::size_t> order(groups.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (key(jct[a]) != key(jct[b])) return key(jct[a]) < key(jct[b]);
    if (key(makespan[a]) != key(makespan[b])) return key(makespan[a]) < key(makespan[b]);
    return groups[a].label < groups[b].label;
  });

  Table t;
  t.add_column("rank");
  t.add_column("policy", Table::Align::left);
  t.add_column("seeds");
  add_metric_columns(t);
  // When some run of the results had failed attempts, every workload's table
  // also shows the wait until the last run and the GPU time, all and failed.
  bool failures = false;
  for (const RunResult& r : runs) failures |= r.summary.failed_attempts > 0;
  // With hardware failures: jobs stopped, GPU time lost and the goodput utilisation.
  bool hardware = false;
  for (const RunResult& r : runs) hardware |= r.summary.hardware_failures > 0;
  if (hardware) {
    t.add_column("failures");
    t.add_column("stops");
    t.add_column("lost GPU-h");
    t.add_column("goodput %");
  }
  if (failures) {
    t.add_column("final wait");
    t.add_column("GPU-h");
    t.add_column("failed GPU-h");
  }
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Group& g = groups[order[k]];
    std::vector<std::string> row{
        std::to_string(k + 1), g.label, std::to_string(g.by_seed.size()),
        mean_pm(values(g, "makespan"), 1), mean_pm(values(g, "jct_mean"), 1), mean_pm(values(g, "jct_p99"), 1),
        mean_pm(values(g, "wait_mean"), 1), mean_pm(values(g, "bounded_slowdown_mean"), 2),
        mean_pm(values(g, "utilisation", 100), 1), mean_pm(values(g, "load_variance_mean"), 4),
        format_count(mean(values(g, "jobs_completed"))) + "/" + format_count(mean(values(g, "jobs_rejected")))};
    if (hardware) {
      row.push_back(mean_pm(values(g, "hardware_failures"), 1));
      row.push_back(mean_pm(values(g, "failure_stops"), 1));
      row.push_back(mean_pm(values(g, "lost_gpu_seconds", 1.0 / 3600), 1));
      row.push_back(mean_pm(values(g, "goodput_utilisation", 100), 1));
    }
    if (failures) {
      row.push_back(mean_pm(values(g, "final_wait_mean"), 1));
      row.push_back(mean_pm(values(g, "busy_gpu_seconds", 1.0 / 3600), 1));
      row.push_back(mean_pm(values(g, "failed_gpu_seconds", 1.0 / 3600), 1));
    }
    t.add_row(std::move(row));
  }
  return t.render();
}

std::string paired_table(const std::vector<RunResult>& runs, const std::string& workload, const std::string& baseline) {
  const std::vector<Group> groups = groups_of(runs, workload);
  const Group* base = nullptr;
  for (const Group& g : groups) {
    if (g.label == baseline) base = &g;
  }
  if (!base) {
    std::vector<std::string> labels;
    for (const Group& g : groups) labels.push_back(g.label);
    throw InputError(fmt::format("--baseline: no policy '{}' on workload '{}' (policies: {})", baseline, workload,
                                 fmt::join(labels, ", ")));
  }
  struct Metric {
    const char* name;
    const char* header;
    double scale;
    int decimals;
  };
  static constexpr Metric kMetrics[] = {{"jct_mean", "mean JCT (s)", 1, 1},
                                        {"wait_mean", "mean wait (s)", 1, 1},
                                        {"makespan", "makespan (s)", 1, 1},
                                        {"bounded_slowdown_mean", "mean bsld", 1, 3},
                                        {"utilisation", "util (%)", 100, 2}};
  Table t;
  t.add_column("policy", Table::Align::left);
  t.add_column("metric", Table::Align::left);
  t.add_column("pairs");
  t.add_column(baseline);
  t.add_column("policy mean");
  t.add_column("difference (95% CI)");
  t.add_column("verdict", Table::Align::left);
  for (const Group& g : groups) {
    if (&g == base) continue;
    for (const Metric& m : kMetrics) {
      std::vector<double> a, b;
      for (const auto& [seed, r] : g.by_seed) {
        auto it = base->by_seed.find(seed);
        if (it == base->by_seed.end()) continue;
        a.push_back(field(*r, m.name) * m.scale);
        b.push_back(field(*it->second, m.name) * m.scale);
      }
      const PairedComparison pc = paired_compare(a, b, metric_direction(m.name));
      const MeanCI& d = pc.difference;
      std::string diff = format_number(d.mean, m.decimals);
      if (!std::isnan(d.half_width)) diff += " +- " + format_number(d.half_width, m.decimals);
      if (!std::isnan(d.mean) && d.mean > 0) diff = "+" + diff;
      t.add_row({g.label, m.header, std::to_string(a.size()), format_number(mean(b), m.decimals),
                 format_number(mean(a), m.decimals), diff, to_string(pc.verdict)});
    }
  }
  return t.render();
}

}  // namespace fastgpu::experiments
