// fastgpu compare: run several policies over several seeds (and the grid of
// a [sweep] table), print per workload the policies ranked by mean JCT with
// 95% confidence intervals over the seeds, optionally a paired comparison
// against a baseline policy, and write every run to HDF5. Under mpirun the
// runs are spread over the ranks (experiments/mpi_runner.h); rank 0 prints and
// writes, the other ranks stay silent.
#include <algorithm>
#include <exception>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "cli/commands.h"
#include "experiments/experiment_runner.h"
#include "experiments/mpi_runner.h"
#include "experiments/mpi_world.h"
#include "experiments/paired_verdicts.h"
#include "cli/options.h"
#include "experiments/statistics_table.h"
#include "experiments/sweep.h"
#include "experiments/vc_table.h"
#include "sim/error.h"
#include "sim/free_memory.h"
#include "results_io/hdf5_writer.h"

namespace fastgpu::cli {

namespace {

struct Setup {
  ExperimentConfig config;
  ExperimentPlan plan;
  std::string output;
  RunnerOptions runner;
  std::string baseline;
  int deflate_level = 0;
};

Setup set_up(const CommandLine& cl) {
  Setup s;
  s.config = cl.load_config();
  s.deflate_level = cl.deflate_level();
  const std::vector<std::string> labels = selected_policies(cl);
  const std::vector<std::uint64_t> seeds = selected_seeds(cl);
  std::vector<std::string> sets;
  if (cl.has("set")) sets = cl.vm()["set"].as<std::vector<std::string>>();
  s.plan = plan_experiment(s.config, sets, labels, seeds);
  validate_runs(s.plan.runs);
  if (cl.has("baseline")) {
    s.baseline = cl.vm()["baseline"].as<std::string>();
    std::set<std::string> run_labels;
    for (const RunSpec& r : s.plan.runs) run_labels.insert(r.label);
    if (!run_labels.count(s.baseline)) {
      throw InputError(fmt::format("--baseline: '{}' is not one of the policies run ({})", s.baseline,
                                   fmt::join(run_labels, ", ")));
    }
  }
  s.output = cl.output_path(s.config);
  s.runner = cl.runner_options(s.config);
  return s;
}

void print_tables(const Setup& s, const std::vector<RunResult>& results) {
  std::set<std::string> labels;
  std::set<std::uint64_t> seeds;
  for (const RunResult& r : results) {
    labels.insert(r.policy);
    seeds.insert(r.seed);
  }
  fmt::print("{}: {} runs ({} polic{}{} x {} seed{}); cells are mean +- half-width of the 95% confidence "
             "interval over the seeds (Student t)\n",
             s.config.name, results.size(), labels.size(), labels.size() == 1 ? "y" : "ies",
             s.plan.points > 1 ? fmt::format(" x {} sweep points", s.plan.points) : std::string(), seeds.size(),
             seeds.size() == 1 ? "" : "s");
  for (const std::string& workload : workloads_of(results)) {
    const auto first = std::find_if(results.begin(), results.end(), [&](const RunResult& r) { return r.workload == workload; });
    std::set<std::uint64_t> workload_seeds;
    for (const RunResult& r : results) {
      if (r.workload == workload) workload_seeds.insert(r.seed);
    }
    fmt::print("\nworkload '{}', {} GPUs, mean over {} seed{}\n", workload, first->num_gpus, workload_seeds.size(),
               workload_seeds.size() == 1 ? "" : "s");
    fmt::print("{}", ranked_ci_table(results, workload));
    if (const std::string vcs = experiments::vc_means_table(results, workload); !vcs.empty())
      fmt::print("\nvirtual clusters (means over the seeds)\n{}", vcs);
    if (!s.baseline.empty()) {
      fmt::print("\npaired with baseline '{}' (difference = policy - {}, per seed; better/worse when the 95% "
                 "interval excludes 0)\n",
                 s.baseline, s.baseline);
      fmt::print("{}", paired_table(results, workload, s.baseline));
    }
  }
}

int compare(const CommandLine& cl, const MpiWorld& world) {
  // Set up on every rank; a failure anywhere is reported once, by rank 0,
  // and no rank is left waiting for another that gave up.
  Setup s;
  try {
    s = set_up(cl);
  } catch (const InputError& e) {
    if (!world.distributed()) throw;
    world.agree(false, 2, e.what());
  } catch (const std::exception& e) {
    if (!world.distributed()) throw;
    world.agree(false, 1, e.what());
  }
  world.agree(true);

  // Rank 0 (or the one process) writes each run as it is delivered, while
  // later runs still execute, then keeps only what the tables need.
  std::optional<ResultsWriter> writer;
  if (world.rank() == 0) {
    ResultsFileMeta meta{s.config.name, s.config.path, s.config.text, {}, cl.summary_only(), s.deflate_level};
    for (const GpuType& t : s.config.cluster.gpu_types) meta.gpu_type_names.push_back(t.name);
    writer.emplace(s.output, meta);
    s.runner.on_result = [&](std::size_t, RunResult& r) {
      writer->add(r);
      free_memory(r.jobs);
      free_memory(r.timeseries);
      free_memory(r.gpu_arena);
      free_memory(r.gpu_offset);
      free_memory(r.gpu_busy_seconds);
    };
  }
  const std::optional<std::vector<RunResult>> results = run_experiment_mpi(world, s.config, s.plan.runs, s.runner);
  if (!results) return 0;  // an MPI worker: rank 0 writes and prints
  std::vector<BaselineVerdict> verdicts;
  if (!s.baseline.empty()) {
    for (const std::string& workload : workloads_of(*results)) {
      for (BaselineVerdict& v : paired_verdicts(*results, workload, s.baseline)) verdicts.push_back(std::move(v));
    }
  }
  writer->finish(*results, verdicts);
  print_tables(s, *results);
  if (!cl.quiet()) fmt::print(stderr, "wrote {}\n", s.output);
  return 0;
}

}  // namespace

int compare_command(const Args& args) {
  CommandLine cl("compare", "CONFIG [options]",
                 "Runs the policies of CONFIG (or --policies) on every seed and every point of the\n"
                 "config's [sweep] grid (docs/experiments.md), prints per workload the policies ranked\n"
                 "by mean JCT (ties by makespan) with the 95% confidence interval of every metric over\n"
                 "the seeds, and writes every run to HDF5 (-o, else experiment.output, else\n"
                 "results/<name>.h5). Under mpirun the runs are spread over the ranks.",
                 kConfigArg | kSet | kOutput | kThreads | kCheck | kQuiet | kPlugin | kSummaryOnly | kDeflate);
  add_run_selection(cl, ShortFlags::plural);
  cl.options().add_options()(
      "baseline,b", po::value<std::string>()->value_name("LABEL"),
      "also compare every policy with this one, paired by seed: mean difference and its 95% interval");

  // Under an MPI launcher every rank gets here. An error that every rank
  // knows is reported by rank 0, whose exit status the launcher returns; the
  // others end with status 0, because a rank that exits non-zero makes the
  // launcher end the job at once, which can kill rank 0 before it has printed.
  std::unique_ptr<MpiWorld> world;
  try {
    world = std::make_unique<MpiWorld>();
  } catch (const InputError&) {
    if (launcher_rank() != 0) return 0;
    throw;
  }
  try {
    if (!cl.parse(args)) return 0;
    return compare(cl, *world);
  } catch (const std::exception&) {
    if (world->rank() != 0) return 0;
    throw;
  }
}

}  // namespace fastgpu::cli
