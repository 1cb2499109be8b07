// The TOML experiment config: values as written, defaults, overrides, and
// every kind of bad input naming file, line and key.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "config/config.h"
#include "sim/error.h"

using namespace fastgpu;

namespace {

// The message of the InputError that parsing `text` throws ("" if none).
std::string config_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    parse_config(text, "dir/exp.toml", overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const char* kFull = R"(# a complete config
[experiment]
name = "full"
seeds = [3, 7]
output = "out/full.h5"
threads = 2
policies = ["fifo", "las-fine"]

[cluster]
nodes_per_switch = 4
[cluster.slowdown]
same_node = 1.0
same_switch = 1.2
cross_switch = 1.5

[[cluster.gpu_types]]
name = "V100"
speed = 1.0
memory_gb = 32
idle_watts = 40
busy_watts = 300
price_per_hour = 2.5

[[cluster.gpu_types]]
name = "A100"
speed = 2
memory_gb = 80
idle_watts = 60
busy_watts = 400
price_per_hour = 4.1

[[cluster.nodes]]
name = "old"
count = 3
gpus_per_node = 4
gpu_type = "V100"

[[cluster.nodes]]
name = "new"
count = 2
gpus_per_node = 8
gpu_type = "A100"

[workload]
kind = "synthetic"
name = "mix"
jobs = 500
arrival = "bursty"
rate = 0.25
load = 0.7
burst_factor = 3
burst_fraction = 0.3
burst_period = 1200
diurnal_amplitude = 0.4
diurnal_period = 43200
gpu_counts = [1, 2, 8]
gpu_count_weights = [0.5, 0.3, 0.2]
duration = "lognormal"
duration_median = 900
duration_sigma = 1.5
duration_min = 30
duration_max = 86400
priorities = [0, 5]
priority_weights = [3, 1]
deadline_fraction = 0.1
deadline_slack_min = 2
deadline_slack_max = 3
window_fraction = 0.05
window_delay_max = 600
users = 7
user_zipf = 0.5
share_fraction = 0.2
preemptible_fraction = 0.9
gpu_type_choices = ["A100"]
gpu_type_fraction = 0.25
format = "csv"
skip_bad_rows = true
gpus_per_proc = 2

[engine]
estimate = "noisy"
estimate_sigma = 0.3
monitor_interval = 30
checkpoint_seconds = 5
restore_seconds = 7
checkpoint_seconds_per_gb = 0.5
responsiveness_alpha = 0.25
check = true

[policies.las-fine]
policy = "las"
quantum = 60
preempt = true
name = "x"

[policies.spare]
ratio = 0.5
)";

}  // namespace

TEST_CASE("config: a complete file parses to the values written in it") {
  const ExperimentConfig c = parse_config(kFull, "dir/exp.toml");
  CHECK(c.path == "dir/exp.toml");
  CHECK(c.text == kFull);
  CHECK(c.name == "full");
  CHECK(c.seeds == std::vector<std::uint64_t>{3, 7});
  CHECK(c.output == "out/full.h5");
  CHECK(c.threads == 2);

  CHECK(c.cluster.nodes_per_switch == 4);
  CHECK(c.cluster.slowdown.same_node == 1.0);
  CHECK(c.cluster.slowdown.same_switch == 1.2);
  CHECK(c.cluster.slowdown.cross_switch == 1.5);
  REQUIRE(c.cluster.gpu_types.size() == 2);
  CHECK(c.cluster.gpu_types[1].name == "A100");
  CHECK(c.cluster.gpu_types[1].speed == 2.0);
  CHECK(c.cluster.gpu_types[1].memory_gb == 80);
  CHECK(c.cluster.gpu_types[1].idle_watts == 60);
  CHECK(c.cluster.gpu_types[1].busy_watts == 400);
  CHECK(c.cluster.gpu_types[1].price_per_hour == 4.1);
  REQUIRE(c.cluster.node_groups.size() == 2);
  CHECK(c.cluster.node_groups[0].name == "old");
  CHECK(c.cluster.node_groups[0].count == 3);
  CHECK(c.cluster.node_groups[0].gpus_per_node == 4);
  CHECK(c.cluster.node_groups[0].gpu_type == 0);
  CHECK(c.cluster.node_groups[1].gpu_type == 1);
  // 3 x 4 + 2 x 8, by hand.
  CHECK(c.cluster.num_nodes() == 5);
  CHECK(c.cluster.num_gpus() == 28);

  const WorkloadSpec& w = c.workload;
  CHECK(w.kind == "synthetic");
  CHECK(w.name == "mix");
  CHECK(w.format == "csv");
  CHECK(w.skip_bad_rows);
  CHECK(w.gpus_per_proc == 2.0);
  const SyntheticSpec& s = w.synthetic;
  CHECK(s.jobs == 500);
  CHECK(s.arrival == "bursty");
  CHECK(s.rate == 0.25);
  CHECK(s.load == 0.7);
  CHECK(s.burst_factor == 3);
  CHECK(s.burst_fraction == 0.3);
  CHECK(s.burst_period == 1200);
  CHECK(s.diurnal_amplitude == 0.4);
  CHECK(s.diurnal_period == 43200);
  CHECK(s.gpu_counts == std::vector<std::uint32_t>{1, 2, 8});
  CHECK(s.gpu_count_weights == std::vector<double>{0.5, 0.3, 0.2});
  CHECK(s.duration == "lognormal");
  CHECK(s.duration_median == 900);
  CHECK(s.duration_sigma == 1.5);
  CHECK(s.duration_min == 30);
  CHECK(s.duration_max == 86400);
  CHECK(s.priorities == std::vector<std::int32_t>{0, 5});
  CHECK(s.priority_weights == std::vector<double>{3, 1});
  CHECK(s.deadline_fraction == 0.1);
  CHECK(s.deadline_slack_min == 2);
  CHECK(s.deadline_slack_max == 3);
  CHECK(s.window_fraction == 0.05);
  CHECK(s.window_delay_max == 600);
  CHECK(s.users == 7);
  CHECK(s.user_zipf == 0.5);
  CHECK(s.share_fraction == 0.2);
  CHECK(s.preemptible_fraction == 0.9);
  CHECK(s.gpu_type_choices == std::vector<std::string>{"A100"});
  CHECK(s.gpu_type_fraction == 0.25);

  CHECK(c.engine.estimate == EstimateKind::noisy);
  CHECK(c.engine.estimate_sigma == 0.3);
  CHECK(c.engine.monitor_interval == 30);
  CHECK(c.engine.checkpoint_seconds == 5);
  CHECK(c.engine.restore_seconds == 7);
  CHECK(c.engine.checkpoint_seconds_per_gb == 0.5);
  CHECK(c.engine.responsiveness_alpha == 0.25);
  CHECK(c.engine.check_invariants);

  // Listed labels run in the listed order; the unlisted table is kept aside.
  REQUIRE(c.policies.size() == 2);
  CHECK(c.policies[0].label == "fifo");
  CHECK(c.policies[0].policy == "fifo");
  CHECK(c.policies[0].params.empty());
  CHECK(c.policies[0].where.line == 7);
  CHECK(c.policies[1].label == "las-fine");
  CHECK(c.policies[1].policy == "las");
  CHECK(c.policies[1].where.line == 91);
  const RawParams& p = c.policies[1].params;
  REQUIRE(p.size() == 3);
  CHECK(std::get<std::int64_t>(p.at("quantum").value) == 60);
  CHECK(p.at("quantum").where.file == "dir/exp.toml");
  CHECK(p.at("quantum").where.line == 92);
  CHECK(p.at("quantum").where.field == "policies.las-fine.quantum");
  CHECK(std::get<bool>(p.at("preempt").value));
  CHECK(std::get<std::string>(p.at("name").value) == "x");
  REQUIRE(c.other_policies.size() == 1);
  CHECK(c.other_policies[0].label == "spare");
  CHECK(std::get<double>(c.other_policies[0].params.at("ratio").value) == 0.5);
  CHECK(&c.policy("spare") == &c.other_policies[0]);
  CHECK(&c.policy("las-fine") == &c.policies[1]);
  CHECK_THROWS_AS(c.policy("nope"), InputError);
}

TEST_CASE("config: an empty file gives the documented defaults") {
  const ExperimentConfig c = parse_config("", "e.toml");
  CHECK(c.name == "experiment");
  CHECK(c.seeds == std::vector<std::uint64_t>{1});
  CHECK(c.output.empty());
  CHECK(c.threads == 0);
  CHECK(c.policies.empty());
  CHECK(c.cluster.num_gpus() == 8);
  CHECK(c.workload.kind == "synthetic");
  CHECK(c.workload.name == "synthetic");
  CHECK(c.workload.synthetic.jobs == 1000);
  CHECK(c.engine.estimate == EstimateKind::oracle);
  CHECK(c.engine.monitor_interval == 60);
}

TEST_CASE("config: engine.seed_alpha is still read, as responsiveness_alpha") {
  CHECK(parse_config("[engine]\nseed_alpha = 0.75\n", "e.toml").engine.responsiveness_alpha == 0.75);
  CHECK(parse_config("[engine]\nresponsiveness_alpha = 0.125\n", "e.toml").engine.responsiveness_alpha == 0.125);
  CHECK_THROWS_AS(parse_config("[engine]\nseed_alpha = -1\n", "e.toml"), InputError);
}

TEST_CASE("config: seeds = N means 1..N; unlisted policy tables run in file order when no list is given") {
  const ExperimentConfig c = parse_config(R"(
[experiment]
seeds = 4
[policies.zeta]
[policies.alpha]
policy = "sjf"
)", "e.toml");
  CHECK(c.seeds == std::vector<std::uint64_t>{1, 2, 3, 4});
  REQUIRE(c.policies.size() == 2);
  CHECK(c.policies[0].label == "zeta");
  CHECK(c.policies[1].label == "alpha");
  CHECK(c.policies[1].policy == "sjf");
  CHECK(c.policies[1].where.line == 6);
  CHECK(c.other_policies.empty());
}

TEST_CASE("config: gpu_counts without weights are equally likely; trace paths are relative to the config") {
  const ExperimentConfig c = parse_config(R"(
[workload]
trace = ["a.csv", "/abs/b.csv"]
gpu_counts = [1, 2, 4]
priorities = [1, 2]
)", "cfgs/sub/e.toml");
  CHECK(c.workload.kind == "trace");  // inferred from `trace`
  CHECK(c.workload.trace_paths == std::vector<std::string>{"cfgs/sub/a.csv", "/abs/b.csv"});
  CHECK(c.workload.name == "a");
  CHECK(c.workload.synthetic.gpu_count_weights == std::vector<double>{1, 1, 1});
  CHECK(c.workload.synthetic.priority_weights == std::vector<double>{1, 1});
}

TEST_CASE("config: overrides replace, add and index keys before validation") {
  const std::vector<std::string> sets = {
      "experiment.seeds=2",
      "experiment.name=renamed",
      "workload.name=123",                   // a number where a string is expected: taken as text
      "cluster.gpu_types[1].speed=3.5",
      "cluster.nodes.0.count = 5",           // dotted index form, spaces around '='
      "workload.gpu_counts=[1, 2]",
      "workload.gpu_count_weights=[1, 3]",
      "policies.las-fine.quantum=120",
      "policies.new.policy=sjf",             // creates a table
      "experiment.policies=[\"new\", \"fifo\"]",
      "engine.estimate=user",
      "workload.trace=x.csv",                // typed on the command line: relative to the cwd
      "workload.kind=trace",
  };
  const ExperimentConfig c = parse_config(kFull, "dir/exp.toml", sets);
  CHECK(c.seeds == std::vector<std::uint64_t>{1, 2});
  CHECK(c.name == "renamed");
  CHECK(c.workload.name == "123");
  CHECK(c.cluster.gpu_types[1].speed == 3.5);
  CHECK(c.cluster.node_groups[0].count == 5);
  CHECK(c.workload.synthetic.gpu_counts == std::vector<std::uint32_t>{1, 2});
  CHECK(c.workload.synthetic.gpu_count_weights == std::vector<double>{1, 3});
  CHECK(c.engine.estimate == EstimateKind::user);
  CHECK(c.workload.trace_paths == std::vector<std::string>{"x.csv"});
  REQUIRE(c.policies.size() == 2);
  CHECK(c.policies[0].label == "new");
  CHECK(c.policies[0].policy == "sjf");
  CHECK(c.policies[0].where.file == "--set");
  CHECK(c.policies[1].label == "fifo");
  const PolicyConfig& las = c.policy("las-fine");
  CHECK(std::get<std::int64_t>(las.params.at("quantum").value) == 120);
  CHECK(las.params.at("quantum").where.file == "--set");
  // The stored text records the overrides as comments and still parses.
  CHECK(c.text.find("#   experiment.seeds=2") != std::string::npos);
  CHECK_NOTHROW(parse_config(c.text, "again.toml"));
}

TEST_CASE("config: an override of an unknown key or a malformed override is an error") {
  std::string e = config_error("", {"cluster.gpu_typo=1"});
  CHECK(e.find("--set") != std::string::npos);
  CHECK(e.find("unknown key 'cluster.gpu_typo'") != std::string::npos);
  e = config_error("", {"engine.check=3"});
  CHECK(e.find("engine.check") != std::string::npos);
  CHECK(e.find("expected a boolean") != std::string::npos);
  CHECK(config_error("", {"no-equals-sign"}).find("key=value") != std::string::npos);
  CHECK(config_error(kFull, {"engine.check.deeper=1"}).find("not a table") != std::string::npos);
  CHECK(config_error(kFull, {"cluster.gpu_types[7].speed=1"}).find("past the end") != std::string::npos);
  // An index beyond size_t (once an uncaught std::out_of_range, found by fuzz_config_vcs).
  const std::string huge(40, '9');
  e = config_error(kFull, {"cluster.gpu_types[" + huge + "].speed=1"});
  CHECK(e.find("index " + huge + " is past the end of 'cluster.gpu_types'") != std::string::npos);
}

TEST_CASE("config: an unknown key names the file, line and key, with a suggestion") {
  std::string e = config_error("[cluster]\nnodes_per_switch = 4\ngpu_typo = 3\n");
  CHECK(e.find("dir/exp.toml:3") == 0);
  CHECK(e.find("unknown key 'cluster.gpu_typo'") != std::string::npos);
  CHECK(e.find("did you mean 'gpu_types'") != std::string::npos);

  e = config_error("[[cluster.gpu_types]]\nname = \"x\"\nsped = 2\n");
  CHECK(e.find("dir/exp.toml:3") == 0);
  CHECK(e.find("cluster.gpu_types[0].sped") != std::string::npos);
  CHECK(e.find("did you mean 'speed'") != std::string::npos);

  e = config_error("title = 1\n");
  CHECK(e.find("dir/exp.toml:1") == 0);
  CHECK(e.find("unknown key 'title' at the top level") != std::string::npos);

  // The misspelt key is reported rather than the mismatch it causes.
  e = config_error("[workload]\ngpu_count = [1, 2]\ngpu_count_weights = [1, 1]\n");
  CHECK(e.find("unknown key 'workload.gpu_count'") != std::string::npos);
  CHECK(e.find("\n") == std::string::npos);
}

TEST_CASE("config: a wrong type names the key and the expected type") {
  std::string e = config_error("[cluster]\n[[cluster.nodes]]\ncount = \"four\"\n");
  CHECK(e == "dir/exp.toml:3: field 'cluster.nodes[0].count': expected an integer, got a string");
  e = config_error("[engine]\nmonitor_interval = \"60s\"\n");
  CHECK(e == "dir/exp.toml:2: field 'engine.monitor_interval': expected a number, got a string");
  e = config_error("[experiment]\nseeds = 1.5\n");
  CHECK(e.find("field 'experiment.seeds': expected an integer (seeds 1..N) or an array") != std::string::npos);
  e = config_error("[workload]\ngpu_counts = [1, \"2\"]\n");
  CHECK(e.find("field 'workload.gpu_counts[1]': expected an integer, got a string") != std::string::npos);
  e = config_error("cluster = 3\n");
  CHECK(e == "dir/exp.toml:1: field 'cluster': expected a table, got an integer");
  e = config_error("[policies.fifo]\nx = [1]\n");
  CHECK(e.find("field 'policies.fifo.x': expected a boolean, integer, number or string") != std::string::npos);
}

TEST_CASE("config: out-of-range values name the key") {
  std::string e = config_error("[[cluster.nodes]]\ncount = -4\n");
  CHECK(e == "dir/exp.toml:2: field 'cluster.nodes[0].count': must be >= 0, got -4");
  e = config_error("[[cluster.nodes]]\ngpus_per_node = -8\n");
  CHECK(e.find("field 'cluster.nodes[0].gpus_per_node': must be >= 0, got -8") != std::string::npos);
  e = config_error("[[cluster.nodes]]\ngpus_per_node = 0\n");
  CHECK(e == "dir/exp.toml:2: field 'cluster.nodes[0].gpus_per_node': must be >= 1, got 0");
  e = config_error("[[cluster.gpu_types]]\nname = \"a\"\nspeed = 0\n");
  CHECK(e == "dir/exp.toml:3: field 'cluster.gpu_types[0].speed': must be > 0, got 0");
  e = config_error("[[cluster.gpu_types]]\nname = \"a\"\n[[cluster.gpu_types]]\nname = \"a\"\n");
  CHECK(e.find("dir/exp.toml:4: field 'cluster.gpu_types[1].name': GPU type 'a' is defined twice") == 0);
  e = config_error("[[cluster.gpu_types]]\nname = \"a\"\n[[cluster.nodes]]\ngpu_type = \"b\"\n");
  CHECK(e.find("dir/exp.toml:4: field 'cluster.nodes[0].gpu_type': unknown GPU type 'b'") == 0);
  e = config_error("[workload]\ngpu_counts = [1, 2]\ngpu_count_weights = [1, 2, 3]\n");
  CHECK(e.find("dir/exp.toml:3: field 'workload.gpu_count_weights': has 3 weights but workload.gpu_counts has 2") == 0);
  e = config_error("[workload]\ngpu_counts = [1, 16]\n");  // the default cluster has 8 GPUs
  CHECK(e.find("dir/exp.toml:2: field 'workload.gpu_counts[1]': 16 GPUs is more than the cluster has (8)") == 0);
  e = config_error("[workload]\narrival = \"weekly\"\n");
  CHECK(e.find("dir/exp.toml:2: field 'workload.arrival'") == 0);
  e = config_error("[engine]\nestimate = \"psychic\"\n");
  CHECK(e.find("dir/exp.toml:2: field 'engine.estimate': must be one of oracle, noisy, user, none") == 0);
  e = config_error("[cluster.slowdown]\ncross_switch = 0.5\n");
  CHECK(e.find("field 'cluster.slowdown.cross_switch'") != std::string::npos);
  e = config_error("[experiment]\nseeds = 0\n");
  CHECK(e.find("field 'experiment.seeds'") != std::string::npos);
  e = config_error("[experiment]\nseeds = [1, 1]\n");
  CHECK(e.find("listed twice") != std::string::npos);
  e = config_error("[experiment]\npolicies = [\"fifo\", \"fifo\"]\n");
  CHECK(e.find("dir/exp.toml:2: field 'experiment.policies[1]'") == 0);
  e = config_error("[workload]\nkind = \"synthetic\"\ntrace = \"x.csv\"\n");
  CHECK(e.find("field 'workload.trace'") != std::string::npos);
  e = config_error("[workload]\nkind = \"trace\"\n");
  CHECK(e.find("field 'workload.trace'") != std::string::npos);
}

TEST_CASE("config: the synthetic generator's own validation names the file, line and key") {
  std::string e = config_error("[workload]\njobs = 0\n");
  CHECK(e == "dir/exp.toml:2: field 'workload.jobs': must be >= 1, got 0");
  e = config_error("[workload]\n\nduration_min = 60\nduration_max = inf\n");
  CHECK(e == "dir/exp.toml:4: field 'workload.duration_max': must be finite and >= duration_min (60), got inf");
  e = config_error("[workload]\narrival = \"bursty\"\nburst_factor = 6\n");  // 6 x 0.2 > 1
  CHECK(e.find("dir/exp.toml:3: field 'workload.burst_factor': burst_factor x burst_fraction = 1.2") == 0);
  e = config_error("[workload]\ngpu_counts = [1, 0]\n");
  CHECK(e == "dir/exp.toml:2: field 'workload.gpu_counts[1]': a job needs at least 1 GPU, got 0");
  e = config_error("[workload]\ngpu_type_fraction = 0.5\ngpu_type_choices = [\"h100\"]\n");
  CHECK(e == "dir/exp.toml:3: field 'workload.gpu_type_choices[0]': the cluster has no GPU type 'h100'");
  e = config_error("", {"workload.users=0"});
  CHECK(e == "--set: field 'workload.users': must be >= 1, got 0");
}

TEST_CASE("config: the synthetic parameters are validated only for kind = \"synthetic\"") {
  const std::string small_cluster = "[[cluster.nodes]]\ncount = 1\ngpus_per_node = 4\n";
  // A trace on a 4-GPU cluster: the generator's default gpu_counts (up to 8) do not matter.
  CHECK(config_error(small_cluster + "[workload]\ntrace = \"t.csv\"\n") == "");
  CHECK(config_error(small_cluster + "[workload]\nkind = \"trace\"\ntrace = \"t.csv\"\njobs = 0\n") == "");
  // The same cluster with the generator's defaults is still refused.
  const std::string e = config_error(small_cluster + "[workload]\nkind = \"synthetic\"\n");
  CHECK(e == "dir/exp.toml: field 'workload.gpu_counts[3]': 8 GPUs is more than the cluster has (4)");
  // Types and unknown keys of the generator's parameters are still checked for a trace.
  CHECK(config_error(small_cluster + "[workload]\ntrace = \"t.csv\"\njobs = \"x\"\n").find("field 'workload.jobs'") !=
        std::string::npos);
}

TEST_CASE("config: broken TOML names the line; a missing file names the path") {
  const std::string e = config_error("[cluster]\nnodes_per_switch = [\n");
  CHECK(e.find("dir/exp.toml:") == 0);
  CHECK(e.find("invalid TOML") != std::string::npos);
  try {
    load_config("/nonexistent/fastgpu.toml");
    FAIL("no error");
  } catch (const InputError& err) {
    CHECK(std::string(err.what()) == "/nonexistent/fastgpu.toml: cannot open the config file");
  }
}

TEST_CASE("config: a character outside ASCII where a TOML value starts is invalid TOML at its line") {
  // One from each range that toml++ 3.3.0's table of non-ASCII white space
  // has no case for (config/CMakeLists.txt), and one it has (U+2000).
  for (const std::string bad : {"\xd0\x92", "\xe3\x80\x81", "\xef\xb8\x80", "\xe2\x80\x80"}) {
    std::string text = "[engine]\nseed_alpha = -";  // appended: g++ 12 warns (-Wrestrict) on literal + string
    text += bad;
    text += "6\n";
    const std::string e = config_error(text);
    CHECK_MESSAGE(e.find("dir/exp.toml:2: invalid TOML") == 0, e);
  }
}

TEST_CASE("config: ClusterSpec counts and validation") {
  ClusterSpec c;
  c.gpu_types = {GpuType{"a", 1, 16, 10, 100, 1}, GpuType{"b", 2, 40, 20, 200, 2}};
  c.node_groups = {NodeGroup{"x", 2, 4, 0}, NodeGroup{"y", 3, 2, 1}, NodeGroup{"z", 0, 8, 1}};
  CHECK(c.num_nodes() == 5);
  CHECK(c.num_gpus() == 14);
  CHECK(c.find_type("b") == 1);
  CHECK(c.find_type("c") == -1);
  CHECK_NOTHROW(c.validate());
  c.node_groups[2].gpu_type = 2;
  try {
    c.validate();
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.where().field == "cluster.nodes[2].gpu_type");
  }
}

TEST_CASE("config: estimate kinds round-trip through their names") {
  for (EstimateKind k : {EstimateKind::oracle, EstimateKind::noisy, EstimateKind::user, EstimateKind::none}) {
    CHECK(parse_estimate_kind(to_string(k)) == k);
  }
  CHECK_THROWS_AS(parse_estimate_kind("exact"), InputError);
}
