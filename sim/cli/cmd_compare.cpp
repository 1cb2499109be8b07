// fastgpu compare: run several policies over several seeds and print them
// ranked by mean JCT (ties by makespan); every run also goes to HDF5.
#include <fmt/format.h>

#include "sim/cli/commands.h"
#include "sim/cli/comparison.h"
#include "sim/cli/experiment_runner.h"
#include "sim/cli/options.h"
#include "sim/hdf5_writer.h"

namespace fastgpu::cli {

int compare_command(const Args& args) {
  CommandLine cl("compare", "CONFIG [options]",
                 "Runs the policies of CONFIG (or --policies) on every seed, prints a table of the\n"
                 "policies ranked by mean JCT (ties by makespan), each metric the mean over the seeds,\n"
                 "and writes every run to HDF5 (-o, else experiment.output, else results/<name>.h5).",
                 kConfigArg | kSet | kOutput | kThreads | kCheck | kQuiet);
  cl.options().add_options()("policies,p", po::value<std::vector<std::string>>()->composing()->value_name("A,B,..."),
                             "compare these policy labels (a registered policy that the config does not define "
                             "runs with its default parameters)")(
      "seeds,s", po::value<std::string>()->value_name("N|A,B,..."), "seeds 1..N, or the listed seeds");
  if (!cl.parse(args)) return 0;

  ExperimentConfig config = cl.load_config();
  std::vector<std::string> labels;
  if (cl.has("policies")) {
    for (const std::string& p : cl.vm()["policies"].as<std::vector<std::string>>()) {
      for (std::string& l : split_list(p, "--policies")) labels.push_back(std::move(l));
    }
  }
  std::vector<std::uint64_t> seeds;
  if (cl.has("seeds")) seeds = parse_seeds(cl.vm()["seeds"].as<std::string>(), "--seeds");

  const std::vector<RunSpec> runs = plan_runs(config, labels, seeds);
  const std::string output = cl.output_path(config);
  const std::vector<RunResult> results = run_experiment(config, runs, cl.runner_options(config));
  write_results(output, ResultsFileMeta{config.name, config.path, config.text}, results);

  const std::vector<PolicyMeans> ranked = rank_policies(results);
  const std::size_t n_seeds = ranked.empty() ? 0 : ranked.front().runs;
  fmt::print("{}: workload '{}', {} GPUs, mean over {} seed{}\n", config.name,
             results.empty() ? "" : results.front().workload, config.cluster.num_gpus(), n_seeds,
             n_seeds == 1 ? "" : "s");
  fmt::print("{}", comparison_table(ranked));
  if (!cl.quiet()) fmt::print(stderr, "wrote {}\n", output);
  return 0;
}

}  // namespace fastgpu::cli
