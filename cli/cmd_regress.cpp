// fastgpu regress: the scheduling-quality regression gate. Compares the means
// over seeds in a results file with a baseline (experiments/regression.h) and exits 1
// when a metric got worse beyond its tolerance; --update rewrites the baseline.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "experiments/table.h"
#include "results_io/hdf5_reader.h"
#include "experiments/regression.h"

namespace fastgpu::cli {

namespace {

std::string format_value(double v) {
  if (std::isnan(v)) return "nan";
  return fmt::format("{:.6g}", v);
}

std::string format_change(double old, double cur) {
  if (std::isnan(old) || std::isnan(cur)) return "-";
  if (old == cur) return "0";
  if (old == 0) return fmt::format("{:+.4g}", cur - old);
  return fmt::format("{:+.2f}%", 100 * (cur - old) / std::fabs(old));
}

std::string format_allowed(const BaselineCheck& c) {
  const double allowed = std::max(c.tolerance * std::fabs(c.value), c.absolute_tolerance);
  if (c.tolerance > 0 && c.tolerance * std::fabs(c.value) >= c.absolute_tolerance)
    return fmt::format("{:g}%", c.tolerance * 100);
  return fmt::format("+-{:.3g}", allowed);
}

// The checks whose value differs (all with --all), worst first within the baseline order.
std::string report_table(const RegressionReport& report, bool all) {
  Table t;
  t.add_column("policy", Table::Align::left);
  t.add_column("workload", Table::Align::left);
  t.add_column("metric", Table::Align::left);
  t.add_column("baseline");
  t.add_column("current");
  t.add_column("change");
  t.add_column("allowed");
  t.add_column("direction", Table::Align::left);
  t.add_column("status", Table::Align::left);
  for (const CheckOutcome& o : report.outcomes) {
    if (!all && o.status == CheckStatus::unchanged) continue;
    t.add_row({o.policy, o.workload, o.check.metric, format_value(o.check.value), format_value(o.current),
               format_change(o.check.value, o.current), format_allowed(o.check), to_string(o.check.direction),
               to_string(o.status)});
  }
  return t.rows() == 0 ? std::string() : t.render();
}

void print_summary(const RegressionReport& report, const std::string& baseline_path) {
  fmt::print("{} checks against {}: {} worse, {} better beyond tolerance, {} within tolerance, {} unchanged\n",
             report.outcomes.size(), baseline_path, report.count(CheckStatus::worse),
             report.count(CheckStatus::better), report.count(CheckStatus::within_tolerance),
             report.count(CheckStatus::unchanged));
}

// The runs of `previous` that the results also have, over the same seeds.
Baseline comparable_part(const Baseline& previous, const std::vector<SummaryRow>& rows) {
  Baseline b = previous;
  b.runs.clear();
  for (const BaselineRun& run : previous.runs) {
    std::vector<std::uint64_t> seeds;
    for (const SummaryRow& r : rows) {
      if (r.policy == run.policy && r.workload == run.workload) seeds.push_back(r.seed);
    }
    std::sort(seeds.begin(), seeds.end());
    if (seeds == run.seeds) b.runs.push_back(run);
  }
  return b;
}

// The comment block at the top of an existing baseline (without the "# "),
// so that --update keeps the explanation a maintainer wrote there; empty when
// the file has none.
std::vector<std::string> leading_comment(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '#') break;
    const std::size_t skip = line.rfind("# ", 0) == 0 ? 2 : 1;
    lines.push_back(line.substr(skip));
  }
  return lines;
}

}  // namespace

int regress_command(const Args& args) {
  CommandLine cl("regress", "RESULTS.h5 --baseline BASELINE.toml [--update] [options]",
                 "Compares the mean over seeds of each (policy, workload, metric) in RESULTS.h5 with the\n"
                 "baseline's value and tolerance, prints what changed, and exits 1 when a metric got worse\n"
                 "beyond its tolerance (0 otherwise, 2 on bad input: a missing file, or a run, seed set or\n"
                 "metric of the baseline absent from the results). --update writes a new baseline from\n"
                 "RESULTS.h5 instead, keeping the tolerances of the runs it already lists and its top comment.\n"
                 "Baseline format: docs/ci-regression.md.",
                 kQuiet);
  cl.options().add_options()("baseline,b", po::value<std::string>()->value_name("FILE"),
                             "the baseline TOML file (required)")(
      "update", "write the baseline from RESULTS.h5 (to --baseline, or to -o FILE) and exit 0")(
      "output,o", po::value<std::string>()->value_name("FILE"), "with --update: write here instead of --baseline")(
      "all", "list every check, not only the changed ones");
  cl.add_positional("results", 1);
  if (!cl.parse(args)) return 0;
  if (!cl.has("results")) throw InputError("regress: missing the RESULTS.h5 argument (see 'fastgpu regress --help')");
  if (!cl.has("baseline")) throw InputError("regress: --baseline FILE is required");
  const std::string results = cl.vm()["results"].as<std::vector<std::string>>().front();
  const std::string baseline_path = cl.vm()["baseline"].as<std::string>();
  const bool all = cl.has("all");

  const std::vector<SummaryRow> rows = read_summary_table(results);
  if (rows.empty()) throw InputError(SourceLocation{results, 0, "/summary"}, "the results file has no runs");

  if (cl.has("update")) {
    const std::string out = cl.has("output") ? cl.vm()["output"].as<std::string>() : baseline_path;
    std::error_code ec;
    Baseline previous;
    previous.metrics = default_regression_metrics();
    if (std::filesystem::exists(baseline_path, ec)) {
      previous = read_baseline(baseline_path);
      const RegressionReport report = check_regressions(comparable_part(previous, rows), rows, results);
      fmt::print("{}", report_table(report, all));
      print_summary(report, baseline_path);
    }
    const Baseline updated = update_baseline(previous, rows, results);
    std::size_t checks = 0;
    for (const BaselineRun& r : updated.runs) checks += r.checks.size();
    std::vector<std::string> header = leading_comment(baseline_path);
    if (header.empty()) {
      header = {"fastgpu regression baseline: the mean over `seeds` of each metric, per policy and workload.",
                fmt::format("Written by: fastgpu regress {} --baseline {} --update", results, baseline_path),
                "Format and tolerances: docs/ci-regression.md. Edit tolerances freely; --update keeps them",
                "and this comment block."};
    }
    write_baseline(out, updated, header);
    fmt::print("wrote {}: {} runs, {} checks\n", out, updated.runs.size(), checks);
    return 0;
  }

  const Baseline baseline = read_baseline(baseline_path);
  const RegressionReport report = check_regressions(baseline, rows, results);
  fmt::print("{}", report_table(report, all));
  print_summary(report, baseline_path);
  if (!cl.quiet()) {
    for (const auto& [policy, workload] : report.not_in_baseline) {
      fmt::print(stderr, "note: policy '{}' on '{}' is not in the baseline (add it with --update)\n", policy,
                 workload);
    }
  }
  if (report.regressed()) {
    fmt::print(stderr, "regress: {} metric(s) got worse beyond tolerance\n", report.count(CheckStatus::worse));
    return 1;
  }
  return 0;
}

}  // namespace fastgpu::cli
