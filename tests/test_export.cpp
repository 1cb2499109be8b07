// `fastgpu export RESULTS.h5 --to csv DIR` (results_io/csv_export.h) and the
// baseline verdicts stored by `compare --baseline` (results_io/baseline_verdicts.h):
// a four-job trace on three GPUs whose schedule is worked out by hand below.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "results_io/baseline_verdicts.h"
#include "results_io/csv_export.h"
#include "results_io/hdf5_reader.h"
#include "sim/error.h"
#include "tests/scratch_dir.h"

using namespace fastgpu;
using fastgpu::testing::ScratchDir;

namespace {

// GPU 0 is the A100 (speed 2), GPUs 1 and 2 the T4s (speed 1). Under fifo:
//  job 0: 2 GPUs, work 100 -> the only node with 2 free GPUs is t4: runs 0..100 on T4, JCT 100
//  job 1: 1 A100 GPU, work 100, submitted at 10 -> runs 10..60 (speed 2), JCT 50, deadline 1000 met
//  job 2: 1 A100 GPU, work 30, submitted at 20 -> waits for the A100: runs 60..75, wait 40, JCT 55
//  job 3: 4 GPUs on a 3-GPU cluster -> rejected on arrival at 30
// At t = 50 jobs 0 and 1 hold all 3 GPUs and job 2 waits: utilisation 1, queue 1, running 2.
constexpr const char* kTrace =
    "id,submit,num_gpus,work,deadline,gpu_type\n"
    "0,0,2,100,,\n"
    "1,10,1,100,1000,A100\n"
    "2,20,1,30,,A100\n"
    "3,30,4,10,,\n";

constexpr const char* kConfig = R"(
[experiment]
name = "export-test"
seeds = [1]
policies = ["fifo"]

[[cluster.gpu_types]]
name = "A100"
speed = 2.0

[[cluster.gpu_types]]
name = "T4"
speed = 1.0

[[cluster.nodes]]
name = "a100"
count = 1
gpus_per_node = 1
gpu_type = "A100"

[[cluster.nodes]]
name = "t4"
count = 1
gpus_per_node = 2
gpu_type = "T4"

[workload]
trace = "jobs.csv"
name = "tiny"

[engine]
monitor_interval = 50
)";

// A CSV file as rows of fields (no quoted fields in these tables but the reasons,
// which the test does not split on).
std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(fastgpu::testing::read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) fields.push_back(std::exchange(field, {}));
      else field.push_back(c);
    }
    fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

// Row `i` (after the header) as column -> value.
std::map<std::string, std::string> row_of(const std::vector<std::vector<std::string>>& t, std::size_t i) {
  REQUIRE(t.size() > i + 1);
  REQUIRE(t[0].size() == t[i + 1].size());
  std::map<std::string, std::string> out;
  for (std::size_t c = 0; c < t[0].size(); ++c) out[t[0][c]] = t[i + 1][c];
  return out;
}

}  // namespace

TEST_CASE("export: tidy CSVs of a hand-checked run: labels, GPU type names, empty cells for missing values") {
  ScratchDir dir("export");
  dir.write("jobs.csv", kTrace);
  dir.write("tiny.toml", kConfig);
  const auto ran = fastgpu::testing::run_cli(dir, "run tiny.toml -o tiny.h5 --quiet");
  REQUIRE_MESSAGE(ran.code == 0, ran.err);
  const auto exported = fastgpu::testing::run_cli(dir, "export tiny.h5 --to csv out");
  REQUIRE_MESSAGE(exported.code == 0, exported.err);
  CHECK(exported.out.find("1 runs, 4 jobs") != std::string::npos);

  const auto jobs = read_csv(dir / "out/jobs.csv");
  REQUIRE(jobs.size() == 5);
  const auto j0 = row_of(jobs, 0), j1 = row_of(jobs, 1), j2 = row_of(jobs, 2), j3 = row_of(jobs, 3);
  CHECK(j0.at("policy") == "fifo");
  CHECK(j0.at("workload") == "tiny");
  CHECK(j0.at("seed") == "1");
  CHECK(j0.at("job_id") == "0");
  CHECK(j0.at("first_start") == "0");
  CHECK(j0.at("end") == "100");
  CHECK(j0.at("jct") == "100");
  CHECK(j0.at("gpu_type") == "T4");
  CHECK(j0.at("gpu_seconds") == "200");
  CHECK(j0.at("deadline") == "");  // none: an empty cell, not inf
  CHECK(j0.at("deadline_met") == "none");
  CHECK(j0.at("outcome") == "finished");
  CHECK(j1.at("gpu_type") == "A100");
  CHECK(j1.at("first_start") == "10");
  CHECK(j1.at("end") == "60");
  CHECK(j1.at("jct") == "50");
  CHECK(j1.at("runtime_alone") == "50");
  CHECK(j1.at("deadline") == "1000");
  CHECK(j1.at("deadline_met") == "met");
  CHECK(j2.at("wait") == "40");
  CHECK(j2.at("end") == "75");
  CHECK(j2.at("jct") == "55");
  CHECK(j3.at("outcome") == "rejected");
  CHECK(j3.at("first_start") == "");
  CHECK(j3.at("jct") == "");
  CHECK(j3.at("gpu_type") == "");
  CHECK(j3.at("wait") == "");
  CHECK(!j3.at("reject_reason").empty());
  CHECK(j0.at("reject_reason") == "");

  const auto summary = read_csv(dir / "out/summary.csv");
  REQUIRE(summary.size() == 2);
  const auto s = row_of(summary, 0);
  CHECK(summary[0][0] == "policy");
  CHECK(summary[0][1] == "workload");
  CHECK(summary[0][2] == "seed");
  CHECK(s.at("jobs_completed") == "3");
  CHECK(s.at("jobs_rejected") == "1");
  CHECK(std::stod(s.at("jct_mean")) == doctest::Approx((100.0 + 50 + 55) / 3));
  CHECK(std::stod(s.at("wait_mean")) == doctest::Approx((0.0 + 0 + 40) / 3));

  const auto series = read_csv(dir / "out/timeseries.csv");
  bool found = false;
  for (std::size_t i = 0; i + 1 < series.size(); ++i) {
    const auto r = row_of(series, i);
    if (r.at("time") != "50") continue;
    found = true;
    CHECK(r.at("busy_gpus") == "3");
    CHECK(r.at("utilisation") == "1");
    CHECK(r.at("queue_length") == "1");
    CHECK(r.at("running") == "2");
  }
  CHECK(found);
  CHECK(!std::filesystem::exists(dir / "out/baseline_verdicts.csv"));  // run has no baseline
}

TEST_CASE("export: bad input exits 2 naming the file and writes nothing") {
  ScratchDir dir("export-bad");
  auto r = fastgpu::testing::run_cli(dir, "export missing.h5 --to csv out");
  CHECK(r.code == 2);
  CHECK(r.err.find("missing.h5") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "out"));
  dir.write("not.h5", "not an HDF5 file\n");
  r = fastgpu::testing::run_cli(dir, "export not.h5 --to csv out");
  CHECK(r.code == 2);
  CHECK(r.err.find("not.h5") != std::string::npos);
  r = fastgpu::testing::run_cli(dir, "export not.h5 --to json out");
  CHECK(r.code == 2);
  CHECK(r.err.find("csv") != std::string::npos);
  CHECK(dir.entries() == std::vector<std::string>{"not.h5"});
}

TEST_CASE("export: a CSV field with a comma, a quote or a line break is quoted") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field(" padded") == "\" padded\"");
}

TEST_CASE("compare --baseline stores the paired verdicts: differences recomputed from /summary") {
  ScratchDir dir("verdicts");
  dir.write("jobs.csv", kTrace);
  dir.write("tiny.toml", kConfig);
  const auto ran = fastgpu::testing::run_cli(dir, "compare tiny.toml -p fifo,sjf -s 3 --baseline fifo -o v.h5 --quiet");
  REQUIRE_MESSAGE(ran.code == 0, ran.err);
  const std::vector<BaselineVerdict> verdicts = read_baseline_verdicts(dir / "v.h5");
  REQUIRE(verdicts.size() == 5);  // sjf against fifo on 5 metrics
  const std::vector<SummaryRow> rows = read_summary_table(dir / "v.h5");
  for (const BaselineVerdict& v : verdicts) {
    CAPTURE(v.metric);
    CHECK(v.workload == "tiny");
    CHECK(v.baseline == "fifo");
    CHECK(v.policy == "sjf");
    CHECK(v.pairs == 3);
    double sum = 0, base = 0, pol = 0;
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      double a = NAN, b = NAN;
      for (const SummaryRow& r : rows) {
        if (r.seed != seed) continue;
        (r.policy == "sjf" ? a : b) = r.metrics.at(v.metric);
      }
      sum += a - b, base += b, pol += a;
    }
    CHECK(v.difference_mean == doctest::Approx(sum / 3));
    CHECK(v.baseline_mean == doctest::Approx(base / 3));
    CHECK(v.policy_mean == doctest::Approx(pol / 3));
    // A trace replays the same jobs for every seed: the per-seed differences are equal,
    // so the interval has width 0 and the verdict follows the sign of the difference.
    CHECK(v.difference_half_width == doctest::Approx(0));
  }
  // The CSV export carries them with the interval's ends.
  const auto exported = fastgpu::testing::run_cli(dir, "export v.h5 --to csv out --quiet");
  REQUIRE_MESSAGE(exported.code == 0, exported.err);
  const auto table = read_csv(dir / "out/baseline_verdicts.csv");
  REQUIRE(table.size() == 6);
  CHECK(row_of(table, 0).at("metric") == "jct_mean");
  CHECK(row_of(table, 0).at("verdict") == verdicts[0].verdict);
  // Without --baseline there is no table, and reading it gives none.
  REQUIRE(fastgpu::testing::run_cli(dir, "compare tiny.toml -p fifo -s 1 -o plain.h5 --quiet").code == 0);
  CHECK(read_baseline_verdicts(dir / "plain.h5").empty());
}
