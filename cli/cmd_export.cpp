// fastgpu export: a results file as tidy CSV tables (results_io/csv_export.h)
// for R, pandas or a spreadsheet.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "results_io/csv_export.h"
#include "sim/error.h"

namespace fastgpu::cli {

int export_command(const Args& args) {
  CommandLine cl("export", "RESULTS.h5 --to csv DIR [options]",
                 "Writes the runs of RESULTS.h5 as tidy CSV tables into DIR (created when missing):\n"
                 "summary.csv (a row per run), jobs.csv (a row per job), timeseries.csv (a row per\n"
                 "monitor sample) and, for `compare --baseline` results, baseline_verdicts.csv. Every\n"
                 "table has policy, workload and seed columns; codes are written as labels (outcome,\n"
                 "GPU type names); a missing value is an empty cell. Columns: docs/report.md.",
                 kQuiet);
  cl.options().add_options()("to", po::value<std::vector<std::string>>()->multitoken()->value_name("csv DIR"),
                             "the format (csv) and the output directory");
  cl.add_positional("results", 1);
  if (!cl.parse(args)) return 0;
  if (!cl.has("results")) throw InputError("export: missing the RESULTS.h5 argument (see 'fastgpu export --help')");
  if (!cl.has("to")) throw InputError("export: --to csv DIR is required");
  const std::vector<std::string> to = cl.vm()["to"].as<std::vector<std::string>>();
  if (to.size() != 2) throw InputError("export: --to takes a format and a directory: --to csv DIR");
  if (to[0] != "csv") throw InputError(fmt::format("export: unknown format '{}' (the one format is csv)", to[0]));
  const std::string results = cl.vm()["results"].as<std::vector<std::string>>().front();
  const CsvExportResult r = export_results_csv(results, to[1]);
  if (!cl.quiet()) {
    fmt::print("{} runs, {} jobs, {} time-series samples:\n", r.runs, r.jobs, r.samples);
    for (const std::string& f : r.files) fmt::print("  {}\n", f);
  }
  return 0;
}

}  // namespace fastgpu::cli
