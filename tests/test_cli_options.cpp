// The CLI's shared conventions, end to end (FASTGPU_CLI): the same option
// names in `run` and `compare`, "did you mean" for mistyped names, `fastgpu
// policies` within 100 columns, the printed table's units and its notes on
// wide intervals, and the progress of a single long run on a terminal.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "experiments/progress.h"
#include "experiments/statistics.h"
#include "policies/builtin.h"
#include "results_io/hdf5_reader.h"
#include "source_paths.h"
#include "tests/scratch_dir.h"
#include "tests/skip.h"

namespace fs = std::filesystem;
using namespace fastgpu;

namespace {

using fastgpu::testing::run_cli;
using fastgpu::testing::run_in;
using fastgpu::testing::ScratchDir;
using fastgpu::testing::contains;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// 8 GPUs, a short synthetic workload, and a label defined only as a table.
const std::string kConfig = R"([experiment]
name = "opts"
seeds = 2
policies = ["fifo", "sjf"]

[cluster]
nodes_per_switch = 2
[[cluster.gpu_types]]
name = "g"
speed = 1.0
[[cluster.nodes]]
count = 2
gpus_per_node = 4
gpu_type = "g"

[workload]
jobs = 60
load = 0.9
gpu_counts = [1, 2, 4]
duration_median = 600

[policies.fifo-ll]
policy = "fifo"
placement = "least-loaded"
)";

std::vector<std::pair<std::string, std::uint64_t>> runs_in(const fs::path& file) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (const auto& row : read_summary_table(file)) out.emplace_back(row.policy, row.seed);
  return out;
}

}  // namespace

TEST_CASE("cli: run and compare take --policy/--policies and --seed/--seeds with one meaning") {
  ScratchDir dir("cli-options");
  dir.write("exp.toml", kConfig);
  using Runs = std::vector<std::pair<std::string, std::uint64_t>>;
  // --seeds N is seeds 1..N, --seed N that seed (repeatable); the policy options are lists.
  REQUIRE(run_cli(dir, "run exp.toml --policies sjf,fifo-ll --seeds 2 -o a.h5 -q").code == 0);
  CHECK(runs_in(dir / "a.h5") == Runs{{"sjf", 1}, {"sjf", 2}, {"fifo-ll", 1}, {"fifo-ll", 2}});
  REQUIRE(run_cli(dir, "run exp.toml -p sjf --policy fifo-ll -s 1 --seed 2 -o b.h5 -q").code == 0);
  CHECK(runs_in(dir / "b.h5") == runs_in(dir / "a.h5"));
  const auto a = read_summary_table(dir / "a.h5");
  const auto b = read_summary_table(dir / "b.h5");
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].metrics.at("jct_mean") == b[i].metrics.at("jct_mean"));

  REQUIRE(run_cli(dir, "compare exp.toml --policy sjf --seed 2 -o c.h5 -q").code == 0);
  CHECK(runs_in(dir / "c.h5") == Runs{{"sjf", 2}});
  REQUIRE(run_cli(dir, "compare exp.toml --policy fifo -p sjf --seeds 3,5 -o d.h5 -q").code == 0);
  CHECK(runs_in(dir / "d.h5") == Runs{{"fifo", 3}, {"fifo", 5}, {"sjf", 3}, {"sjf", 5}});
  // A seed named twice through both options is refused.
  const auto twice = run_cli(dir, "compare exp.toml --seed 1 --seeds 1 -o e.h5 -q");
  CHECK(twice.code == 2);
  CHECK(contains(twice.err, "a seed is named twice"));
}

TEST_CASE("cli: a mistyped policy, label, placement, parameter or command gets 'did you mean'") {
  ScratchDir dir("cli-options");
  dir.write("exp.toml", kConfig);
  struct Case {
    std::string args, want;
  };
  const std::vector<Case> cases = {
      {"run exp.toml --policy fifp", "unknown policy 'fifp'; did you mean 'fifo'?"},
      {"compare exp.toml --policies fifo-lll", "unknown policy 'fifo-lll'; did you mean 'fifo-ll'?"},
      {"policies sfj", "unknown policy 'sfj'; did you mean 'sjf'?"},
      {"run exp.toml --set policies.fifo.placement=least-lodaed", "did you mean 'least-loaded'?"},
      {"run exp.toml --set policies.sjf.bye=duration", "has no parameter 'bye'; did you mean 'by'?"},
      {"compar exp.toml", "unknown command 'compar'; did you mean 'compare'?"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    const auto r = run_cli(dir, c.args);
    CHECK(r.code == 2);
    CHECK_MESSAGE(contains(r.err, c.want), r.err);
    CHECK(!fs::exists(dir / "results"));
  }
  // Nothing close: no guess.
  const auto far = run_cli(dir, "run exp.toml --policy zzzzzz");
  CHECK(far.code == 2);
  CHECK(!contains(far.err, "did you mean"));
}

TEST_CASE("cli: `fastgpu policies` lists every policy within 100 columns; NAME gives the detail") {
  ScratchDir dir("cli-options");
  const auto list = run_cli(dir, "policies");
  REQUIRE(list.code == 0);
  std::vector<std::string> listed;
  for (const std::string& l : lines_of(list.out)) {
    CHECK(l.size() <= 100);
    if (!l.empty() && l[0] != ' ' && l[0] != '-' && l.rfind("policy ", 0) != 0 && l.rfind("'fastgpu", 0) != 0)
      listed.push_back(l.substr(0, l.find(' ')));
  }
  CHECK(listed == builtin_policies().names());
  CHECK(lines_of(list.out).size() < 60);  // one line per policy (a few wrap), not the parameters

  const auto one = run_cli(dir, "policies easy-backfill");
  REQUIRE(one.code == 0);
  const auto lines = lines_of(one.out);
  for (const std::string& l : lines) CHECK(l.size() <= 100);
  REQUIRE(!lines.empty());
  CHECK(lines[0].rfind("easy-backfill: ", 0) == 0);
  CHECK(contains(one.out, "\n    depth\n      default  "));
  // The placement choices wrap after a '|' and keep every name.
  for (const char* p : {"first-fit", "least-loaded", "gpu-clustering", "random"}) CHECK(contains(one.out, p));
}

TEST_CASE("cli: compare's table prints utilisation as the stored fraction and explains wide intervals") {
  ScratchDir dir("cli-options");
  dir.write("exp.toml", kConfig);
  const auto two = run_cli(dir, "compare exp.toml -o two.h5 -q");
  REQUIRE(two.code == 0);
  const auto three = run_cli(dir, "compare exp.toml --seeds 3 -o three.h5 -q");
  REQUIRE(three.code == 0);
  CHECK(contains(two.out, "utilisation"));
  CHECK(!contains(two.out, "util (%)"));
  CHECK(contains(two.out, "note: with 2 seeds the 95% interval is the mean +- 12.7 x half the gap"));
  CHECK(!contains(three.out, "note: with 2 seeds"));

  // Recomputed from the file: each policy's utilisation cell is the mean of
  // the stored fractions; a cell gets '*' exactly when mean - half-width < 0.
  for (const char* file : {"two.h5", "three.h5"}) {
    CAPTURE(file);
    const auto& out = std::string(file) == "two.h5" ? two.out : three.out;
    std::map<std::string, std::vector<double>> util, wait;
    for (const auto& row : read_summary_table(dir / file)) {
      util[row.policy].push_back(row.metrics.at("utilisation"));
      wait[row.policy].push_back(row.metrics.at("wait_mean"));
    }
    bool any_star = false;
    for (const auto& [policy, u] : util) {
      CAPTURE(policy);
      const auto line_at = out.find("  " + policy + " ");
      REQUIRE(line_at != std::string::npos);
      const std::string line = out.substr(line_at, out.find('\n', line_at) - line_at);
      const MeanCI uc = mean_ci(u);
      CHECK(contains(line, fmt::format("{:.3f} +- {:.3f}", uc.mean, uc.half_width)));
      const MeanCI wc = mean_ci(wait[policy]);
      const std::string wait_cell = fmt::format("{:.1f} +- {:.1f}", wc.mean, wc.half_width);
      const bool starred = contains(line, wait_cell + "*");
      CHECK(starred == (wc.mean - wc.half_width < 0));
      CHECK(contains(line, wait_cell));
      any_star |= contains(line, "*");
    }
    CHECK(contains(out, "note: * the interval reaches below 0") == any_star);
  }
}

TEST_CASE("progress: the line inside a single run") {
  RunProgress p;
  p.now = 3 * 86400 + 43200;
  p.events = 4'100'000;
  p.jobs_arrived = 1'200'000;
  p.jobs_total = 2'000'000;
  CHECK(experiments::ProgressLine::format_within(p, 3.21, "fifo seed 1") ==
        "[0/1] 3.2 s elapsed: simulated 3.5 d, 1200000/2000000 jobs arrived, 4.1 M events (fifo seed 1)");
  p.now = 5400;
  CHECK(contains(experiments::ProgressLine::format_within(p, 0, ""), "simulated 1.5 h,"));
}

TEST_CASE("cli: a single long run shows where it stands on a terminal only, and not with --quiet") {
  ScratchDir dir("cli-progress");
  if (run_in(dir, "script -qec true /dev/null").code != 0) {
    FASTGPU_SKIP("util-linux 'script' (a pseudo-terminal) is not available");
  }
  std::string config = kConfig;
  config.replace(config.find("jobs = 60"), 9, "jobs = 60000");  // > 65,536 events: at least one report
  dir.write("exp.toml", config);
  const std::string cli = "'" + fastgpu::test::cli_path() + "' run exp.toml --policy fifo --seed 1";
  const auto tty = run_in(dir, "script -qec \"" + cli + " -o a.h5 >/dev/null\" /dev/null");
  const auto quiet = run_in(dir, "script -qec \"" + cli + " -q -o b.h5 >/dev/null\" /dev/null");
  const auto pipe = run_in(dir, cli + " -o c.h5");
  REQUIRE(tty.code == 0);
  REQUIRE(quiet.code == 0);
  REQUIRE(pipe.code == 0);
  CHECK(contains(tty.out, "[0/1] "));
  CHECK(contains(tty.out, "/60000 jobs arrived"));
  CHECK(contains(tty.out, "[1/1] "));
  CHECK(!contains(quiet.out, "jobs arrived"));
  CHECK(!contains(pipe.err, "jobs arrived"));
  // The results do not depend on whether progress was shown.
  CHECK(read_summary_table(dir / "a.h5")[0].metrics.at("jct_mean") ==
        read_summary_table(dir / "c.h5")[0].metrics.at("jct_mean"));
}

TEST_CASE("cli: bash completion offers commands, options, policy names and formats") {
  ScratchDir dir("cli-completion");
  if (run_in(dir, "bash -c true").code != 0) FASTGPU_SKIP("bash is not available");
  const std::string script = (fs::path(fastgpu::test::source_dir()) / "scripts" / "fastgpu-completion.bash").string();
  // Completes the words (the last one being typed) as bash would, one candidate a line.
  auto complete = [&](const std::string& words) {
    dir.write("complete.sh", "source '" + script + "'\nCOMP_WORDS=('" + fastgpu::test::cli_path() + "' " + words +
                                 ")\nCOMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n_fastgpu\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n");
    const auto r = run_in(dir, "bash complete.sh");
    REQUIRE(r.code == 0);
    return lines_of(r.out);
  };
  using Lines = std::vector<std::string>;
  CHECK(complete("com") == Lines{"compare"});
  CHECK(complete("compare exp.toml --poli") == Lines{"--policies", "--policy"});
  CHECK(complete("run exp.toml --policy fi") == Lines{"fifo"});
  CHECK(complete("compare exp.toml --policies fifo,sj") == Lines{"fifo,sjf"});
  CHECK(complete("policies easy") == Lines{"easy-backfill"});
  CHECK(complete("convert --format ali") == Lines{"alibaba2020", "alibaba2023"});
  CHECK(complete("solve x.csv --format b") == Lines{"braun"});
}
