#include "experiments/statistics_table.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>

#include <fmt/format.h>

#include "experiments/comparison.h"
#include "experiments/metric_direction.h"
#include "experiments/paired_verdicts.h"
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

// What the notes under a ranked table must explain.
struct TableNotes {
  std::size_t fewest_seeds = SIZE_MAX;
  bool below_zero = false;  // some interval reaches below 0
};

// "mean +- h"; every metric of the ranked table is non-negative, so an
// interval that reaches below 0 is marked '*' and explained under the table
// rather than printed as if it bounded the metric.
std::string mean_pm(std::span<const double> v, int decimals, TableNotes& notes) {
  const MeanCI ci = mean_ci(v);
  if (std::isnan(ci.half_width)) return format_number(ci.mean, decimals);
  std::string cell = format_number(ci.mean, decimals) + " +- " + format_number(ci.half_width, decimals);
  if (ci.lo() < 0) {
    cell += "*";
    notes.below_zero = true;
  }
  return cell;
}

std::string notes_text(const TableNotes& notes) {
  std::string out;
  if (notes.fewest_seeds == 2) {
    out += fmt::format(
        "note: with 2 seeds the 95% interval is the mean +- {:.1f} x half the gap between the two runs (Student t, "
        "1 degree of freedom), so it is wide; 5 seeds or more (--seeds 5) give a usable one\n",
        student_t_quantile(0.975, 1));
  }
  if (notes.below_zero) {
    out += "note: * the interval reaches below 0, which the metric cannot take: the seeds are too few or too spread "
           "for it to bound the metric (the mean is still the mean of the runs)\n";
  }
  return out;
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
    t.add_column("goodput");  // a fraction, as utilisation
  }
  if (failures) {
    t.add_column("final wait");
    t.add_column("GPU-h");
    t.add_column("failed GPU-h");
  }
  TableNotes notes;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Group& g = groups[order[k]];
    notes.fewest_seeds = std::min(notes.fewest_seeds, g.by_seed.size());
    auto cell = [&](const char* metric, int decimals, double scale = 1) {
      return mean_pm(values(g, metric, scale), decimals, notes);
    };
    std::vector<std::string> row{
        std::to_string(k + 1), g.label, std::to_string(g.by_seed.size()),
        cell("makespan", 1), cell("jct_mean", 1), cell("jct_p99", 1),
        cell("wait_mean", 1), cell("bounded_slowdown_mean", 2),
        cell("utilisation", 3), cell("load_variance_mean", 4),
        format_count(mean(values(g, "jobs_completed"))) + "/" + format_count(mean(values(g, "jobs_rejected")))};
    if (hardware) {
      row.push_back(cell("hardware_failures", 1));
      row.push_back(cell("failure_stops", 1));
      row.push_back(cell("lost_gpu_seconds", 1, 1.0 / 3600));
      row.push_back(cell("goodput_utilisation", 3));
    }
    if (failures) {
      row.push_back(cell("final_wait_mean", 1));
      row.push_back(cell("busy_gpu_seconds", 1, 1.0 / 3600));
      row.push_back(cell("failed_gpu_seconds", 1, 1.0 / 3600));
    }
    t.add_row(std::move(row));
  }
  return t.render() + notes_text(notes);
}

std::string paired_table(const std::vector<RunResult>& runs, const std::string& workload, const std::string& baseline) {
  struct Format {
    const char* header;
    double scale;
    int decimals;
  };
  static const std::map<std::string, Format> kFormats{{"jct_mean", {"mean JCT (s)", 1, 1}},
                                                      {"wait_mean", {"mean wait (s)", 1, 1}},
                                                      {"makespan", {"makespan (s)", 1, 1}},
                                                      {"bounded_slowdown_mean", {"mean bsld", 1, 3}},
                                                      {"utilisation", {"utilisation", 1, 4}}};
  Table t;
  t.add_column("policy", Table::Align::left);
  t.add_column("metric", Table::Align::left);
  t.add_column("pairs");
  t.add_column(baseline);
  t.add_column("policy mean");
  t.add_column("difference (95% CI)");
  t.add_column("verdict", Table::Align::left);
  for (const BaselineVerdict& v : paired_verdicts(runs, workload, baseline)) {
    const Format& f = kFormats.at(v.metric);
    std::string diff = format_number(v.difference_mean * f.scale, f.decimals);
    if (!std::isnan(v.difference_half_width)) diff += " +- " + format_number(v.difference_half_width * f.scale, f.decimals);
    if (!std::isnan(v.difference_mean) && v.difference_mean > 0) diff = "+" + diff;
    t.add_row({v.policy, f.header, std::to_string(v.pairs), format_number(v.baseline_mean * f.scale, f.decimals),
               format_number(v.policy_mean * f.scale, f.decimals), diff, v.verdict});
  }
  return t.render();
}

}  // namespace fastgpu::experiments
