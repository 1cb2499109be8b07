#include "experiments/experiment_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include <fmt/format.h>

#include "policies/builtin.h"
#include "experiments/progress.h"
#include "sim/engine.h"
#include "sim/error.h"
#include "sim/nearest_name.h"
#include "sim/run_progress.h"
#include "workloads/workload_loader.h"

namespace fastgpu::experiments {

std::vector<RunSpec> plan_runs(const ExperimentConfig& config, const std::vector<std::string>& labels,
                               const std::vector<std::uint64_t>& seeds) {
  std::vector<PolicyConfig> policies;
  if (labels.empty()) {
    policies = config.policies;
  } else {
    std::set<std::string> unique;
    for (const std::string& label : labels) {
      if (!unique.insert(label).second) throw InputError(fmt::format("policy '{}' is named twice", label));
      const bool defined =
          std::any_of(config.policies.begin(), config.policies.end(), [&](const auto& p) { return p.label == label; }) ||
          std::any_of(config.other_policies.begin(), config.other_policies.end(),
                      [&](const auto& p) { return p.label == label; });
      if (defined) {
        policies.push_back(config.policy(label));
      } else {
        // Not in the config: the registry policy of that name, with defaults.
        if (!builtin_policies().find(label)) {
          std::set<std::string> names;
          for (const auto& p : config.policies) names.insert(p.label);
          for (const auto& p : config.other_policies) names.insert(p.label);
          for (const std::string& n : builtin_policies().names()) names.insert(n);
          const std::vector<std::string> known(names.begin(), names.end());
          throw InputError(SourceLocation{"command line", 0, ""},
                           fmt::format("unknown policy '{}'{} (the config's labels and the registered policies: {})",
                                       label, did_you_mean(label, known), fmt::join(known, ", ")));
        }
        policies.push_back(PolicyConfig{label, label, {}, SourceLocation{"command line", 0, ""}});
      }
    }
  }
  if (policies.empty()) {
    throw InputError(SourceLocation{config.path, 0, "experiment.policies"},
                     "no policies to run: list them in experiment.policies or name them on the command line");
  }
  const std::vector<std::uint64_t>& use_seeds = seeds.empty() ? config.seeds : seeds;
  if (use_seeds.empty()) throw InputError(SourceLocation{config.path, 0, "experiment.seeds"}, "no seeds to run");
  if (std::set<std::uint64_t>(use_seeds.begin(), use_seeds.end()).size() != use_seeds.size()) {
    throw InputError("a seed is named twice");
  }
  std::vector<RunSpec> runs;
  for (const PolicyConfig& p : policies) {
    for (std::uint64_t seed : use_seeds) {
      RunSpec run;
      run.label = p.label;
      run.policy = p;
      run.seed = seed;
      runs.push_back(std::move(run));
    }
  }
  return runs;
}

namespace {

RawParams merged_params(const RunSpec& run) {
  RawParams params = run.policy.params;
  for (const auto& [k, v] : run.extra_params) params[k] = v;
  return params;
}

bool unlocated(const SourceLocation& w) { return w.file.empty() && w.line == 0 && w.field.empty(); }

// Creates the run's policy; an error without a location (unknown policy) gets
// the place where the policy was named.
std::unique_ptr<Policy> make_policy(const RunSpec& run, PolicyParams* resolved) {
  try {
    return builtin_policies().create(run.policy.policy, merged_params(run), resolved);
  } catch (const InputError& e) {
    if (unlocated(e.where())) throw InputError(run.policy.where, e.what());
    throw;
  }
}

const ExperimentConfig& config_of(const ExperimentConfig& config, const RunSpec& run) {
  return run.config ? *run.config : config;
}

// A trace's content does not depend on the seed: one workload per config.
std::uint64_t workload_seed_key(const ExperimentConfig& config, std::uint64_t seed) {
  return config.workload.kind == "trace" ? 0 : seed;
}

void note_skipped(const Workload& w, const TraceReadReport& report, const RunnerOptions& options, std::mutex* mutex) {
  if (options.quiet || report.skipped_total() == 0) return;
  std::string reasons;
  for (const auto& [why, n] : report.skipped) reasons += fmt::format("{}{}: {}", reasons.empty() ? "" : ", ", why, n);
  std::unique_lock<std::mutex> lock;
  if (mutex) lock = std::unique_lock(*mutex);
  fmt::print(stderr, "note: workload '{}': kept {} jobs of {} rows, skipped {} ({})\n", w.name, report.kept,
             report.rows, report.skipped_total(), reasons);
}

// One shared, read-only workload per (config, seed) (per config for a trace,
// whose content does not depend on the seed), released when its last run is
// done. Entries are numbered in order of first appearance in the run list.
class WorkloadCache {
 public:
  WorkloadCache(const ExperimentConfig& config, const std::vector<RunSpec>& runs, const RunnerOptions& options)
      : config_(config), options_(options) {
    for (const RunSpec& r : runs) {
      auto [it, added] = ids_.try_emplace(key(r), ids_.size());
      entries_[it->second].users += 1;
    }
  }

  using Key = std::pair<const ExperimentConfig*, std::uint64_t>;
  Key key(const RunSpec& r) const {
    const ExperimentConfig& c = config_of(config_, r);
    return {&c, workload_seed_key(c, r.seed)};
  }
  std::size_t id(const RunSpec& r) const { return ids_.at(key(r)); }

  std::shared_ptr<const Workload> acquire(const RunSpec& run, TraceReadReport* report) {
    Entry& e = entries_.at(id(run));
    std::call_once(e.once, [&] {
      try {
        const ExperimentConfig& c = config_of(config_, run);
        auto w = std::make_shared<Workload>(load_workload(c.workload, c.cluster, run.seed, &e.report));
        note_skipped(*w, e.report, options_, &mutex_);
        e.workload = std::move(w);
      } catch (...) {
        e.error = std::current_exception();
      }
    });
    if (e.error) std::rethrow_exception(e.error);
    std::lock_guard lock(mutex_);
    if (report) *report = e.report;
    return e.workload;
  }

  void release(const RunSpec& run) {
    Entry& e = entries_.at(id(run));
    std::lock_guard lock(mutex_);
    if (--e.users == 0) e.workload.reset();
  }

 private:
  struct Entry {
    std::once_flag once;
    std::shared_ptr<const Workload> workload;
    std::exception_ptr error;
    TraceReadReport report;
    std::size_t users = 0;
  };

  const ExperimentConfig& config_;
  const RunnerOptions& options_;
  std::map<Key, std::size_t> ids_;
  std::map<std::size_t, Entry> entries_;  // built up front; never rehashed while threads run
  std::mutex mutex_;
};

// Simulates `run` on `workload` and fills in its identity and attributes.
// `on_progress` (may be empty) is told where the run stands now and then.
// The result's records share the workload's job table (and keep the workload alive).
RunResult simulate_run(const ExperimentConfig& experiment, const RunSpec& run,
                       const std::shared_ptr<const Workload>& workload, const TraceReadReport& report,
                       ProgressHook on_progress = {}) {
  const ExperimentConfig& config = config_of(experiment, run);
  PolicyParams resolved;
  std::unique_ptr<Policy> policy = make_policy(run, &resolved);
  EngineOptions engine = config.engine;
  engine.seed = run.seed;
  const ScopedProgressHook progress(std::move(on_progress));
  RunResult r = simulate(workload, config.cluster, *policy, engine, run.label);  // summary included
  r.policy = run.label;
  r.workload = workload->name;
  r.seed = run.seed;
  r.policy_params = resolved.as_strings();
  for (const auto& [k, v] : run.attributes) r.attributes[k] = v;
  if (run.policy.policy != run.label) r.attributes.try_emplace("policy", run.policy.policy);
  if (config.workload.kind == "trace") {
    r.attributes["trace_rows"] = std::to_string(report.rows);
    r.attributes["trace_rows_skipped"] = std::to_string(report.skipped_total());
  }
  r.sweep = run.sweep;
  return r;
}

RunResult perform(const ExperimentConfig& config, const RunSpec& run, WorkloadCache& cache,
                  ProgressHook on_progress) {
  TraceReadReport report;
  std::shared_ptr<const Workload> workload = cache.acquire(run, &report);
  RunResult r = simulate_run(config, run, workload, report, std::move(on_progress));
  workload.reset();
  cache.release(run);
  return r;
}

}  // namespace

void validate_runs(const std::vector<RunSpec>& runs) {
  std::set<std::tuple<std::string, std::string, std::uint64_t>> seen;
  for (const RunSpec& run : runs) {
    const std::string& workload = run.config ? run.config->workload.name : std::string();
    if (!seen.emplace(run.label, workload, run.seed).second) {
      throw InputError(run.policy.where, fmt::format("run '{}' with seed {} is planned twice", run.label, run.seed));
    }
    PolicyParams resolved;
    make_policy(run, &resolved);
  }
}

std::vector<RunResult> run_experiment(const ExperimentConfig& config, const std::vector<RunSpec>& runs,
                                      const RunnerOptions& options) {
  validate_runs(runs);
  const std::size_t n = runs.size();
  std::vector<RunResult> results(n);
  std::vector<std::exception_ptr> errors(n);
  WorkloadCache cache(config, runs, options);

  // Execute runs sharing a workload next to each other, so that at most about
  // `threads` workloads are alive at once; results still go to their index.
  const std::vector<std::size_t> order = execution_order(config, runs);

  unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(n, 1)));
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<bool> failed{false};
  ProgressLine progress(n, options.progress);

  OrderedDelivery delivery(options, order, results, errors, failed);

  auto worker = [&] {
    for (;;) {
      const std::size_t k = next.fetch_add(1);
      if (k >= n || failed.load()) return;
      const std::size_t i = order[k];
      try {
        // A batch of one run shows where that run stands; longer batches count runs.
        ProgressHook within;
        if (n == 1 && options.progress) {
          within = [&, what = fmt::format("{} seed {}", runs[i].label, runs[i].seed)](const RunProgress& p) {
            progress.within_run(p, what);
          };
        }
        results[i] = perform(config, runs[i], cache, std::move(within));
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
        return;
      }
      done.fetch_add(1);
      progress.run_done(fmt::format("{} seed {}", runs[i].label, runs[i].seed));
      delivery.ready(i);
      delivery.deliver(false);
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (std::thread& t : pool) t.join();
  }
  if (!failed) delivery.deliver(true);
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  return results;
}

void OrderedDelivery::ready(std::size_t index) {
  std::lock_guard lock(ready_mutex_);
  ready_[index] = 1;
}

void OrderedDelivery::deliver(bool wait) {
  if (!options_.on_result) return;
  std::unique_lock deliverer(deliver_mutex_, std::defer_lock);
  if (wait) deliverer.lock();
  else if (!deliverer.try_lock()) return;
  for (;;) {
    std::size_t i = 0;
    {
      std::lock_guard lock(ready_mutex_);
      if (delivered_ >= order_.size() || !ready_[order_[delivered_]] || failed_) return;
      i = order_[delivered_];
    }
    try {
      options_.on_result(i, results_[i]);
    } catch (...) {
      errors_[i] = std::current_exception();
      failed_ = true;
      return;
    }
    std::lock_guard lock(ready_mutex_);
    ++delivered_;
  }
}

std::vector<std::size_t> execution_order(const ExperimentConfig& config, const std::vector<RunSpec>& runs) {
  // Group by workload (first appearance order), runs keep their order within.
  std::map<std::pair<const ExperimentConfig*, std::uint64_t>, std::size_t> ids;
  std::vector<std::size_t> id(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const ExperimentConfig& c = config_of(config, runs[i]);
    id[i] = ids.try_emplace({&c, workload_seed_key(c, runs[i].seed)}, ids.size()).first->second;
  }
  std::vector<std::size_t> order(runs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return id[a] < id[b]; });
  return order;
}

RunResult perform_run(const ExperimentConfig& config, const RunSpec& run, WorkloadSlot& slot,
                      const RunnerOptions& options) {
  const ExperimentConfig& c = config_of(config, run);
  const std::uint64_t key = workload_seed_key(c, run.seed);
  if (slot.config != &c || slot.key != key || !slot.workload) {
    slot.workload.reset();  // free the previous one before loading the next
    slot.report = TraceReadReport{};
    slot.workload = std::make_shared<const Workload>(load_workload(c.workload, c.cluster, run.seed, &slot.report));
    note_skipped(*slot.workload, slot.report, options, nullptr);
    slot.config = &c;
    slot.key = key;
  }
  return simulate_run(config, run, slot.workload, slot.report);
}

}  // namespace fastgpu::experiments
