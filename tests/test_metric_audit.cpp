// Metric fixes from a hand-computed audit: each case works its expected
// numbers out in a comment, independently of the engine.
#include <doctest/doctest.h>

#include "config/config.h"
#include "engine_fixtures.h"
#include "sim/error.h"
#include "sim/deadline.h"
#include "sim/metrics.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

EngineOptions every(Seconds interval) {
  EngineOptions o;
  o.monitor_interval = interval;
  return o;
}

// Two types: node "slow" with one GPU of speed 1, node "fast" with `fast_gpus`
// GPUs of speed 2 (node order: slow first, so first-fit tries it first).
ClusterSpec slow_and_fast(std::uint32_t slow_gpus, std::uint32_t fast_gpus) {
  ClusterSpec c = uniform_cluster(1, slow_gpus);
  c.gpu_types[0].name = "slow";
  c.gpu_types.push_back(c.gpu_types[0]);
  c.gpu_types[1].name = "fast";
  c.gpu_types[1].speed = 2.0;
  c.node_groups.push_back(NodeGroup{.name = "f", .count = 1, .gpus_per_node = fast_gpus, .gpu_type = 1});
  return c;
}

// One job of `gpus` GPUs and 100 s of reference work, submitted at 0,
// restricted to the named types (empty: any type).
Workload one_job(std::uint32_t gpus, std::vector<std::string> types) {
  Workload w = make_workload({{0, gpus, 100}});
  if (!types.empty()) {
    w.type_constraints.push_back(std::move(types));
    w.jobs[0].gpu_types = 1;
  }
  return w;
}

}  // namespace

TEST_CASE("metric audit: simulated time ends at the last event, whatever the monitor interval") {
  // 1 node x 2 GPUs. The reservation policy reserves 1 GPU at init (t = 0;
  // initial 1, alpha 1e-6 keeps the estimate at ~1 so it never shrinks). One
  // normal job (priority 0) of 1 GPU and 100 s, submitted at 10: it runs on
  // the unreserved GPU 0 from 10 to 110, the last event of the run. GPU 1 is
  // reserved and idle from 0 to 110: 110 GPU-seconds, for every interval.
  // (Before the fix the run went on to the next monitor tick, 120, 1,000 and
  // 10,000, and so did the integral.)
  const Workload w = make_workload({{10, 1, 100}});
  const RawParams params{{"initial", {1.0, {}}}, {"alpha", {1e-6, {}}}};
  for (const Seconds interval : {60.0, 1000.0, 10000.0}) {
    CAPTURE(interval);
    const RunResult r = run_policy("reservation", w, uniform_cluster(1, 2), every(interval), params);
    CHECK(r.jobs[0].first_start == 10);
    CHECK(r.jobs[0].end == 110);
    CHECK(r.summary.reserved_idle_gpu_seconds == doctest::Approx(110));
    REQUIRE_FALSE(r.timeseries.empty());
    CHECK(r.timeseries.back().time == 110);  // the last row is at the last event
    CHECK(r.summary.makespan == 100);
  }
}

TEST_CASE("metric audit: the load variance is a time average over [first submit, last end]") {
  // 1 node x 2 GPUs, fifo, monitor every 100 s. A (1 GPU, 100 s) at s; B and
  // C (1 GPU, 100 s each) at s + 100.
  // s = 0: A runs 0-100 on GPU 0, B and C 100-200 on GPUs 0 and 1.
  //   window [0, 100]: loads (1, 0), variance ((1 - 0) / 2)^2 = 0.25
  //   window [100, 200]: loads (1, 1), variance 0
  //   mean over 200 s: (0.25 x 100 + 0 x 100) / 200 = 0.125.
  // s = 1000: the same schedule 1,000 s later; the idle stretch before the
  //   first submit is not part of the run, so again 0.125 (sampling from t = 0
  //   gave 0.25 / 12 = 0.0208: ten empty windows before the first job).
  // s = 1050: ticks stay on multiples of 100, so the first and the last window
  //   are 50 s long. A runs 1050-1150, B and C 1150-1250.
  //   [1050, 1100] (50 s): loads (1, 0), variance 0.25
  //   [1100, 1200] (100 s): GPU 0 busy all of it, GPU 1 from 1150: loads
  //                (1, 0.5), variance 0.0625
  //   [1200, 1250] (50 s): loads (1, 1), variance 0
  //   mean: (0.25 x 50 + 0.0625 x 100 + 0 x 50) / 200 = 18.75 / 200 = 0.09375.
  struct Case {
    Seconds shift, expected, first_row;
  };
  for (const Case c : {Case{0, 0.125, 100}, Case{1000, 0.125, 1100}, Case{1050, 0.09375, 1100}}) {
    CAPTURE(c.shift);
    const Workload w = make_workload({{c.shift, 1, 100}, {c.shift + 100, 1, 100}, {c.shift + 100, 1, 100}});
    const RunResult r = run_policy("fifo", w, uniform_cluster(1, 2), every(100));
    CHECK(r.jobs[1].first_start == c.shift + 100);
    CHECK(r.summary.load_variance_mean == doctest::Approx(c.expected));
    REQUIRE_FALSE(r.timeseries.empty());
    CHECK(r.timeseries.front().time == c.first_row);  // no rows before the first submit
    CHECK(r.timeseries.back().time == c.shift + 200);
  }
}

TEST_CASE("metric audit: a partial window weighs by its length in a hand-made time series") {
  // Rows at 100 (variance 0.4), 200 (0.1) and 250 (1.0); first submit 40.
  // Windows: [40, 100] 60 s, [100, 200] 100 s, [200, 250] 50 s:
  // (0.4 x 60 + 0.1 x 100 + 1.0 x 50) / 210 = 84 / 210 = 0.4
  // (the plain mean of the rows would be 0.5).
  RunResult r;
  r.num_gpus = 1;
  r.gpu_busy_seconds = {0};
  r.type_gpu_count = {1};
  r.type_busy_gpu_seconds = r.type_idle_watts = r.type_busy_watts = r.type_price_per_hour = {0};
  JobRecord j;
  j.submit = 40;
  j.outcome = JobOutcome::rejected;
  r.jobs = {j};
  r.gpu_offset = {0, 0};
  r.timeseries = {TimeSample{.time = 100, .load_variance = 0.4}, TimeSample{.time = 200, .load_variance = 0.1},
                  TimeSample{.time = 250, .load_variance = 1.0}};
  compute_summary(r, 0.5);
  CHECK(r.summary.load_variance_mean == doctest::Approx(0.4));
}

TEST_CASE("metric audit: slowdowns divide by the run time on the fastest type the job may use") {
  // Cluster: one speed-1 GPU (node "slow", first in node order) and one
  // speed-2 GPU. A job of 100 s reference work:
  // - any type: fifo's first fit puts it on the slow GPU, 100 s. The fastest
  //   type it may use runs it in 100 / 2 = 50 s: slowdown 100 / 50 = 2,
  //   bounded max(1, 100 / max(50, 10)) = 2 (before the fix: 100 / 100 = 1).
  // - only "fast": 50 s on the fast GPU, reference 50 s: 1 and 1.
  // - only "slow": 100 s, and the fastest type it may use is the slow one:
  //   reference 100 s, slowdown 1.
  struct Case {
    std::vector<std::string> types;
    Seconds end, runtime_alone;
    double slowdown;
  };
  for (const Case& c : {Case{{}, 100, 50, 2}, Case{{"fast"}, 50, 50, 1}, Case{{"slow"}, 100, 100, 1}}) {
    CAPTURE(c.types.size());
    const RunResult r = run_policy("fifo", one_job(1, c.types), slow_and_fast(1, 1));
    CHECK(r.jobs[0].end == c.end);
    CHECK(r.jobs[0].runtime_alone == c.runtime_alone);
    CHECK(r.summary.slowdown_mean == doctest::Approx(c.slowdown));
    CHECK(r.summary.bounded_slowdown_mean == doctest::Approx(c.slowdown));
  }
  // A gang of 2 cannot run on the single fast GPU: its fastest usable type is
  // the slow one (2 GPUs of speed 1), reference 100 s, slowdown 1.
  const RunResult gang = run_policy("fifo", one_job(2, {}), slow_and_fast(2, 1));
  CHECK(gang.jobs[0].end == 100);
  CHECK(gang.jobs[0].runtime_alone == 100);
  CHECK(gang.summary.bounded_slowdown_mean == doctest::Approx(1));
}

TEST_CASE("metric audit: deadline_met and the summary's miss count use the same comparison") {
  // Work 0.1 + 0.2 = 0.30000000000000004 s on a speed-1 GPU from t = 0 ends
  // 5.6e-17 s after a deadline of 0.3: the same instant to within the 1 ns the
  // engine treats as one (its float arithmetic), so the deadline is met. The
  // per-job flag said met and the summary counted a miss; now both say met.
  // A second job (work 1, deadline 0.5) plainly misses: met 0, one miss.
  Workload w = make_workload({{0, 1, 0.1 + 0.2}, {0, 1, 1}});
  w.jobs[0].deadline = 0.3;
  w.jobs[1].deadline = 0.5;
  const RunResult r = run_policy("fifo", w, uniform_cluster(1, 2));
  REQUIRE(r.jobs[0].end > 0.3);
  CHECK(r.jobs[0].deadline_met == 1);
  CHECK(r.jobs[1].deadline_met == 0);
  CHECK(r.summary.deadline_jobs == 2);
  CHECK(r.summary.deadline_misses == 1);
  CHECK(meets_deadline(100.0, 100.0));
  CHECK_FALSE(meets_deadline(100.001, 100.0));
}

TEST_CASE("metric audit: the generator's parameters are validated only for a synthetic workload") {
  // A 4-GPU cluster (1 node x 4). The generator's default gpu_counts reach 8
  // GPUs, more than the cluster has: an error for a synthetic workload that
  // leaves them at their defaults, but a trace brings its own jobs, so its
  // config must load (the generator's parameters are not used).
  const std::string cluster = R"(
[cluster]
[[cluster.gpu_types]]
name = "g"
speed = 1.0
memory_gb = 16
idle_watts = 10
busy_watts = 100
price_per_hour = 1
[[cluster.nodes]]
name = "n"
count = 1
gpus_per_node = 4
gpu_type = "g"
)";
  const ExperimentConfig trace =
      parse_config(cluster + "[workload]\nkind = \"trace\"\nformat = \"csv\"\ntrace = \"jobs.csv\"\n", "dir/exp.toml");
  CHECK(trace.workload.kind == "trace");
  CHECK(trace.cluster.num_gpus() == 4);
  std::string message;
  try {
    parse_config(cluster + "[workload]\nkind = \"synthetic\"\n", "dir/exp.toml");
  } catch (const InputError& e) {
    message = e.what();
  }
  CHECK(message.find("workload.gpu_counts") != std::string::npos);
  CHECK(message.find("more than the cluster has (4)") != std::string::npos);
}
