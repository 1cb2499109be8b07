// The `fastgpu` executable end to end (FASTGPU_CLI), each case in its own
// temporary directory: bad input exits 2 with a one-line message naming file,
// line/key and field and leaves no output behind; good input writes HDF5 whose
// contents match what the library computes directly.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "results_io/hdf5_reader.h"
#include "tests/scratch_dir.h"
#include "workloads/csv_trace.h"
#include "workloads/trace_reader.h"
#include "workloads/workload_loader.h"

namespace fs = std::filesystem;
using namespace fastgpu;

namespace {

using fastgpu::testing::ScratchDir;
using CliResult = fastgpu::testing::Shell;
using fastgpu::testing::run_cli;
using fastgpu::testing::contains;

// A small cluster (2 nodes x 4 GPUs) and a short synthetic workload.
const std::string kSmall = R"([experiment]
name = "small"
seeds = 2
policies = ["fifo", "sjf"]

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
jobs = 60
load = 0.9
gpu_counts = [1, 2, 4]
duration_median = 600
)";

// The checks every bad-input case shares: exit 2, exactly one line on stderr
// that starts with "fastgpu: error: " and contains `parts`, nothing on stdout,
// and no file written besides the inputs.
void check_bad_input(const ScratchDir& dir, const CliResult& r, const std::vector<std::string>& parts,
                     const std::vector<std::string>& inputs) {
  INFO("stderr: " << r.err);
  CHECK(r.code == 2);
  CHECK(r.err.rfind("fastgpu: error: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.out.empty());
  for (const std::string& p : parts) CHECK(contains(r.err, p));
  CHECK(dir.outputs(inputs).empty());
}

}  // namespace

TEST_CASE("cli: an unknown config key exits 2 naming file, line and key, and writes nothing") {
  ScratchDir dir("cli");
  dir.write("exp.toml", kSmall + "[engine]\nmonitor_intervall = 30\n");
  const CliResult r = run_cli(dir, "run exp.toml -o out.h5");
  check_bad_input(dir, r, {"exp.toml:29", "engine.monitor_intervall", "unknown key", "monitor_interval"}, {"exp.toml"});
}

TEST_CASE("cli: a wrong type exits 2 naming file, line, key and the expected type") {
  ScratchDir dir("cli");
  dir.write("exp.toml", kSmall + "[engine]\nmonitor_interval = \"30s\"\n");
  const CliResult r = run_cli(dir, "compare exp.toml");
  check_bad_input(dir, r, {"exp.toml:29", "engine.monitor_interval", "expected a number, got a string"}, {"exp.toml"});
}

TEST_CASE("cli: a negative GPU count exits 2 naming the key") {
  ScratchDir dir("cli");
  std::string text = kSmall;
  text.replace(text.find("gpus_per_node = 4"), 17, "gpus_per_node = -4");
  dir.write("exp.toml", text);
  const CliResult r = run_cli(dir, "run exp.toml");
  check_bad_input(dir, r, {"exp.toml:16", "cluster.nodes[0].gpus_per_node", "must be >= 0, got -4"}, {"exp.toml"});
  // The same through an override.
  dir.write("ok.toml", kSmall);
  const CliResult o = run_cli(dir, "run ok.toml --set cluster.nodes[1].count=-2");
  check_bad_input(dir, o, {"--set", "cluster.nodes[1].count", "must be >= 0, got -2"}, {"exp.toml", "ok.toml"});
}

TEST_CASE("cli: a malformed CSV trace row exits 2 naming the trace file, line and column") {
  ScratchDir dir("cli");
  dir.write("jobs.csv", "id,submit,num_gpus,work\n1,0,1,100\n2,ten,1,100\n3,20,2,50\n");
  dir.write("exp.toml", "[experiment]\npolicies = [\"fifo\"]\n[workload]\ntrace = \"jobs.csv\"\n");
  const CliResult r = run_cli(dir, "run exp.toml -o out.h5");
  check_bad_input(dir, r, {"jobs.csv:3", "submit"}, {"exp.toml", "jobs.csv"});

  // skip_bad_rows = true runs the two good jobs and says what it skipped.
  const CliResult s = run_cli(dir, "run exp.toml -o out.h5 --set workload.skip_bad_rows=true");
  INFO("stderr: " << s.err);
  CHECK(s.code == 0);
  CHECK(contains(s.err, "skipped 1"));
  const auto rows = read_summary_table(dir / "out.h5");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].workload == "jobs");
  CHECK(rows[0].metrics.at("jobs_total") == 2);
}

TEST_CASE("cli: an unknown policy or parameter exits 2 naming where it was written") {
  ScratchDir dir("cli");
  std::string text = kSmall;
  text.replace(text.find("[\"fifo\", \"sjf\"]"), 15, "[\"fifo\", \"shortest\"]");
  dir.write("exp.toml", text);
  check_bad_input(dir, run_cli(dir, "compare exp.toml -o out.h5"),
                  {"exp.toml:4", "experiment.policies[1]", "unknown policy 'shortest'", "sjf"}, {"exp.toml"});

  dir.write("alias.toml", kSmall + "[policies.sjf]\nplacement = \"nowhere\"\n");
  check_bad_input(dir, run_cli(dir, "run alias.toml"), {"alias.toml:29", "policies.sjf.placement", "nowhere"},
                  {"exp.toml", "alias.toml"});

  dir.write("ok.toml", kSmall);
  check_bad_input(dir, run_cli(dir, "run ok.toml --policy nosuch"), {"unknown policy 'nosuch'"},
                  {"exp.toml", "alias.toml", "ok.toml"});
}

TEST_CASE("cli: bad usage exits 2; help and version exit 0") {
  ScratchDir dir("cli");
  dir.write("exp.toml", kSmall);
  check_bad_input(dir, run_cli(dir, "frobnicate"), {"unknown command 'frobnicate'"}, {"exp.toml"});
  check_bad_input(dir, run_cli(dir, "run"), {"missing the CONFIG argument"}, {"exp.toml"});
  check_bad_input(dir, run_cli(dir, "run exp.toml --bogus"), {"--bogus"}, {"exp.toml"});
  check_bad_input(dir, run_cli(dir, "run exp.toml -j many"), {"--threads", "many"}, {"exp.toml"});
  check_bad_input(dir, run_cli(dir, "run missing.toml"), {"missing.toml", "cannot open"}, {"exp.toml"});
  check_bad_input(dir, run_cli(dir, "gen exp.toml"), {"-o"}, {"exp.toml"});
  check_bad_input(dir, run_cli(dir, "run exp.toml --set nokey"), {"key=value"}, {"exp.toml"});
  for (const char* cmd : {"--help", "run --help", "compare --help", "gen --help", "policies --help"}) {
    const CliResult r = run_cli(dir, cmd);
    CHECK(r.code == 0);
    CHECK(contains(r.out, "Usage: fastgpu"));
  }
  const CliResult v = run_cli(dir, "--version");
  CHECK(v.code == 0);
  CHECK(v.out.rfind("fastgpu ", 0) == 0);
}

TEST_CASE("cli: run writes HDF5 with one row per policy and seed, honouring --set, --policy and --seed") {
  ScratchDir dir("cli");
  dir.write("exp.toml", kSmall + "[policies.fifo-ll]\npolicy = \"fifo\"\nplacement = \"least-loaded\"\n");
  const CliResult r = run_cli(dir, "run exp.toml -o res/out.h5 --set workload.jobs=40 -q");
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());  // --quiet
  REQUIRE(fs::exists(dir / "res/out.h5"));
  CHECK(!fs::exists(dir / "res/out.h5.tmp"));
  auto rows = read_summary_table(dir / "res/out.h5");
  REQUIRE(rows.size() == 4);  // fifo, sjf x seeds 1, 2 (fifo-ll is not listed)
  const std::vector<std::pair<std::string, std::uint64_t>> expected = {{"fifo", 1}, {"fifo", 2}, {"sjf", 1}, {"sjf", 2}};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(rows[i].policy == expected[i].first);
    CHECK(rows[i].seed == expected[i].second);
    CHECK(rows[i].workload == "synthetic");
    CHECK(rows[i].metrics.at("jobs_total") == 40);
    CHECK(rows[i].metrics.at("jobs_completed") == 40);
  }
  // One table row per run on stdout.
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2 + 4);

  // A label defined only as a table, one seed; the alias runs registry "fifo".
  const CliResult a = run_cli(dir, "run exp.toml --policy fifo-ll --seed 7 -o alias.h5 -q");
  REQUIRE(a.code == 0);
  rows = read_summary_table(dir / "alias.h5");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].policy == "fifo-ll");
  CHECK(rows[0].seed == 7);
  CHECK(rows[0].metrics.at("jobs_total") == 60);

  // Without -o: experiment.output, else results/<name>.h5 under the working directory.
  REQUIRE(run_cli(dir, "run exp.toml --policy fifo --seed 1 -q").code == 0);
  CHECK(fs::exists(dir / "results/small.h5"));
}

TEST_CASE("cli: compare ranks by mean JCT and gives identical results for -j 1 and -j 2") {
  ScratchDir dir("cli");
  // least-loaded: a label for fifo with the least-loaded placement.
  dir.write("exp.toml", kSmall + "[policies.least-loaded]\npolicy = \"fifo\"\nplacement = \"least-loaded\"\n");
  const std::string args = "compare exp.toml --policies fifo,sjf,least-loaded --seeds 3 -q";
  const CliResult one = run_cli(dir, args + " -j 1 -o one.h5");
  const CliResult two = run_cli(dir, args + " -j 2 -o two.h5");
  INFO("stderr: " << one.err << two.err);
  REQUIRE(one.code == 0);
  REQUIRE(two.code == 0);
  CHECK(one.out == two.out);

  const auto a = read_summary_table(dir / "one.h5");
  const auto b = read_summary_table(dir / "two.h5");
  REQUIRE(a.size() == 9);
  REQUIRE(b.size() == 9);
  // Everything but the wall-clock measurements is identical.
  const std::vector<std::string> timing = {"scheduler_seconds", "wall_seconds", "events_per_second"};
  std::map<std::string, std::pair<double, int>> jct;  // policy -> (sum of mean JCT, runs)
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].policy == b[i].policy);
    CHECK(a[i].seed == b[i].seed);
    for (const auto& [name, value] : a[i].metrics) {
      if (std::find(timing.begin(), timing.end(), name) != timing.end()) continue;
      INFO(a[i].policy << " seed " << a[i].seed << " " << name);
      CHECK(b[i].metrics.at(name) == value);
    }
    jct[a[i].policy].first += a[i].metrics.at("jct_mean");
    jct[a[i].policy].second += 1;
  }
  // The printed order is the order of the mean JCT over the seeds, recomputed here.
  std::vector<std::pair<double, std::string>> order;
  for (const auto& [policy, sum] : jct) order.emplace_back(sum.first / sum.second, policy);
  std::sort(order.begin(), order.end());
  std::size_t pos = 0;
  for (const auto& [mean, policy] : order) {
    const std::size_t at = one.out.find("  " + policy + " ");
    REQUIRE(at != std::string::npos);
    CHECK(at > pos);
    pos = at;
  }
  CHECK(contains(one.out, "mean over 3 seeds"));
}

TEST_CASE("cli: gen writes the workload the library generates for that seed") {
  ScratchDir dir("cli");
  dir.write("exp.toml", kSmall);
  const CliResult r = run_cli(dir, "gen exp.toml -o trace.csv --seed 5 -q");
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  const Workload written = read_trace("csv", {dir / "trace.csv"}, TraceReadOptions{});
  const ExperimentConfig config = parse_config(kSmall, dir / "exp.toml");
  const Workload direct = load_workload(config.workload, config.cluster, 5);
  REQUIRE(written.jobs.size() == 60);
  REQUIRE(direct.jobs.size() == 60);
  for (std::size_t i = 0; i < direct.jobs.size(); ++i) {
    CHECK(written.jobs[i].id == direct.jobs[i].id);
    CHECK(written.jobs[i].submit == direct.jobs[i].submit);
    CHECK(written.jobs[i].num_gpus == direct.jobs[i].num_gpus);
    CHECK(written.jobs[i].work == direct.jobs[i].work);
  }
}

TEST_CASE("cli: policies lists every registered policy; NAME shows its parameters") {
  ScratchDir dir("cli");
  const CliResult r = run_cli(dir, "policies");
  REQUIRE(r.code == 0);
  for (const char* name : {"\nfifo ", "\nsjf ", "\ncomposed "}) CHECK(contains(r.out, name));
  const CliResult one = run_cli(dir, "policies sjf");
  REQUIRE(one.code == 0);
  CHECK(one.out.rfind("sjf:", 0) == 0);
  CHECK(contains(one.out, "\n    placement\n"));
  CHECK(!contains(one.out, "fifo:"));
  check_bad_input(dir, run_cli(dir, "policies nosuch"), {"unknown policy 'nosuch'"}, {});
}
