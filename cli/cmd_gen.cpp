// fastgpu gen: write the workload a config describes (one seed) as a trace in
// fastgpu's CSV format, to inspect it or to replay it elsewhere.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "sim/error.h"
#include "workloads/csv_trace.h"
#include "workloads/workload_loader.h"

namespace fastgpu::cli {

int gen_command(const Args& args) {
  CommandLine cl("gen", "CONFIG -o FILE.csv [options]",
                 "Builds the workload of CONFIG ([workload]: the synthetic generator, or a trace) for one\n"
                 "seed and writes it as a fastgpu CSV trace (docs/trace-formats.md).",
                 kConfigArg | kSet | kOutput | kQuiet);
  cl.options().add_options()("seed,s", po::value<std::string>()->value_name("N"),
                             "workload seed (default: the first of experiment.seeds)");
  if (!cl.parse(args)) return 0;
  if (!cl.has("output")) throw InputError("gen: -o FILE.csv is required (see 'fastgpu gen --help')");

  const ExperimentConfig config = cl.load_config();
  const std::uint64_t seed =
      cl.has("seed") ? parse_uint(cl.vm()["seed"].as<std::string>(), "--seed") : config.seeds.front();
  const std::string output = cl.vm()["output"].as<std::string>();
  TraceReadReport report;
  const Workload workload = load_workload(config.workload, config.cluster, seed, &report);
  write_csv_trace(workload, output);
  if (!cl.quiet()) fmt::print(stderr, "wrote {} jobs of workload '{}' (seed {}) to {}\n", workload.jobs.size(), workload.name, seed, output);
  return 0;
}

}  // namespace fastgpu::cli
