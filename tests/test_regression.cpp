// The regression gate: baseline parsing and writing, the tolerance rule, the
// checks against a results file, and the exit codes of `fastgpu regress`.
#include "source_paths.h"
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "sim/error.h"
#include "results_io/hdf5_reader.h"
#include "results_io/hdf5_writer.h"
#include "experiments/regression.h"
#include "tests/scratch_dir.h"

using namespace fastgpu;
namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

BaselineCheck check_of(double value, double tol, double abs_tol, Direction d) {
  BaselineCheck c;
  c.metric = "jct_mean";
  c.value = value;
  c.tolerance = tol;
  c.absolute_tolerance = abs_tol;
  c.direction = d;
  return c;
}

SummaryRow row(const std::string& policy, std::uint64_t seed, double jct, double util) {
  SummaryRow r;
  r.policy = policy;
  r.workload = "synthetic";
  r.seed = seed;
  r.metrics = {{"jct_mean", jct}, {"utilisation", util}, {"makespan", 1000.0 + seed}};
  return r;
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the CLI with `args`, stdout+stderr to `log`; returns the exit code.
int run_cli(const std::string& args, const fs::path& log) {
  const std::string cmd = std::string("\"") + fastgpu::test::cli_path() + "\" " + args + " > \"" + log.string() + "\" 2>&1";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("regression: the tolerance rule and the direction of worse") {
  using enum Direction;
  // value 100, 2 % relative: changes up to 2 are within tolerance.
  CHECK(classify(check_of(100, 0.02, 0, lower_is_better), 100) == CheckStatus::unchanged);
  CHECK(classify(check_of(100, 0.02, 0, lower_is_better), 101.5) == CheckStatus::within_tolerance);
  CHECK(classify(check_of(100, 0.02, 0, lower_is_better), 102) == CheckStatus::within_tolerance);
  CHECK(classify(check_of(100, 0.02, 0, lower_is_better), 102.5) == CheckStatus::worse);
  CHECK(classify(check_of(100, 0.02, 0, lower_is_better), 97) == CheckStatus::better);
  CHECK(classify(check_of(100, 0.02, 0, higher_is_better), 97) == CheckStatus::worse);
  CHECK(classify(check_of(100, 0.02, 0, higher_is_better), 103) == CheckStatus::better);
  CHECK(classify(check_of(100, 0.02, 0, either), 97) == CheckStatus::worse);
  CHECK(classify(check_of(100, 0.02, 0, either), 103) == CheckStatus::worse);
  // The larger of the relative and the absolute allowance counts: near 0 the absolute one.
  CHECK(classify(check_of(0, 0.02, 0.5, lower_is_better), 0.4) == CheckStatus::within_tolerance);
  CHECK(classify(check_of(0, 0.02, 0.5, lower_is_better), 0.6) == CheckStatus::worse);
  CHECK(classify(check_of(100, 0.02, 5, lower_is_better), 104) == CheckStatus::within_tolerance);
  // NaN: equal to NaN, worse when only one side is NaN.
  CHECK(classify(check_of(kNaN, 0.02, 0, lower_is_better), kNaN) == CheckStatus::unchanged);
  CHECK(classify(check_of(kNaN, 0.02, 0, lower_is_better), 5) == CheckStatus::worse);
  CHECK(classify(check_of(5, 0.02, 0, lower_is_better), kNaN) == CheckStatus::worse);
}

TEST_CASE("regression: a baseline reads, and writes back to the same text") {
  const std::string text = R"(# a comment
[defaults]
tolerance = 0.05
absolute_tolerance = 0.001
metrics = ["jct_mean", "utilisation"]

[runs.fifo.synthetic]
seeds = [2, 1]
jct_mean = 120.5
utilisation = { value = 0.75, tolerance = 0, absolute_tolerance = 0.01, direction = "higher-is-better" }

[runs."las[interval=60]"."synthetic[load=0.7]"]
seeds = [1]
makespan = nan
)";
  const Baseline b = parse_baseline(text, "b.toml");
  CHECK(b.tolerance == 0.05);
  CHECK(b.absolute_tolerance == 0.001);
  CHECK(b.metrics == std::vector<std::string>{"jct_mean", "utilisation"});
  REQUIRE(b.runs.size() == 2);
  CHECK(b.runs[0].policy == "fifo");
  CHECK(b.runs[0].seeds == std::vector<std::uint64_t>{1, 2});
  REQUIRE(b.runs[0].checks.size() == 2);
  const BaselineCheck& jct = b.runs[0].checks[0];
  CHECK(jct.metric == "jct_mean");
  CHECK(jct.value == 120.5);
  CHECK(jct.tolerance == 0.05);  // from [defaults]
  CHECK(jct.direction == Direction::lower_is_better);  // known for the metric
  CHECK(jct.where.line == 9);
  const BaselineCheck& util = b.runs[0].checks[1];
  CHECK(util.absolute_tolerance == 0.01);
  CHECK(util.tolerance == 0);
  CHECK(util.direction == Direction::higher_is_better);
  CHECK(b.runs[1].policy == "las[interval=60]");
  CHECK(b.runs[1].workload == "synthetic[load=0.7]");
  CHECK(std::isnan(b.runs[1].checks[0].value));

  const std::string written = format_baseline(b, {"header"});
  const Baseline again = parse_baseline(written, "again.toml");
  CHECK(format_baseline(again, {"header"}) == written);
  CHECK(written.find("[runs.\"las[interval=60]\".\"synthetic[load=0.7]\"]") != std::string::npos);
}

TEST_CASE("regression: a tolerance or value of -0 is written as 0, so the written text reads back to itself") {
  // "-0" would read back as the TOML integer 0 and then be written "0".
  const std::string text =
      "[defaults]\ntolerance = 0.05\nabsolute_tolerance = -0e6\nmetrics = [\"jct_mean\"]\n\n"
      "[runs.fifo.w]\nseeds = [1]\njct_mean = -0.0\n";
  const std::string once = format_baseline(parse_baseline(text, "b.toml"));
  CHECK(once.find("absolute_tolerance = 0 ") != std::string::npos);
  CHECK(once.find("jct_mean = 0\n") != std::string::npos);
  CHECK(format_baseline(parse_baseline(once, "again.toml")) == once);
}

TEST_CASE("regression: bad baselines are input errors naming the line and key") {
  auto error_of = [](const std::string& text) -> std::string {
    try {
      parse_baseline(text, "b.toml");
    } catch (const InputError& e) {
      return describe(e.where()) + " | " + e.what();
    }
    return "no error";
  };
  CHECK(error_of("[runs.fifo.w]\nseeds = [1]\njct_men = 3\n").find("b.toml:3") != std::string::npos);
  CHECK(error_of("[runs.fifo.w]\nseeds = [1]\njct_men = 3\n").find("unknown metric 'jct_men'") != std::string::npos);
  CHECK(error_of("[runs.fifo.w]\njct_mean = 3\n").find("needs `seeds`") != std::string::npos);
  CHECK(error_of("[runs.fifo.w]\nseeds = [1, 1]\n").find("listed twice") != std::string::npos);
  CHECK(error_of("[runs.fifo.w]\nseeds = [1]\njct_mean = { value = 1, direction = \"down\" }\n")
            .find("unknown direction") != std::string::npos);
  CHECK(error_of("[runs.fifo.w]\nseeds = [1]\njct_mean = { tolerance = 0.1 }\n").find("needs a value") !=
        std::string::npos);
  CHECK(error_of("[defaults]\ntolerance = -1\n").find("tolerance must be") != std::string::npos);
  CHECK(error_of("[default]\n").find("unknown key 'default'") != std::string::npos);
  CHECK(error_of("[runs.fifo.w\n").find("invalid TOML") != std::string::npos);
  CHECK_THROWS_AS(read_baseline("/nonexistent/baseline.toml"), InputError);
}

TEST_CASE("regression: checks are means over the seeds; absent runs, seeds and metrics are input errors") {
  // fifo: JCT 100 and 110 (mean 105), utilisation 0.5 and 0.7 (mean 0.6).
  const std::vector<SummaryRow> rows{row("fifo", 1, 100, 0.5), row("fifo", 2, 110, 0.7), row("sjf", 1, 80, 0.6),
                                     row("sjf", 2, 90, 0.6)};
  Baseline b = parse_baseline(R"([runs.fifo.synthetic]
seeds = [1, 2]
jct_mean = 105
utilisation = 0.6
)",
                              "b.toml");
  RegressionReport r = check_regressions(b, rows, "r.h5");
  REQUIRE(r.outcomes.size() == 2);
  CHECK(r.outcomes[0].current == 105);
  CHECK(r.outcomes[1].current == doctest::Approx(0.6));
  CHECK(r.outcomes[0].status == CheckStatus::unchanged);
  CHECK(!r.regressed());
  REQUIRE(r.not_in_baseline.size() == 1);
  CHECK(r.not_in_baseline[0].first == "sjf");

  // An injected regression: the baseline says 100; 105 is 5 % worse (> 2 %).
  b.runs[0].checks[0].value = 100;
  r = check_regressions(b, rows, "r.h5");
  CHECK(r.outcomes[0].status == CheckStatus::worse);
  CHECK(r.regressed());
  // ... and an improvement is not one.
  b.runs[0].checks[0].value = 110;
  CHECK(check_regressions(b, rows, "r.h5").outcomes[0].status == CheckStatus::better);

  Baseline absent = parse_baseline("[runs.srtf.synthetic]\nseeds = [1, 2]\njct_mean = 1\n", "b.toml");
  CHECK_THROWS_AS(check_regressions(absent, rows, "r.h5"), InputError);
  Baseline seeds = parse_baseline("[runs.fifo.synthetic]\nseeds = [1, 2, 3]\njct_mean = 1\n", "b.toml");
  CHECK_THROWS_AS(check_regressions(seeds, rows, "r.h5"), InputError);
  Baseline metric = parse_baseline("[runs.fifo.synthetic]\nseeds = [1, 2]\ncost = 1\n", "b.toml");
  CHECK_THROWS_AS(check_regressions(metric, rows, "r.h5"), InputError);
}

TEST_CASE("regression: --update keeps tolerances and directions and takes the new values") {
  const std::vector<SummaryRow> rows{row("fifo", 1, 100, 0.5), row("fifo", 2, 110, 0.7), row("sjf", 1, 80, 0.6)};
  Baseline previous = parse_baseline(R"([defaults]
tolerance = 0.1
metrics = ["makespan"]
[runs.fifo.synthetic]
seeds = [1]
jct_mean = { value = 1, tolerance = 0.3, absolute_tolerance = 0, direction = "either" }
[runs.gone.synthetic]
seeds = [1]
jct_mean = 1
)",
                                     "b.toml");
  const Baseline b = update_baseline(previous, rows, "r.h5");
  REQUIRE(b.runs.size() == 2);
  CHECK(b.runs[0].policy == "fifo");
  CHECK(b.runs[0].seeds == std::vector<std::uint64_t>{1, 2});
  REQUIRE(b.runs[0].checks.size() == 1);
  CHECK(b.runs[0].checks[0].value == 105);
  CHECK(b.runs[0].checks[0].tolerance == 0.3);
  CHECK(b.runs[0].checks[0].direction == Direction::either);
  // A new run records [defaults] metrics (makespan 1000 + seed 1).
  CHECK(b.runs[1].policy == "sjf");
  REQUIRE(b.runs[1].checks.size() == 1);
  CHECK(b.runs[1].checks[0].metric == "makespan");
  CHECK(b.runs[1].checks[0].value == 1001);
  CHECK(b.runs[1].checks[0].tolerance == 0.1);
  // What it writes passes against the same rows.
  CHECK(!check_regressions(parse_baseline(format_baseline(b), "u.toml"), rows, "r.h5").regressed());
}

TEST_CASE("regression: fastgpu regress exit codes: 0 unchanged, 1 injected regression, 2 bad input") {
  fastgpu::testing::ScratchDir dir("regress");
  // A results file with two policies x two seeds and hand-set summaries.
  std::vector<RunResult> runs;
  for (const char* policy : {"fifo", "sjf"}) {
    for (std::uint64_t seed : {1, 2}) {
      RunResult r;
      r.policy = policy;
      r.workload = "synthetic";
      r.seed = seed;
      r.num_gpus = 8;
      r.summary.jobs_total = r.summary.jobs_completed = 10;
      r.summary.jct_mean = (policy == std::string("fifo") ? 100.0 : 80.0) + 10.0 * static_cast<double>(seed);
      r.summary.makespan = 1000;
      r.summary.utilisation = 0.5;
      runs.push_back(r);
    }
  }
  const fs::path results = dir.path() / "results.h5";
  write_results(results.string(), ResultsFileMeta{"t", "", "", {}}, runs);
  const fs::path baseline = dir.path() / "baseline.toml";
  const fs::path log = dir.path() / "log.txt";
  const std::string base_args = "\"" + results.string() + "\" --baseline \"" + baseline.string() + "\"";

  REQUIRE(run_cli("regress " + base_args + " --update", log) == 0);
  const std::string text = read_text(baseline);
  CHECK(text.find("[runs.fifo.synthetic]") != std::string::npos);
  CHECK(text.find("jct_mean = 115\n") != std::string::npos);  // (110 + 120) / 2
  CHECK(!fs::exists(baseline.string() + ".tmp"));

  // Unchanged results pass.
  CHECK(run_cli("regress " + base_args, log) == 0);
  CHECK(read_text(log).find("0 worse") != std::string::npos);

  // A copy of the baseline with fifo's mean JCT edited to 100: the results' 115 is worse.
  std::string edited = text;
  edited.replace(edited.find("jct_mean = 115\n"), 15, "jct_mean = 100\n");
  const fs::path injected = dir.path() / "injected.toml";
  write_text(injected, edited);
  CHECK(run_cli("regress \"" + results.string() + "\" --baseline \"" + injected.string() + "\"", log) == 1);
  const std::string out = read_text(log);
  CHECK(out.find("WORSE") != std::string::npos);
  CHECK(out.find("+15.00%") != std::string::npos);

  // An improvement (the baseline says 130, the results 115) is reported and passes.
  edited = text;
  edited.replace(edited.find("jct_mean = 115\n"), 15, "jct_mean = 130\n");
  write_text(injected, edited);
  CHECK(run_cli("regress \"" + results.string() + "\" --baseline \"" + injected.string() + "\"", log) == 0);
  CHECK(read_text(log).find("better") != std::string::npos);
  CHECK(read_text(log).find("-11.54%") != std::string::npos);  // (115 - 130) / 130
  CHECK(read_text(log).find("1 better beyond tolerance") != std::string::npos);

  // A bad baseline: exit 2 with the file, line and key of the mistake.
  const std::size_t line_of_sjf = static_cast<std::size_t>(
      std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(text.find("[runs.sjf.synthetic]")), '\n') + 1);
  edited = text;
  edited.insert(text.find("[runs.sjf.synthetic]") + std::string("[runs.sjf.synthetic]\n").size(), "jct_maen = 1\n");
  write_text(injected, edited);
  CHECK(run_cli("regress \"" + results.string() + "\" --baseline \"" + injected.string() + "\"", log) == 2);
  const std::string bad = read_text(log);
  CHECK(bad.find(injected.string() + ":" + std::to_string(line_of_sjf + 1)) != std::string::npos);
  CHECK(bad.find("runs.sjf.synthetic.jct_maen") != std::string::npos);
  CHECK(bad.find("unknown metric 'jct_maen'") != std::string::npos);

  // --update keeps the comment block at the top of the baseline it replaces.
  write_text(injected, "# why these tolerances\n#\n#   indented\n[defaults]\ntolerance = 0.001\n");
  REQUIRE(run_cli("regress \"" + results.string() + "\" --baseline \"" + injected.string() + "\" --update", log) == 0);
  const std::string updated = read_text(injected);
  CHECK(updated.rfind("# why these tolerances\n#\n#   indented\n\n[defaults]\ntolerance = 0.001 ", 0) == 0);
  CHECK(updated.find("jct_mean = 115\n") != std::string::npos);

  // Bad input: no baseline, no results, a run or a metric the results lack.
  CHECK(run_cli("regress \"" + results.string() + "\" --baseline \"" + (dir.path() / "none.toml").string() + "\"",
                log) == 2);
  CHECK(run_cli("regress \"" + (dir.path() / "none.h5").string() + "\" --baseline \"" + baseline.string() + "\"",
                log) == 2);
  write_text(injected, text + "\n[runs.srtf.synthetic]\nseeds = [1, 2]\njct_mean = 1\n");
  CHECK(run_cli("regress \"" + results.string() + "\" --baseline \"" + injected.string() + "\"", log) == 2);
  CHECK(read_text(log).find("no run of policy 'srtf'") != std::string::npos);
  CHECK(run_cli("regress \"" + results.string() + "\"", log) == 2);
}

TEST_CASE("regression: a baseline written with the former names seed_F and seed_L checks the renamed metrics") {
  const Baseline b = parse_baseline(R"([defaults]
metrics = ["seed_F", "jct_mean"]

[runs.fifo.synthetic]
seeds = [1]
seed_F = 0.25
seed_L = { value = 0.125, tolerance = 0 }
)",
                                    "old.toml");
  CHECK(b.metrics == std::vector<std::string>{"responsiveness", "jct_mean"});
  REQUIRE(b.runs.size() == 1);
  REQUIRE(b.runs[0].checks.size() == 2);
  CHECK(b.runs[0].checks[0].metric == "responsiveness");
  CHECK(b.runs[0].checks[0].direction == Direction::higher_is_better);
  CHECK(b.runs[0].checks[1].metric == "busy_variance");
  CHECK(b.runs[0].checks[1].direction == Direction::lower_is_better);

  SummaryRow r;
  r.policy = "fifo";
  r.workload = "synthetic";
  r.seed = 1;
  r.metrics = {{"responsiveness", 0.25}, {"busy_variance", 0.125}};
  const RegressionReport report = check_regressions(b, {r}, "r.h5");
  REQUIRE(report.outcomes.size() == 2);
  CHECK(report.outcomes[0].status == CheckStatus::unchanged);
  CHECK(report.outcomes[1].status == CheckStatus::unchanged);
  // Written back, the baseline uses the current names.
  const std::string written = format_baseline(b, {"header"});
  CHECK(written.find("seed_F") == std::string::npos);
  CHECK(written.find("responsiveness = 0.25") != std::string::npos);
}
