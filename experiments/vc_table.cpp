#include "experiments/vc_table.h"

#include <map>

#include "experiments/table.h"

namespace fastgpu::experiments {

namespace {

void add_vc_columns(Table& t) {
  t.add_column("vc", Table::Align::left);
  t.add_column("GPUs");
  t.add_column("jobs");
  t.add_column("completed/rejected");
  t.add_column("mean wait (s)");
  t.add_column("mean JCT (s)");
  t.add_column("util (%)");
  t.add_column("lent (GPU-h)");
  t.add_column("reclaims");
}

// Sums of VcSummary fields, for means over seeds.
struct VcSums {
  double runs = 0, gpus = 0, jobs = 0, completed = 0, rejected = 0, wait = 0, jct = 0, util = 0, lent = 0, reclaims = 0;
  void add(const VcSummary& v) {
    runs += 1;
    gpus += v.gpus;
    jobs += static_cast<double>(v.jobs_total);
    completed += static_cast<double>(v.jobs_completed);
    rejected += static_cast<double>(v.jobs_rejected);
    wait += v.wait_mean;
    jct += v.jct_mean;
    util += v.utilisation;
    lent += v.lent_gpu_seconds;
    reclaims += static_cast<double>(v.reclaims);
  }
  void append(std::vector<std::string>& row) const {
    const double n = runs > 0 ? runs : 1;
    row.push_back(format_count(gpus / n));
    row.push_back(format_count(jobs / n));
    row.push_back(format_count(completed / n) + "/" + format_count(rejected / n));
    row.push_back(format_number(wait / n, 1));
    row.push_back(format_number(jct / n, 1));
    row.push_back(format_number(util / n * 100, 1));
    row.push_back(format_number(lent / n / 3600, 1));
    row.push_back(format_count(reclaims / n));
  }
};

}  // namespace

std::string vc_runs_table(const std::vector<RunResult>& runs) {
  Table t;
  t.add_column("policy", Table::Align::left);
  t.add_column("workload", Table::Align::left);
  t.add_column("seed");
  add_vc_columns(t);
  for (const RunResult& r : runs) {
    for (const VcSummary& v : r.vcs) {
      std::vector<std::string> row{r.policy, r.workload, std::to_string(r.seed), v.name};
      VcSums sums;
      sums.add(v);
      sums.append(row);
      t.add_row(std::move(row));
    }
  }
  return t.rows() == 0 ? std::string() : t.render();
}

std::string vc_means_table(const std::vector<RunResult>& runs, const std::string& workload) {
  // Policies and VCs in the order they first appear.
  std::vector<std::pair<std::string, std::string>> order;
  std::map<std::pair<std::string, std::string>, VcSums> sums;
  for (const RunResult& r : runs) {
    if (r.workload != workload) continue;
    for (const VcSummary& v : r.vcs) {
      const auto key = std::make_pair(r.policy, v.name);
      if (!sums.contains(key)) order.push_back(key);
      sums[key].add(v);
    }
  }
  Table t;
  t.add_column("policy", Table::Align::left);
  add_vc_columns(t);
  for (const auto& key : order) {
    std::vector<std::string> row{key.first, key.second};
    sums[key].append(row);
    t.add_row(std::move(row));
  }
  return t.rows() == 0 ? std::string() : t.render();
}

}  // namespace fastgpu::experiments
