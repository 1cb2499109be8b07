#include "experiments/comparison.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "experiments/table.h"

namespace fastgpu::experiments {

std::vector<PolicyMeans> rank_policies(const std::vector<RunResult>& runs) {
  std::vector<PolicyMeans> out;
  std::map<std::string, std::size_t> index;
  for (const RunResult& r : runs) {
    auto [it, added] = index.try_emplace(r.policy, out.size());
    if (added) out.push_back(PolicyMeans{r.policy});
    PolicyMeans& m = out[it->second];
    const Summary& s = r.summary;
    m.runs += 1;
    m.makespan += s.makespan;
    m.jct_mean += s.jct_mean;
    m.jct_p99 += s.jct_p99;
    m.wait_mean += s.wait_mean;
    m.bounded_slowdown_mean += s.bounded_slowdown_mean;
    m.utilisation += s.utilisation;
    m.load_variance_mean += s.load_variance_mean;
    m.jobs_completed += static_cast<double>(s.jobs_completed);
    m.jobs_rejected += static_cast<double>(s.jobs_rejected);
  }
  for (PolicyMeans& m : out) {
    const double n = static_cast<double>(m.runs);
    for (double* v : {&m.makespan, &m.jct_mean, &m.jct_p99, &m.wait_mean, &m.bounded_slowdown_mean, &m.utilisation,
                      &m.load_variance_mean, &m.jobs_completed, &m.jobs_rejected}) {
      *v /= n;
    }
  }
  auto key = [](double v) { return std::isnan(v) ? std::numeric_limits<double>::infinity() : v; };
  std::stable_sort(out.begin(), out.end(), [&](const PolicyMeans& a, const PolicyMeans& b) {
    if (key(a.jct_mean) != key(b.jct_mean)) return key(a.jct_mean) < key(b.jct_mean);
    if (key(a.makespan) != key(b.makespan)) return key(a.makespan) < key(b.makespan);
    return a.label < b.label;
  });
  return out;
}

void add_metric_columns(Table& t) {
  t.add_column("makespan (s)");
  t.add_column("mean JCT (s)");
  t.add_column("p99 JCT (s)");
  t.add_column("mean wait (s)");
  t.add_column("mean bsld");
  t.add_column("utilisation");  // the fraction, as `utilisation` in the results file
  t.add_column("load var");
  t.add_column("completed/rejected");
}

namespace {

void append_metrics(std::vector<std::string>& row, double makespan, double jct_mean, double jct_p99, double wait_mean,
                    double bsld, double util, double load_var, double completed, double rejected) {
  row.push_back(format_number(makespan, 1));
  row.push_back(format_number(jct_mean, 1));
  row.push_back(format_number(jct_p99, 1));
  row.push_back(format_number(wait_mean, 1));
  row.push_back(format_number(bsld, 2));
  row.push_back(format_number(util, 3));
  row.push_back(format_number(load_var, 4));
  row.push_back(format_count(completed) + "/" + format_count(rejected));
}

}  // namespace

std::string comparison_table(const std::vector<PolicyMeans>& ranked) {
  Table t;
  t.add_column("rank");
  t.add_column("policy", Table::Align::left);
  add_metric_columns(t);
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const PolicyMeans& m = ranked[i];
    std::vector<std::string> row{std::to_string(i + 1), m.label};
    append_metrics(row, m.makespan, m.jct_mean, m.jct_p99, m.wait_mean, m.bounded_slowdown_mean, m.utilisation,
                   m.load_variance_mean, m.jobs_completed, m.jobs_rejected);
    t.add_row(std::move(row));
  }
  return t.render();
}

std::string runs_table(const std::vector<RunResult>& runs) {
  Table t;
  t.add_column("policy", Table::Align::left);
  t.add_column("workload", Table::Align::left);
  t.add_column("seed");
  add_metric_columns(t);
  for (const RunResult& r : runs) {
    const Summary& s = r.summary;
    std::vector<std::string> row{r.policy, r.workload, std::to_string(r.seed)};
    append_metrics(row, s.makespan, s.jct_mean, s.jct_p99, s.wait_mean, s.bounded_slowdown_mean, s.utilisation,
                   s.load_variance_mean, static_cast<double>(s.jobs_completed), static_cast<double>(s.jobs_rejected));
    t.add_row(std::move(row));
  }
  return t.render();
}

}  // namespace fastgpu::experiments
