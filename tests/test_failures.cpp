// Hardware failures and repairs: hand-derived schedules and accounting for a
// failure trace, the model's draws against their distributions, and the
// failure trace's and [failures] section's bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>

#include "config/config.h"
#include "engine_fixtures.h"
#include "scratch_dir.h"
#include "sim/error.h"
#include "sim/hardware_failures.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

EngineOptions with_outages(std::vector<Outage> outages, Seconds checkpoint_interval = 0) {
  auto spec = std::make_shared<FailureSpec>();
  spec->model = FailureModel::trace;
  spec->outages = std::move(outages);
  spec->checkpoint_interval = checkpoint_interval;
  EngineOptions o;
  o.failures = spec;
  return o;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

// One node of 2 GPUs, one 2-GPU job of 1,000 s from t=0; GPU 1 fails at
// t=300 for 200 s. Without checkpoints the 300 s done are lost (600
// GPU-seconds), the job waits for the repair and runs again from scratch
// (no restore): it ends at 500 + 1,000. Every 250 s of progress
// checkpointed: 250 s are kept, 50 s lost, and the restart pays the 10 s
// restore: 500 + 10 + 750.
TEST_CASE("failures: a GPU failure stops the job, which waits for the repair and resumes from its checkpoint") {
  const ClusterSpec c = uniform_cluster(1, 2);
  const Workload w = make_workload({{0, 2, 1000}});
  SUBCASE("no checkpoints: from scratch") {
    const RunResult r = run_policy("fifo", w, c, with_outages({{.time = 300, .duration = 200, .first_gpu = 1}}));
    const JobRecord& j = r.jobs[0];
    CHECK(j.end == doctest::Approx(1500));
    CHECK(j.first_start == 0);
    CHECK(j.failure_stops == 1);
    CHECK(j.lost_gpu_seconds == doctest::Approx(600));
    CHECK(j.useful_gpu_seconds == doctest::Approx(2000));
    CHECK(j.gpu_seconds == doctest::Approx(2600));
    CHECK(r.summary.hardware_failures == 1);
    CHECK(r.summary.failure_stops == 1);
    CHECK(r.summary.lost_gpu_seconds == doctest::Approx(600));
    // Allocation utilisation counts the lost work, goodput does not: 2 GPUs x 1,500 s.
    CHECK(r.summary.utilisation == doctest::Approx(2600.0 / 3000));
    CHECK(r.summary.goodput_utilisation == doctest::Approx(2000.0 / 3000));
  }
  SUBCASE("checkpoints every 250 s of progress") {
    const RunResult r =
        run_policy("fifo", w, c, with_outages({{.time = 300, .duration = 200, .first_gpu = 1}}, 250));
    const JobRecord& j = r.jobs[0];
    CHECK(j.end == doctest::Approx(1260));
    CHECK(j.lost_gpu_seconds == doctest::Approx(100));
    CHECK(j.useful_gpu_seconds == doctest::Approx(2000));
    // held = useful + lost + the restore (2 GPUs x 10 s)
    CHECK(j.gpu_seconds == doctest::Approx(2120));
    CHECK(r.summary.goodput_utilisation == doctest::Approx(2000.0 / (2 * 1260)));
  }
}

// Two nodes of 2 GPUs. Job 0 (1 GPU, 100 s) starts on GPU 0; node 0 fails at
// t=10 for 1,000 s: job 0 restarts at once on node 1 (GPU 2) and ends at 110.
// Job 1 (2 GPUs, 50 s, t=20) cannot use node 0's free-looking GPUs while it
// is down, so it waits for job 0 and runs on GPUs 2 and 3 from 110 to 160.
TEST_CASE("failures: a node failure takes all its GPUs out of service until repaired") {
  const ClusterSpec c = uniform_cluster(2, 2);
  const Workload w = make_workload({{0, 1, 100}, {20, 2, 50}});
  for (const char* policy : {"fifo", "sjf", "las"}) {
    CAPTURE(policy);
    const RunResult r = run_policy(policy, w, c, with_outages({{.time = 10, .duration = 1000, .first_gpu = 0, .gpus = 2}}));
    CHECK(r.jobs[0].end == doctest::Approx(110));
    CHECK(gpus(r, 0) == std::vector<GpuIndex>{2});
    CHECK(r.jobs[0].lost_gpu_seconds == doctest::Approx(10));
    CHECK(r.jobs[1].first_start == doctest::Approx(110));
    CHECK(r.jobs[1].end == doctest::Approx(160));
    CHECK(gpus(r, 1) == std::vector<GpuIndex>{2, 3});
    // The run ends with its last job, not with the repair at t=1,010.
    CHECK(r.summary.makespan == doctest::Approx(160));
  }
}

TEST_CASE("failures: a job larger than the hardware left waits for the repair instead of stalling") {
  const ClusterSpec c = uniform_cluster(1, 2);
  const Workload w = make_workload({{5, 2, 100}});
  const RunResult r = run_policy("fifo", w, c, with_outages({{.time = 0, .duration = 100, .first_gpu = 0}}));
  CHECK(r.jobs[0].first_start == doctest::Approx(100));
  CHECK(r.jobs[0].end == doctest::Approx(200));
  CHECK(r.jobs[0].failure_stops == 0);
}

// The model's draws follow their distributions: over 20,000 failures of one
// GPU the mean time between failures and the mean repair time are the
// configured MTBF and MTTR (standard error under 1.5%), and a seed repeats.
TEST_CASE("failures: exponential and Weibull times between failures have the configured means") {
  const ClusterSpec c = uniform_cluster(1, 1);
  const ClusterState state(c);
  for (const FailureModel model : {FailureModel::exponential, FailureModel::weibull}) {
    CAPTURE(static_cast<int>(model));
    auto spec = std::make_shared<FailureSpec>();
    spec->model = model;
    spec->weibull_shape = 0.7;
    spec->reliability = {TypeReliability{.mtbf = 1000, .mttr = 50}};
    HardwareFailures hw(spec, state, 7);
    HardwareFailures again(spec, state, 7);
    const int n = 20000;
    double up = 0, down = 0, last_repair = 0, failed_at = 0;
    for (int k = 0; k < 2 * n; ++k) {
      const Seconds t = hw.next_time();
      CHECK(again.next_time() == t);
      const auto change = hw.pop();
      again.pop();
      if (change.fails) {
        up += t - last_repair;
        failed_at = t;
      } else {
        down += t - failed_at;
        last_repair = t;
      }
    }
    CHECK(hw.failures() == static_cast<std::uint64_t>(n));
    CHECK(up / n == doctest::Approx(1000).epsilon(0.05));
    CHECK(down / n == doctest::Approx(50).epsilon(0.05));
    HardwareFailures other(spec, state, 8);
    CHECK(other.next_time() != HardwareFailures(spec, state, 7).next_time());
  }
}

TEST_CASE("failures: a failure trace's bad rows and a bad model are errors naming the file, line and field") {
  const ScratchDir dir("failures");
  const std::string cluster = R"(
[[cluster.gpu_types]]
name = "V100"
[[cluster.nodes]]
count = 2
gpus_per_node = 4
gpu_type = "V100"
)";
  auto with_trace = [&](const std::string& rows) {
    dir.write("outages.csv", "time,node,gpu,duration\n" + rows);
    const std::string cfg = dir.write("exp.toml", cluster + "[failures]\ntrace = \"outages.csv\"\n");
    return error_of([&] { load_config(cfg); });
  };
  const std::string trace = dir / "outages.csv";
  CHECK(with_trace("10,0,1,5\n20,2,,5\n") == trace + ":3: field 'node': node 2 does not exist: the cluster has 2 nodes (0 to 1)");
  CHECK(with_trace("10,1,4,5\n") == trace + ":2: field 'gpu': GPU 4 does not exist: node 1 has 4 GPUs (0 to 3)");
  CHECK(with_trace("10,0,1,-5\n") == trace + ":2: field 'duration': must be a number of seconds > 0, got \"-5\"");
  CHECK(with_trace("x,0,1,5\n").starts_with(trace + ":2: field 'time'"));
  // The node's outage covers GPU 3 from 100 to 200; the GPU's own from 150 overlaps it.
  CHECK(with_trace("100,0,,100\n150,0,3,10\n").starts_with(trace + ":3: field 'time': this outage of GPU 3 overlaps the one on line 2"));
  CHECK(with_trace("100,0,,100\n200,0,3,10\n") == "(no error)");  // back to back is fine

  auto with_model = [&](const std::string& keys) {
    const std::string cfg = dir.write("exp.toml", cluster + "[failures]\n" + keys);
    return error_of([&] { load_config(cfg); });
  };
  const std::string cfg = dir / "exp.toml";
  CHECK(with_model("model = \"exponential\"\nmtbf_hours = -3\n") ==
        cfg + ":10: field 'failures.mtbf_hours': must be > 0 hours (mean time between failures of one GPU), got -3");
  CHECK(with_model("model = \"exponential\"\n").find("needs mtbf_hours") != std::string::npos);
  CHECK(with_model("model = \"gamma\"\nmtbf_hours = 5\n").find("field 'failures.model'") != std::string::npos);
  CHECK(with_model("model = \"weibull\"\nmtbf_hours = 5\n[failures.gpu_types.A100]\nmtbf_hours = 4\n")
            .find("no GPU type 'A100'") != std::string::npos);
  CHECK(with_model("model = \"weibull\"\nmtbf_hours = 5\nweibull_shape = 0\n").find("field 'failures.weibull_shape'") !=
        std::string::npos);
  // model = "none" switches failures off.
  CHECK(!load_config(dir.write("exp.toml", cluster + "[failures]\nmodel = \"none\"\nmtbf_hours = 5\n")).engine.failures);
  // A good model is built per type, in seconds.
  const ExperimentConfig ok = load_config(dir.write(
      "exp.toml", cluster + "[failures]\nmodel = \"weibull\"\nmtbf_hours = 2\nmttr_hours = 0.5\ncheckpoint_interval = 60\n"));
  REQUIRE(ok.engine.failures);
  CHECK(ok.engine.failures->model == FailureModel::weibull);
  CHECK(ok.engine.failures->reliability.at(0).mtbf == 7200);
  CHECK(ok.engine.failures->reliability.at(0).mttr == 1800);
  CHECK(ok.engine.failures->checkpoint_interval == 60);
}
