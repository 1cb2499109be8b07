// The statistics `fastgpu compare` prints: every policy's mean JCT with the
// half-width of its 95% Student-t interval over the seeds, and with
// --baseline the paired per-seed difference and verdict. The expected cells
// are recomputed here from the per-run values in the HDF5 file, with the t
// quantile taken from a table (t(0.975, 2) = 4.302652729749464).
#include "source_paths.h"
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "results_io/hdf5_reader.h"
#include "test_sweep_files.h"

using fastgpu::test::run_in;
using fastgpu::test::ScratchDir;

namespace {

const std::string kConfig = R"([experiment]
name = "stats"
seeds = 3
policies = ["fifo", "sjf"]

[cluster]
[[cluster.gpu_types]]
name = "v100"
[[cluster.nodes]]
count = 2
gpus_per_node = 4
gpu_type = "v100"

[workload]
jobs = 80
load = 1.1
gpu_counts = [1, 2, 4]
duration_median = 900
)";

// The output line that contains every one of `parts`, or "".
std::string line_with(const std::string& text, const std::vector<std::string>& parts) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    bool all = true;
    for (const std::string& p : parts) all = all && line.find(p) != std::string::npos;
    if (all) return line;
  }
  return "";
}

}  // namespace

TEST_CASE("statistics: compare prints mean +- 95% CI per policy and the paired difference to --baseline") {
  ScratchDir dir("stats");
  dir.write("exp.toml", kConfig);
  const auto r = run_in(dir, "'" + fastgpu::test::cli_path() + "' compare exp.toml -q -j 2 --baseline fifo -o r.h5");
  INFO(r.err << r.out);
  REQUIRE(r.code == 0);

  std::map<std::string, std::map<std::uint64_t, double>> jct;  // policy -> seed -> mean JCT
  for (const auto& row : fastgpu::read_summary_table(dir / "r.h5")) jct[row.policy][row.seed] = row.metrics.at("jct_mean");
  REQUIRE(jct["fifo"].size() == 3);
  REQUIRE(jct["sjf"].size() == 3);
  constexpr double t975_2 = 4.302652729749464;  // two-sided 95%, 2 degrees of freedom

  // mean +- t s / sqrt(n) of three values, s with divisor n - 1.
  auto ci = [&](const std::vector<double>& v) {
    const double m = (v[0] + v[1] + v[2]) / 3;
    const double s = std::sqrt(((v[0] - m) * (v[0] - m) + (v[1] - m) * (v[1] - m) + (v[2] - m) * (v[2] - m)) / 2);
    return std::pair{m, t975_2 * s / std::sqrt(3.0)};
  };
  for (const std::string policy : {"fifo", "sjf"}) {
    const auto [m, h] = ci({jct[policy][1], jct[policy][2], jct[policy][3]});
    CAPTURE(policy);
    CHECK(line_with(r.out, {" " + policy + " ", fmt::format("{:.1f} +- {:.1f}", m, h)}) != "");
  }

  // Paired: sjf - fifo per seed.
  const auto [dm, dh] = ci({jct["sjf"][1] - jct["fifo"][1], jct["sjf"][2] - jct["fifo"][2],
                            jct["sjf"][3] - jct["fifo"][3]});
  const std::string diff = fmt::format("{}{:.1f} +- {:.1f}", dm > 0 ? "+" : "", dm, dh);
  const std::string verdict = dm + dh < 0 ? "better" : dm - dh > 0 ? "worse" : "no significant difference";
  const std::string line = line_with(r.out, {"sjf", "mean JCT (s)", diff});
  CHECK(line != "");
  CHECK(line.find(verdict) != std::string::npos);
  CHECK(r.out.find("paired with baseline 'fifo'") != std::string::npos);

  // An unknown baseline is bad input, found before anything runs.
  const auto bad = run_in(dir, "'" + fastgpu::test::cli_path() + "' compare exp.toml -q --baseline nope -o bad.h5");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("--baseline: 'nope' is not one of the policies run (fifo, sjf)") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "bad.h5"));
}
