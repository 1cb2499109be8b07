// fastgpu pack: the packing experiment of a config with [workload] kind =
// "packing": every placement on every pod list for every seed, a table of
// the values at 100 % arrived workload and at the end, and the curves in HDF5.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "experiments/packing_experiment.h"
#include "results_io/packing_writer.h"

namespace fastgpu::cli {

int pack_command(const Args& args) {
  CommandLine cl("pack", "CONFIG [options]",
                 "Runs the packing experiment of CONFIG ([workload] kind = \"packing\"): pods drawn from each\n"
                 "pod list arrive until their GPU requests reach workload.target x the GPU capacity of the\n"
                 "node list, and never leave. Prints, per pod list, the allocated and fragmented GPU and the\n"
                 "unplaceable pods at 100 % arrived workload and at the end, and writes the curves to HDF5\n"
                 "(-o, else experiment.output, else results/<name>.h5).",
                 kConfigArg | kSet | kOutput | kThreads | kQuiet);
  cl.options().add_options()("policies", po::value<std::vector<std::string>>()->composing()->value_name("A,B"),
                             "run only these placement labels")(
      "seeds", po::value<std::string>()->value_name("N|a,b"), "seeds 1..N, or the listed ones");
  if (!cl.parse(args)) return 0;
  ExperimentConfig config = cl.load_config();
  std::vector<std::string> labels;
  if (cl.has("policies"))
    for (const std::string& p : cl.vm()["policies"].as<std::vector<std::string>>())
      for (std::string& l : split_list(p, "--policies")) labels.push_back(std::move(l));
  std::vector<std::uint64_t> seeds;
  if (cl.has("seeds")) seeds = parse_seeds(cl.vm()["seeds"].as<std::string>(), "--seeds");
  const auto plan = plan_packing(config, labels, seeds);
  const std::string output = cl.output_path(config);
  const unsigned threads = cl.runner_options(config).threads;
  const auto results = run_packing_experiment(config, plan, threads);
  write_packing_results(output, ResultsFileMeta{config.name, config.path, config.text, {}}, results);
  fmt::print("{}: {} packing runs to {:g} x the GPU capacity; cells are mean +- half-width of the 95% confidence "
             "interval over the seeds (Student t)\n",
             config.name, results.size(), config.workload.packing.target);
  fmt::print("{}\n", packing_table(results, config.workload.packing.baseline));
  if (!cl.quiet()) fmt::print(stderr, "wrote {}\n", output);
  return 0;
}

}  // namespace fastgpu::cli
