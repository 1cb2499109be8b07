// fastgpu run: simulate the policies x seeds of a config (or a selection) and
// write every run to HDF5; prints one row per run.
#include <fmt/format.h>

#include "cli/commands.h"
#include "experiments/comparison.h"
#include "experiments/vc_table.h"
#include "experiments/experiment_runner.h"
#include "cli/options.h"
#include "sim/output_file.h"
#include "results_io/hdf5_writer.h"

namespace fastgpu::cli {

int run_command(const Args& args) {
  CommandLine cl("run", "CONFIG [options]",
                 "Simulates every policy of CONFIG on every seed (or the ones selected with --policy and\n"
                 "--seed), writes all metrics to HDF5 (-o, else experiment.output, else\n"
                 "results/<name>.h5) and prints one row per run.",
                 kConfigArg | kSet | kOutput | kThreads | kCheck | kQuiet | kPlugin | kSummaryOnly | kDeflate);
  add_run_selection(cl, ShortFlags::singular);
  if (!cl.parse(args)) return 0;

  ExperimentConfig config = cl.load_config();
  const int deflate_level = cl.deflate_level();  // a bad level is refused before the runs
  const std::vector<std::string> labels = selected_policies(cl);
  const std::vector<std::uint64_t> seeds = selected_seeds(cl);

  const std::vector<RunSpec> runs = plan_runs(config, labels, seeds);
  const std::string output = cl.output_path(config);
  check_output_path(output);  // a bad -o is refused before the runs, not after them
  const std::vector<RunResult> results = run_experiment(config, runs, cl.runner_options(config));
  ResultsFileMeta meta{config.name, config.path, config.text, {}, cl.summary_only(), deflate_level};
  for (const GpuType& t : config.cluster.gpu_types) meta.gpu_type_names.push_back(t.name);
  write_results(output, meta, results);

  fmt::print("{}", runs_table(results));
  if (const std::string vcs = experiments::vc_runs_table(results); !vcs.empty()) fmt::print("\nvirtual clusters\n{}", vcs);
  if (!cl.quiet()) fmt::print(stderr, "wrote {}\n", output);
  return 0;
}

}  // namespace fastgpu::cli
