// Policy parameters through the `fastgpu` executable (FASTGPU_CLI): every
// kind of bad parameter in a [policies.<label>] table (unknown name, value out
// of range, wrong type, a string outside its choices, an inconsistent pair, a
// malformed list) exits 2 with one line naming the config file, the line and
// the key, and leaves no output behind; good parameters run.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "tests/scratch_dir.h"

namespace {

using CliResult = fastgpu::testing::Shell;
using fastgpu::testing::contains;

// A fresh directory holding exp.toml; `fastgpu ARGS` runs inside it.
class CliDir {
 public:
  CliResult run(const std::string& config, const std::string& args) const {
    dir_.write("exp.toml", config);
    return fastgpu::testing::run_cli(dir_, args);
  }
  // Files other than the config.
  std::vector<std::string> outputs() const { return dir_.outputs({"exp.toml"}); }

 private:
  fastgpu::testing::ScratchDir dir_{"params"};
};

// 1-based line of the first line of `text` that starts with `start`.
int line_of(const std::string& text, const std::string& start) {
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.rfind(start, 0) == 0) return n;
  }
  FAIL("no line starts with " << start);
  return 0;
}

// 1 node x 4 GPUs, 20 short jobs; the policy table is appended.
const std::string kBase = R"([experiment]
name = "params"
seeds = 1
output = "out.h5"

[[cluster.nodes]]
count = 1
gpus_per_node = 4

[workload]
jobs = 20
gpu_counts = [1, 2]
duration_median = 60
)";

struct BadCase {
  std::string table;       // the [policies.x] table, appended to kBase
  std::string key_line;    // the line the error must name starts with this
  std::string field;       // the key the error must name
  std::string message;     // part of the message
};

}  // namespace

TEST_CASE("cli: bad policy parameters exit 2 naming file, line and key") {
  const std::vector<BadCase> cases{
      // unknown name (the known ones are listed)
      {"[policies.bf]\npolicy = \"easy-backfill\"\ndeepth = 4\n", "deepth", "policies.bf.deepth",
       "has no parameter 'deepth'; did you mean 'depth'? (known: placement, consolidate, spread_after, depth)"},
      // out of range, integer and real
      {"[policies.easy-backfill]\ndepth = 0\n", "depth", "policies.easy-backfill.depth", "out of range"},
      {"[policies.reservation]\nalpha = 1.5\n", "alpha", "policies.reservation.alpha", "out of range"},
      {"[policies.load-balance-migrate]\nthreshold = -0.1\n", "threshold", "policies.load-balance-migrate.threshold",
       "out of range"},
      {"[policies.min-min]\nbatch = 5000\n", "batch", "policies.min-min.batch", "out of range"},
      // wrong type
      {"[policies.priority]\npreempt = \"yes\"\n", "preempt", "policies.priority.preempt", "must be"},
      {"[policies.sufferage]\nbatch = 2.5\n", "batch", "policies.sufferage.batch", "must be"},
      {"[policies.srtf]\nmin_gain = \"a minute\"\n", "min_gain", "policies.srtf.min_gain", "must be"},
      // a string outside its choices
      {"[policies.reservation]\nsizing = \"median\"\n", "sizing", "policies.reservation.sizing", "is not one of"},
      {"[policies.time-window]\non_infeasible = \"ignore\"\n", "on_infeasible", "policies.time-window.on_infeasible",
       "is not one of"},
      // checks across parameters and inside a list: the policy's table is named
      {"[policies.lbm]\npolicy = \"load-balance-migrate\"\nthreshold = 0.3\nthreshold_low = 0.5\n", "policy",
       "policies.lbm.policy", "'threshold_low' (0.5) must not exceed 'threshold' (0.3)"},
      {"[policies.las]\nthresholds = \"7200,3250\"\n", "[policies.las]", "policies.las",
       "strictly increasing"},
  };
  CliDir dir;
  for (const BadCase& c : cases) {
    CAPTURE(c.table);
    const std::string config = kBase + "\n" + c.table;
    const std::string where = "exp.toml:" + std::to_string(line_of(config, c.key_line));
    for (const char* command : {"run exp.toml", "compare exp.toml"}) {
      CAPTURE(command);
      const CliResult r = dir.run(config, command);
      INFO("stderr: " << r.err);
      CHECK(r.code == 2);
      CHECK(r.err.rfind("fastgpu: error: ", 0) == 0);
      CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
      CHECK(contains(r.err, where + ":"));
      CHECK(contains(r.err, "'" + c.field + "'"));
      CHECK(contains(r.err, c.message));
      CHECK(r.out.empty());
      CHECK(dir.outputs().empty());
    }
  }
}

TEST_CASE("cli: good policy parameters run, integers accepted for reals") {
  CliDir dir;
  const std::string config = kBase +
                             "\n[policies.bf]\npolicy = \"easy-backfill\"\ndepth = 4\n"
                             "[policies.reservation]\nalpha = 1\nsizing = \"quantile\"\n"
                             "[policies.las]\nthresholds = \"100,1000\"\nstarvation_factor = 2\n";
  const CliResult r = dir.run(config, "run exp.toml");
  INFO("stderr: " << r.err);
  CHECK(r.code == 0);
  CHECK(dir.outputs() == std::vector<std::string>{"out.h5"});
}
