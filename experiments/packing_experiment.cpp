#include "experiments/packing_experiment.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "experiments/statistics.h"
#include "experiments/table.h"
#include "policies/packing_placements.h"
#include "sim/error.h"
#include "workloads/packing_workload.h"

namespace fastgpu::experiments {

namespace {

std::string placement_of(const PolicyConfig& pc) {
  if (auto it = pc.params.find("placement"); it != pc.params.end()) {
    if (const auto* s = std::get_if<std::string>(&it->second.value)) {
      if (!is_packing_placement(*s))
        throw InputError(it->second.where, fmt::format("'{}' is not a packing placement (known: {})", *s,
                                                       fmt::join(packing_placement_names(), ", ")));
      return *s;
    }
    throw InputError(it->second.where, "must be a string naming a packing placement");
  }
  if (!is_packing_placement(pc.policy))
    throw InputError(pc.where, fmt::format("'{}' is not a packing placement; a packing workload runs placements ({})",
                                           pc.policy, fmt::join(packing_placement_names(), ", ")));
  return pc.policy;
}

}  // namespace

std::vector<PackingPlanEntry> plan_packing(const ExperimentConfig& config, const std::vector<std::string>& labels,
                                           const std::vector<std::uint64_t>& seeds) {
  if (config.workload.kind != "packing") throw InputError("the config's workload is not kind = \"packing\"");
  std::vector<PolicyConfig> policies;
  if (labels.empty()) {
    policies = config.policies;
  } else {
    for (const std::string& l : labels) {
      bool found = false;
      for (const auto* list : {&config.policies, &config.other_policies})
        for (const PolicyConfig& pc : *list)
          if (pc.label == l && !found) {
            policies.push_back(pc);
            found = true;
          }
      if (!found) policies.push_back(PolicyConfig{l, l, {}, {}});
    }
  }
  const std::vector<std::uint64_t>& run_seeds = seeds.empty() ? config.seeds : seeds;
  std::vector<PackingPlanEntry> plan;
  for (std::size_t list = 0; list < config.workload.packing.pod_lists.size(); ++list)
    for (const PolicyConfig& pc : policies) {
      const std::string placement = placement_of(pc);
      for (std::uint64_t seed : run_seeds) plan.push_back({pc.label, placement, list, seed});
    }
  if (plan.empty()) throw InputError("nothing to run: no placement or no seed");
  return plan;
}

std::vector<PackingRunResult> run_packing_experiment(const ExperimentConfig& config,
                                                     const std::vector<PackingPlanEntry>& plan, unsigned threads) {
  const PackingSpec& spec = config.workload.packing;
  std::vector<PackingWorkload> workloads;
  std::vector<PodShapes> shapes;
  for (const std::string& list : spec.pod_lists) {
    workloads.push_back(load_packing_workload(list, spec.node_list));
    shapes.push_back(pod_shapes(workloads.back(), spec.shape_coverage));
  }
  std::vector<PackingRunResult> results(plan.size());
  std::vector<std::exception_ptr> errors(plan.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < plan.size(); i = next++) {
      try {
        const PackingPlanEntry& e = plan[i];
        PackingRunOptions o;
        o.target = spec.target;
        o.step_percent = spec.step_percent;
        o.seed = e.seed;
        auto placement = make_packing_placement(e.placement, workloads[e.list], shapes[e.list], e.seed);
        results[i] = run_packing(workloads[e.list], shapes[e.list], *placement, o);
        results[i].placement = e.label;
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  n = static_cast<unsigned>(std::min<std::size_t>(n, plan.size()));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return results;
}

std::string packing_table(const std::vector<PackingRunResult>& results, const std::string& baseline) {
  std::vector<std::string> lists, labels;
  for (const PackingRunResult& r : results) {
    if (std::find(lists.begin(), lists.end(), r.workload) == lists.end()) lists.push_back(r.workload);
    if (std::find(labels.begin(), labels.end(), r.placement) == labels.end()) labels.push_back(r.placement);
  }
  auto cell = [](const MeanCI& ci, int decimals) {
    if (std::isnan(ci.half_width)) return format_number(ci.mean, decimals);
    return fmt::format("{} +- {}", format_number(ci.mean, decimals), format_number(ci.half_width, decimals));
  };
  std::string out;
  for (const std::string& list : lists) {
    // Per label, per seed (seed order), the values.
    std::map<std::string, std::map<std::uint64_t, const PackingRunResult*>> by;
    for (const PackingRunResult& r : results)
      if (r.workload == list) by[r.placement][r.seed] = &r;
    Table t;
    t.add_column("placement", Table::Align::left);
    for (const char* h : {"alloc@100 (%)", "frag@100 (%)", "unplaced@100", "alloc@end (%)", "frag@end (%)",
                          "unplaced@end", "arrived@end (%)"})
      t.add_column(h);
    const bool paired = by.count(baseline) > 0;
    if (paired) t.add_column(fmt::format("alloc@100 - {} (pp)", baseline));
    t.add_column("wall/run (s)");
    for (const std::string& label : labels) {
      if (!by.count(label)) continue;
      std::vector<double> a100, f100, u100, aend, fend, uend, arr, wall, diff_c, diff_b;
      for (const auto& [seed, r] : by[label]) {
        const PackingCurvePoint& p = r->at(100.0);
        a100.push_back(p.allocated_percent);
        f100.push_back(p.fragmented_percent);
        u100.push_back(p.unplaceable_pods);
        aend.push_back(r->end.allocated_percent);
        fend.push_back(r->end.fragmented_percent);
        uend.push_back(r->end.unplaceable_pods);
        arr.push_back(r->end.arrived_percent);
        wall.push_back(r->wall_seconds);
        if (paired && by[baseline].count(seed)) {
          diff_c.push_back(p.allocated_percent);
          diff_b.push_back(by[baseline][seed]->at(100.0).allocated_percent);
        }
      }
      std::vector<std::string> row{label,
                                   cell(mean_ci(a100), 2),
                                   cell(mean_ci(f100), 2),
                                   cell(mean_ci(u100), 1),
                                   cell(mean_ci(aend), 2),
                                   cell(mean_ci(fend), 2),
                                   cell(mean_ci(uend), 1),
                                   format_number(mean(arr), 2)};
      if (paired) {
        if (label == baseline) {
          row.push_back("-");
        } else {
          const PairedComparison c = paired_compare(diff_c, diff_b, Direction::higher_is_better);
          row.push_back(fmt::format("{} ({})", cell(c.difference, 2), to_string(c.verdict)));
        }
      }
      row.push_back(format_number(mean(wall), 3));
      t.add_row(std::move(row));
    }
    out += fmt::format("\npod list '{}' ({} seeds{})\n", list, by.begin()->second.size(),
                       fmt::format(", {:g} GPUs", static_cast<double>(by.begin()->second.begin()->second->capacity_milli) / 1000.0));
    out += t.render();
  }
  return out;
}

}  // namespace fastgpu::experiments
