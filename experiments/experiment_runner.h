#pragma once
// Runs the runs of an experiment (policy label x seed, later parameter-sweep
// points) on a pool of threads. Runs are independent: each builds its own
// policy and engine, and runs with the same workload seed share one read-only
// Workload. Results are stored by run index, so the output is identical for
// any thread count.
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.h"
#include "sim/run_result.h"
#include "sim/workload.h"
#include "workloads/trace_reader.h"

namespace fastgpu::experiments {

// One simulation to perform.
struct RunSpec {
  std::string label;                              // RunResult::policy: table rows, HDF5 group
  PolicyConfig policy;                            // registry name, parameters and where they were written
  std::uint64_t seed = 1;                         // workload seed and EngineOptions::seed
  RawParams extra_params;                         // applied on top of policy.params (sweep points)
  std::map<std::string, std::string> attributes;  // copied into RunResult::attributes (e.g. sweep values)
  // A sweep point's own config (cluster, workload, engine), used instead of the
  // experiment's; null = the experiment's config. Runs sharing the pointer and
  // the seed share one workload.
  std::shared_ptr<const ExperimentConfig> config;
  std::map<std::string, std::string> sweep;       // copied into RunResult::sweep (/summary columns)
};

struct RunnerOptions {
  unsigned threads = 0;   // 0 = std::thread::hardware_concurrency()
  bool progress = false;  // "[3/12] 4.1 s elapsed, ~12 s left (las seed 2)" on stderr (experiments/progress.h)
  bool quiet = false;     // no notes on stderr (e.g. trace rows skipped)
  // Called once per run, in execution order (execution_order below), as soon
  // as that run and every earlier one have finished (from a worker thread,
  // one call at a time; see OrderedDelivery), so results
  // can be written while later runs still execute. It may drop the run's
  // per-job and time-series data; what it throws stops the experiment.
  std::function<void(std::size_t index, RunResult& result)> on_result;
};

// Every label x seed, label-major. `labels` empty = config.policies; a label
// the config does not define means that registry policy with its defaults.
// `seeds` empty = config.seeds. Throws InputError on a duplicate label or seed
// or when there is nothing to run.
std::vector<RunSpec> plan_runs(const ExperimentConfig& config, const std::vector<std::string>& labels = {},
                               const std::vector<std::uint64_t>& seeds = {});

// Checks that every run's policy exists and accepts its parameters, without
// running anything. InputError naming the config file, line and key.
void validate_runs(const std::vector<RunSpec>& runs);

// Validates, then performs every run: load_workload (once per seed, or once
// for a trace), create the policy, simulate with config.engine (seed = run
// seed), compute_summary. Results are in the order of `runs`. The first error
// (by run index) is rethrown after the pool stops.
std::vector<RunResult> run_experiment(const ExperimentConfig& config, const std::vector<RunSpec>& runs,
                                      const RunnerOptions& options = {});

// The order run_experiment executes `runs` in (indexes into `runs`): runs that
// share a workload next to each other. Distributed runners hand runs out in
// this order too.
std::vector<std::size_t> execution_order(const ExperimentConfig& config, const std::vector<RunSpec>& runs);

// Hands finished runs to RunnerOptions::on_result in execution order (the
// same for any thread or rank count): whichever thread calls deliver() when
// the next run is ready delivers it and the ready ones after it, while other
// threads go on simulating. A run left undelivered by a race between
// "ready" and "deliverer busy" goes with the next delivery, or the final
// deliver(true). An exception from on_result is stored as that run's error.
class OrderedDelivery {
 public:
  OrderedDelivery(const RunnerOptions& options, const std::vector<std::size_t>& order,
                  std::vector<RunResult>& results, std::vector<std::exception_ptr>& errors, std::atomic<bool>& failed)
      : options_(options), order_(order), results_(results), errors_(errors), failed_(failed),
        ready_(order.size(), 0) {}
  void ready(std::size_t index);  // results[index] is complete
  void deliver(bool wait);        // wait: block while another thread delivers

 private:
  const RunnerOptions& options_;
  const std::vector<std::size_t>& order_;
  std::vector<RunResult>& results_;
  std::vector<std::exception_ptr>& errors_;
  std::atomic<bool>& failed_;
  std::vector<std::uint8_t> ready_;
  std::mutex ready_mutex_, deliver_mutex_;
  std::size_t delivered_ = 0;  // positions in order_
};

// Performs one run outside run_experiment (one call per run, e.g. on an MPI
// rank). `slot` keeps the last workload loaded, so consecutive runs on the
// same workload load it once; one slot per thread. The runs must have been
// checked with validate_runs.
struct WorkloadSlot {
  const ExperimentConfig* config = nullptr;
  std::uint64_t key = 0;
  std::shared_ptr<const Workload> workload;
  TraceReadReport report;  // of the trace read for `workload`
};
RunResult perform_run(const ExperimentConfig& config, const RunSpec& run, WorkloadSlot& slot,
                      const RunnerOptions& options = {});

}  // namespace fastgpu::experiments
