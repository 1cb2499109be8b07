// Parameter sweeps (experiments/sweep.h): the [sweep] table expands to the cross
// product in the documented order, each point's config is the file with the
// point's values, bad grids are errors naming file, line and key; and
// `fastgpu compare` writes the same HDF5 file for -j 1 and -j 2 with the
// sweep values as /summary columns. Also the progress line (experiments/progress.h).
#include "source_paths.h"
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "experiments/progress.h"
#include "experiments/sweep.h"
#include "config/config.h"
#include "sim/error.h"
#include "results_io/hdf5_reader.h"
#include "test_sweep_files.h"
#include "tests/skip.h"

using namespace fastgpu;
using namespace fastgpu::experiments;
using fastgpu::test::results_file_differences;
using fastgpu::test::run_in;
using fastgpu::test::ScratchDir;

namespace {

// 2 nodes x 4 GPUs (one slow, one fast); the sweep varies the load, the
// number of slow nodes, and one LAS parameter.
const std::string kBase = R"([experiment]
name = "sweep"
policies = ["fifo"]

[cluster]
nodes_per_switch = 2
[[cluster.gpu_types]]
name = "slow"
speed = 1.0
[[cluster.gpu_types]]
name = "fast"
speed = 2.0
[[cluster.nodes]]
count = 1
gpus_per_node = 4
gpu_type = "slow"
[[cluster.nodes]]
count = 1
gpus_per_node = 4
gpu_type = "fast"

[workload]
jobs = 40
load = 0.8
gpu_counts = [1, 2, 4]
duration_median = 600
)";

const std::string kSweep = kBase + R"(
[sweep]
policies = ["fifo", "las"]
seeds = [3, 5]
"workload.load" = [0.5, 0.9]
"cluster.nodes[0].count" = [1, 2]
"policies.las.interval" = [30.0, 120.0]
)";

// 1-based line of the first line containing `part`.
std::size_t line_of(const std::string& text, const std::string& part) {
  const auto at = text.find(part);
  REQUIRE(at != std::string::npos);
  return static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
}

std::string error_of(const std::string& text) {
  try {
    const ExperimentConfig c = parse_config(text, "exp.toml");
    plan_experiment(c);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("sweep: the grid expands to the cross product, points first, last axis fastest") {
  const ExperimentConfig config = parse_config(kSweep, "exp.toml");
  const ExperimentPlan plan = plan_experiment(config);
  CHECK(plan.axes == std::vector<std::string>{"workload.load", "cluster.nodes[0].count", "policies.las.interval"});
  // 2 loads x 2 cluster sizes = 4 points; per point fifo x 2 seeds + las x 2 intervals x 2 seeds = 6 runs.
  CHECK(plan.points == 4);
  REQUIRE(plan.runs.size() == 24);

  const std::vector<std::string> points{"synthetic[load=0.5,cluster.nodes[0].count=1]",
                                        "synthetic[load=0.5,cluster.nodes[0].count=2]",
                                        "synthetic[load=0.9,cluster.nodes[0].count=1]",
                                        "synthetic[load=0.9,cluster.nodes[0].count=2]"};
  const std::vector<std::pair<std::string, std::uint64_t>> per_point{
      {"fifo", 3}, {"fifo", 5}, {"las[interval=30]", 3}, {"las[interval=30]", 5}, {"las[interval=120]", 3},
      {"las[interval=120]", 5}};
  for (std::size_t p = 0; p < 4; ++p) {
    for (std::size_t k = 0; k < 6; ++k) {
      const RunSpec& r = plan.runs[p * 6 + k];
      CAPTURE(p * 6 + k);
      REQUIRE(r.config);
      CHECK(r.config->workload.name == points[p]);
      CHECK(r.label == per_point[k].first);
      CHECK(r.seed == per_point[k].second);
      // The point's values reached its config: load and GPUs (4 per slow node + 4 fast).
      CHECK(r.config->workload.synthetic.load == (p < 2 ? 0.5 : 0.9));
      CHECK(r.config->cluster.num_gpus() == (p % 2 == 0 ? 8u : 12u));
      CHECK(r.sweep.at("policy") == (k < 2 ? "fifo" : "las"));
      CHECK(r.sweep.at("workload.load") == (p < 2 ? "0.5" : "0.9"));
      CHECK(r.sweep.at("cluster.nodes[0].count") == (p % 2 == 0 ? "1" : "2"));
      if (k < 2) {
        CHECK(r.sweep.count("policies.las.interval") == 0);
        CHECK(r.extra_params.empty());
      } else {
        const double interval = k < 4 ? 30.0 : 120.0;
        CHECK(r.sweep.at("policies.las.interval") == (k < 4 ? "30" : "120"));
        CHECK(std::get<double>(r.extra_params.at("interval").value) == interval);
      }
    }
  }
  // Runs of one point share one config object (so they share workloads).
  CHECK(plan.runs[0].config == plan.runs[5].config);
  CHECK(plan.runs[0].config != plan.runs[6].config);
}

TEST_CASE("sweep: nested tables, seeds as a count, and command-line policies and seeds") {
  const std::string text = kBase + R"(
[sweep]
seeds = 3
[sweep.workload]
rate = [0.01, 0.02]
gpu_count_weights = [[0.5, 0.3, 0.2], [0.8, 0.1, 0.1]]
)";
  const ExperimentConfig config = parse_config(text, "exp.toml");
  const ExperimentPlan plan = plan_experiment(config);
  // 2 rates x 2 job-size mixes x fifo x seeds 1..3.
  REQUIRE(plan.runs.size() == 12);
  CHECK(plan.runs[0].seed == 1);
  CHECK(plan.runs[2].seed == 3);
  CHECK(plan.runs[3].config->workload.synthetic.rate == 0.01);
  CHECK(plan.runs[3].config->workload.synthetic.gpu_count_weights == std::vector<double>{0.8, 0.1, 0.1});
  CHECK(plan.runs[6].config->workload.synthetic.rate == 0.02);
  CHECK(plan.runs[6].config->workload.synthetic.gpu_count_weights == std::vector<double>{0.5, 0.3, 0.2});

  // --policies / --seeds win over the table.
  const ExperimentPlan cli = plan_experiment(config, {}, {"sjf", "fifo"}, {9});
  REQUIRE(cli.runs.size() == 8);
  CHECK(cli.runs[0].label == "sjf");
  CHECK(cli.runs[1].label == "fifo");
  CHECK(cli.runs[1].seed == 9);

  // No [sweep]: the plain label x seed plan, without sweep columns.
  const ExperimentPlan plain = plan_experiment(parse_config(kBase, "exp.toml"));
  REQUIRE(plain.runs.size() == 1);
  CHECK(plain.runs[0].sweep.empty());
  CHECK(plain.axes.empty());
}

TEST_CASE("sweep: a bad grid is an error naming the file, the line and the sweep key") {
  SUBCASE("a key outside workload, cluster, engine and policies") {
    const std::string text = kBase + "\n[sweep]\n\"experiment.name\" = [\"a\", \"b\"]\n";
    const std::string e = error_of(text);
    CHECK(contains(e, "exp.toml:" + std::to_string(line_of(text, "\"experiment.name\""))));
    CHECK(contains(e, "sweep.experiment.name"));
  }
  SUBCASE("not an array") {
    const std::string text = kBase + "\n[sweep]\n\"workload.load\" = 0.5\n";
    const std::string e = error_of(text);
    CHECK(contains(e, "exp.toml:" + std::to_string(line_of(text, "\"workload.load\""))));
    CHECK(contains(e, "non-empty array"));
  }
  SUBCASE("a value listed twice") {
    const std::string text = kBase + "\n[sweep]\n\"workload.load\" = [0.5, 0.5]\n";
    CHECK(contains(error_of(text), "listed twice"));
  }
  SUBCASE("a point whose config is invalid names the value's line") {
    const std::string text = kBase + "\n[sweep]\n\"workload.load\" = [\n  0.5,\n  -1.0,\n]\n";
    const std::string e = error_of(text);
    CHECK(contains(e, "exp.toml:" + std::to_string(line_of(text, "-1.0"))));
    CHECK(contains(e, "[load=-1]"));
  }
  SUBCASE("a policy axis for a policy that does not run") {
    const std::string text = kBase + "\n[sweep]\n\"policies.las.interval\" = [30.0]\n";
    const std::string e = error_of(text);
    CHECK(contains(e, "exp.toml:" + std::to_string(line_of(text, "\"policies.las.interval\""))));
    CHECK(contains(e, "'las' is not one of the policies run"));
  }
  SUBCASE("an unknown policy parameter is found before anything runs") {
    const std::string text = kBase + "\n[sweep]\npolicies = [\"las\"]\n\"policies.las.no_such\" = [1]\n";
    const ExperimentConfig c = parse_config(text, "exp.toml");
    const ExperimentPlan plan = plan_experiment(c);
    try {
      validate_runs(plan.runs);
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(contains(e.what(), "exp.toml:" + std::to_string(line_of(text, "\"policies.las.no_such\""))));
      CHECK(contains(e.what(), "no_such"));
    }
  }
}

TEST_CASE("sweep: compare gives the same file for -j 1 and -j 2, with the sweep values as /summary columns") {
  ScratchDir dir("sweep");
  dir.write("exp.toml", kSweep);
  const std::string cli = "'" + fastgpu::test::cli_path() + "' compare exp.toml -q";
  const auto one = run_in(dir, cli + " -j 1 -o one.h5");
  const auto two = run_in(dir, cli + " -j 2 -o two.h5");
  INFO(one.err << two.err);
  REQUIRE(one.code == 0);
  REQUIRE(two.code == 0);
  CHECK(one.out == two.out);
  CHECK(one.err.empty());  // -q: no progress, no notes
  const std::vector<std::string> diffs = results_file_differences(dir / "one.h5", dir / "two.h5");
  INFO(diffs.size() << " differences, first: " << (diffs.empty() ? "" : diffs.front()));
  CHECK(diffs.empty());

  const std::vector<SummaryRow> rows = read_summary_table(dir / "one.h5");
  REQUIRE(rows.size() == 24);
  // Row 8 = point 1 (load 0.5, 2 slow nodes), las with interval 30, seed 3.
  const SummaryRow& r = rows[8];
  CHECK(r.policy == "las[interval=30]");
  CHECK(r.workload == "synthetic[load=0.5,cluster.nodes[0].count=2]");
  CHECK(r.seed == 3);
  CHECK(r.sweep == std::map<std::string, std::string>{{"cluster.nodes[0].count", "2"},
                                                      {"policies.las.interval", "30"},
                                                      {"policy", "las"},
                                                      {"workload.load", "0.5"}});
  // A fifo row has no value in the LAS column.
  CHECK(rows[0].sweep.count("policies.las.interval") == 0);
  CHECK(rows[0].sweep.at("policy") == "fifo");

  // The comparison does see a real difference: another duration changes every run.
  const auto other = run_in(dir, cli + " -j 2 -o other.h5 --set workload.duration_median=900");
  REQUIRE(other.code == 0);
  const std::vector<std::string> changed = results_file_differences(dir / "one.h5", dir / "other.h5");
  INFO(changed.size() << " differences with other.h5, first: " << (changed.empty() ? "" : changed.front()));
  // Not only the root's config text: the runs' results differ (the listing
  // stops after 20 differences, before it reaches /summary).
  CHECK(std::any_of(changed.begin(), changed.end(), [](const std::string& d) { return d.rfind(". ", 0) != 0; }));
}

TEST_CASE("sweep: the progress line shows done/total, elapsed and the estimate, only when enabled") {
  CHECK(ProgressLine::format(3, 12, 4.1, "las seed 2") == "[3/12] 4.1 s elapsed, ~12 s left (las seed 2)");
  // 4.1 s / 3 runs x 9 runs left = 12.3 s.
  CHECK(ProgressLine::format(12, 12, 65, "") == "[12/12] 1 min 05 s elapsed");
  CHECK(format_duration(200) == "3 min 20 s");
  CHECK(format_duration(7500) == "2 h 05 min");

  for (bool enabled : {true, false}) {
    std::FILE* f = std::tmpfile();
    REQUIRE(f);
    {
      ProgressLine p(2, enabled, f);
      p.run_done("a");
      p.run_done("b");
    }
    std::rewind(f);
    std::string text;
    for (int c; (c = std::fgetc(f)) != EOF;) text += static_cast<char>(c);
    std::fclose(f);
    if (enabled) {
      CHECK(contains(text, "\r\033[K[1/2] "));
      CHECK(contains(text, "left (a)"));
      CHECK(contains(text, "\r\033[K[2/2] "));
      CHECK(text.back() == '\n');
    } else {
      CHECK(text.empty());
    }
  }
}

TEST_CASE("sweep: compare draws the progress line on a terminal only, and not with --quiet") {
  ScratchDir dir("sweep-tty");
  dir.write("exp.toml", kSweep);
  if (run_in(dir, "script -qec true /dev/null").code != 0) {
    FASTGPU_SKIP("util-linux 'script' (a pseudo-terminal) is not available");
  }
  const std::string cli = "'" + fastgpu::test::cli_path() + "' compare exp.toml -j 2";
  // script gives the command a terminal; its output (the terminal's) goes to stdout here.
  const auto tty = run_in(dir, "script -qec \"" + cli + " -o a.h5 >/dev/null\" /dev/null");
  const auto quiet = run_in(dir, "script -qec \"" + cli + " -q -o b.h5 >/dev/null\" /dev/null");
  const auto pipe = run_in(dir, cli + " -o c.h5");
  REQUIRE(tty.code == 0);
  REQUIRE(quiet.code == 0);
  REQUIRE(pipe.code == 0);
  CHECK(contains(tty.out, "[24/24] "));
  CHECK(contains(tty.out, " elapsed"));
  CHECK(!contains(quiet.out, "/24] "));
  CHECK(!contains(pipe.err, "/24] "));
  CHECK(contains(pipe.err, "wrote c.h5"));
}
