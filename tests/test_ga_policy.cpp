// The online `ga` policy: golden schedules derived by hand (each scenario has
// a unique optimal mapping, up to identical GPUs), determinism across CPU
// thread counts, the backend attribute and the refusal of backend = "cuda"
// without a GPU.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "policies/ga/ga.h"
#include "tests/engine_fixtures.h"
#include "tests/skip.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

// `nodes` x `gpus_per_node` GPUs of type "fast" (speed 2), then the same of
// type "slow" (speed 1).
ClusterSpec fast_slow_cluster(std::uint32_t nodes, std::uint32_t gpus_per_node) {
  ClusterSpec c;
  c.gpu_types = {GpuType{.name = "fast", .speed = 2.0, .memory_gb = 32, .idle_watts = 50, .busy_watts = 300,
                         .price_per_hour = 2.0},
                 GpuType{.name = "slow", .speed = 1.0, .memory_gb = 32, .idle_watts = 50, .busy_watts = 300,
                         .price_per_hour = 1.0}};
  c.node_groups = {NodeGroup{.name = "f", .count = nodes, .gpus_per_node = gpus_per_node, .gpu_type = 0},
                   NodeGroup{.name = "s", .count = nodes, .gpus_per_node = gpus_per_node, .gpu_type = 1}};
  return c;
}

// The golden cases below were derived for this cost (batch makespan, half
// the flowtime, a tenth of the load variance) and arrival order; the
// defaults (flowtime only, shortest first) have their own case.
RawParams ga_params(std::int64_t threads = 1) {
  RawParams p;
  p["backend"] = RawParam{std::string("cpu"), {}};
  p["threads"] = RawParam{threads, {}};
  p["order"] = RawParam{std::string("arrival"), {}};
  p["w_makespan"] = RawParam{1.0, {}};
  p["w_flowtime"] = RawParam{0.5, {}};
  p["w_variance"] = RawParam{0.1, {}};
  return p;
}

}  // namespace

TEST_CASE("ga policy golden: the batch goes where the GA finds the unique optimum") {
  // GPU 0 fast (speed 2), GPU 1 slow. At t = 0: A work 4, B work 2, C work 3.
  // ETC (fast, slow): A (2, 4), B (1, 2), C (1.5, 3). Decoded in order A, B, C,
  // the only mapping with makespan 3 is A, B -> fast, C -> slow
  // (fast: A [0,2], B [2,3]; slow: C [0,3]); every other one ends at >= 3.5,
  // and with makespan >= 4 the cost (makespan/4 + 0.5 flowtime/7.5 + 0.1 L,
  // Min-Min's makespan 4 and flowtime 7.5 as references) is >= 1.3 > 1.283.
  // So A and C start at 0; B waits for the fast GPU. At t = 2 the batch is B
  // alone: fast 2 + 1 = 3 beats slow (busy to 3) + 2 = 5, so B runs [2, 3].
  const ClusterSpec c = fast_slow_cluster(1, 1);
  const Workload w = make_workload({{0, 1, 4}, {0, 1, 2}, {0, 1, 3}});
  const RunResult r = run_policy("ga", w, c, {}, ga_params());
  REQUIRE(r.jobs.size() == 3);
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 2);
  CHECK(gpus(r, 0) == std::vector<GpuIndex>{0});
  CHECK(r.jobs[1].first_start == 2);
  CHECK(r.jobs[1].end == 3);
  CHECK(gpus(r, 1) == std::vector<GpuIndex>{0});
  CHECK(r.jobs[2].first_start == 0);
  CHECK(r.jobs[2].end == 3);
  CHECK(gpus(r, 2) == std::vector<GpuIndex>{1});
  CHECK(r.summary.makespan == 3);
  if (ga::cuda_device_count() == 0) CHECK(r.attributes.at("ga_backend") == "cpu");
}

TEST_CASE("ga policy golden: a gang takes a whole node") {
  // Node 0: GPUs 0-1 fast; node 1: GPUs 2-3 slow. At t = 0: A (2 GPUs, work 4),
  // B (1 GPU, work 1), C (1 GPU, work 2). Slots of A: GPUs {0,1} (2 s) or {2,3}
  // (4 s). Makespan 2 needs A on the fast node [0,2] and B, C on different
  // slow GPUs (B [0,1], C [0,2]); flowtime 5 is then minimal too. Which slow
  // GPU gets B is a tie between identical GPUs.
  const ClusterSpec c = fast_slow_cluster(1, 2);
  const Workload w = make_workload({{0, 2, 4}, {0, 1, 1}, {0, 1, 2}});
  const RunResult r = run_policy("ga", w, c, {}, ga_params());
  CHECK(gpus(r, 0) == std::vector<GpuIndex>{0, 1});
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 2);
  CHECK(r.jobs[1].first_start == 0);
  CHECK(r.jobs[1].end == 1);
  CHECK(r.jobs[2].first_start == 0);
  CHECK(r.jobs[2].end == 2);
  const auto b = gpus(r, 1), cc = gpus(r, 2);
  REQUIRE(b.size() == 1);
  REQUIRE(cc.size() == 1);
  CHECK(b[0] >= 2);
  CHECK(cc[0] >= 2);
  CHECK(b[0] != cc[0]);
}

TEST_CASE("ga policy: thread counts give identical runs; every job ends once") {
  const ClusterSpec c = fast_slow_cluster(2, 4);
  std::vector<JobSpec> specs;
  for (int i = 0; i < 40; ++i)
    specs.push_back({double(i * 7 % 23), std::uint32_t(i % 5 == 0 ? 4 : i % 3 == 0 ? 2 : 1), double(5 + i * 13 % 31)});
  Workload w;
  {
    std::int64_t id = 0;
    for (const JobSpec& s : specs) {
      Job j;
      j.id = id++;
      j.submit = s.submit;
      j.num_gpus = s.gpus;
      j.work = s.work;
      w.jobs.push_back(j);
    }
    w.finalize("test");
  }
  const RunResult a = run_policy("ga", w, c, {}, ga_params(1));
  const RunResult b = run_policy("ga", w, c, {}, ga_params(2));
  REQUIRE(a.jobs.size() == 40);
  REQUIRE(b.jobs.size() == 40);
  for (std::size_t j = 0; j < 40; ++j) {
    INFO("job ", j);
    CHECK(a.jobs[j].outcome == JobOutcome::finished);
    CHECK(a.jobs[j].first_start == b.jobs[j].first_start);
    CHECK(a.jobs[j].end == b.jobs[j].end);
    CHECK(gpus(a, JobIndex(j)) == gpus(b, JobIndex(j)));
  }
  CHECK(std::stoull(a.attributes.at("ga_decisions")) > 0);
}

TEST_CASE("ga policy: backend = cuda without a GPU is a clear error") {
  if (ga::cuda_device_count() > 0) FASTGPU_SKIP("a CUDA device is present, so the backend does not fail here");
  RawParams p;
  p["backend"] = RawParam{std::string("cuda"), {}};
  CHECK_THROWS_WITH_AS(builtin_policies().create("ga", p), doctest::Contains("cuda"), InputError);
}

TEST_CASE("ga policy schedules better than min-min where min-min's greed costs makespan") {
  // The scenario of the first golden case (fast GPU 0, slow GPU 1; A 4, B 2,
  // C 3 units of work at t = 0). min-min maps B fast (1), then C fast (2.5),
  // then A: fast 4.5 vs slow 4 -> slow; B and A start at 0, C at 1 on the fast
  // GPU [1, 2.5]; A ends at 4. The GA's optimum ends at 3 (golden case above).
  const ClusterSpec c = fast_slow_cluster(1, 1);
  const Workload w = make_workload({{0, 1, 4}, {0, 1, 2}, {0, 1, 3}});
  const RunResult mm = run_policy("min-min", w, c);
  CHECK(mm.jobs[0].first_start == 0);
  CHECK(gpus(mm, 0) == std::vector<GpuIndex>{1});
  CHECK(mm.jobs[0].end == 4);
  CHECK(mm.jobs[1].end == 1);
  CHECK(mm.jobs[2].first_start == 1);
  CHECK(mm.jobs[2].end == 2.5);
  CHECK(mm.summary.makespan == 4);
  const RunResult ga = run_policy("ga", w, c, {}, ga_params());
  CHECK(ga.summary.makespan == 3);
  CHECK(ga.summary.scheduler_seconds > 0);  // the policy's wall time is reported
}

TEST_CASE("ga policy: a per-decision time budget stops each decision") {
  // 10^7 generations would take hours; time_ms = 2 ends each decision after
  // about 2 ms, so the run ends and far fewer generations are run.
  const ClusterSpec c = fast_slow_cluster(1, 2);
  Workload w;
  for (int i = 0; i < 12; ++i) {
    Job j;
    j.id = i;
    j.submit = double(i % 3);
    j.num_gpus = i % 4 == 0 ? 2 : 1;
    j.work = double(3 + i * 5 % 11);
    w.jobs.push_back(j);
  }
  w.finalize("test");
  RawParams p = ga_params();
  p["generations"] = RawParam{std::int64_t{10000000}, {}};
  p["stall"] = RawParam{std::int64_t{0}, {}};
  p["time_ms"] = RawParam{2.0, {}};
  const RunResult r = run_policy("ga", w, c, {}, p);
  for (const JobRecord& j : r.jobs) CHECK(j.outcome == JobOutcome::finished);
  const std::uint64_t decisions = std::stoull(r.attributes.at("ga_decisions"));
  const std::uint64_t single = std::stoull(r.attributes.at("ga_single_job_decisions"));
  REQUIRE(decisions > single);
  CHECK(std::stoull(r.attributes.at("ga_generations")) < (decisions - single) * 10000000ull);
}

TEST_CASE("ga policy: by default the batch is decoded in Min-Min's order within a priority class") {
  // One GPU; A (work 4), B (1), C (2) arrive at t = 0 in that order. With one
  // slot the mapping is fixed and the order decides. Min-Min maps the
  // smallest completion first: B (1), then C (1 + 2), then A (3 + 4), the
  // same as shortest first: B [0,1], C [1,3], A [3,7] (mean JCT 11/3).
  // Arrival order runs A [0,4],
  // B [4,5], C [5,7] (mean JCT 16/3). An urgent job D (work 3, priority 5)
  // arriving at 0.5 goes before the remaining normal jobs: [1,4], then C
  // [4,6] and A [6,10].
  ClusterSpec c;
  c.gpu_types = {GpuType{.name = "g", .speed = 1.0, .memory_gb = 32, .idle_watts = 50, .busy_watts = 300,
                         .price_per_hour = 1.0}};
  c.node_groups = {NodeGroup{.name = "n", .count = 1, .gpus_per_node = 1, .gpu_type = 0}};
  RawParams cpu;
  cpu["backend"] = RawParam{std::string("cpu"), {}};
  const Workload w = make_workload({{0, 1, 4}, {0, 1, 1}, {0, 1, 2}});
  const RunResult sf = run_policy("ga", w, c, {}, cpu);
  CHECK(sf.jobs[1].first_start == 0);
  CHECK(sf.jobs[2].first_start == 1);
  CHECK(sf.jobs[0].first_start == 3);
  CHECK(sf.summary.jct_mean == doctest::Approx(11.0 / 3.0));
  RawParams shortest = cpu;
  shortest["order"] = RawParam{std::string("shortest"), {}};
  const RunResult sh = run_policy("ga", w, c, {}, shortest);
  CHECK(sh.jobs[1].first_start == 0);
  CHECK(sh.jobs[2].first_start == 1);
  CHECK(sh.jobs[0].first_start == 3);
  RawParams arrival = cpu;
  arrival["order"] = RawParam{std::string("arrival"), {}};
  const RunResult ar = run_policy("ga", w, c, {}, arrival);
  CHECK(ar.jobs[0].first_start == 0);
  CHECK(ar.jobs[1].first_start == 4);
  CHECK(ar.jobs[2].first_start == 5);
  CHECK(ar.summary.jct_mean == doctest::Approx(16.0 / 3.0));

  Workload urgent = make_workload({{0, 1, 4}, {0, 1, 1}, {0, 1, 2}, {0.5, 1, 3}});
  urgent.jobs[3].priority = 5;
  const RunResult u = run_policy("ga", urgent, c, {}, cpu);
  CHECK(u.jobs[1].first_start == 0);
  CHECK(u.jobs[3].first_start == 1);
  CHECK(u.jobs[2].first_start == 4);
  CHECK(u.jobs[0].first_start == 6);
}

TEST_CASE("ga policy: no mapping is computed when no job of the batch can start") {
  // Two GPUs of one node. A (1 GPU, work 10) starts at 0; B (2 GPUs) at t = 1
  // finds one GPU free but no free pair: nothing can start, so the scheduling
  // point is counted and no GA runs. At 10 B is alone (MCT) and starts.
  ClusterSpec c;
  c.gpu_types = {GpuType{.name = "g", .speed = 1.0, .memory_gb = 32, .idle_watts = 50, .busy_watts = 300,
                         .price_per_hour = 1.0}};
  c.node_groups = {NodeGroup{.name = "n", .count = 1, .gpus_per_node = 2, .gpu_type = 0}};
  RawParams cpu;
  cpu["backend"] = RawParam{std::string("cpu"), {}};
  const RunResult r = run_policy("ga", make_workload({{0, 1, 10}, {1, 2, 4}}), c, {}, cpu);
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[1].first_start == 10);
  CHECK(std::stoull(r.attributes.at("ga_no_start_points")) >= 1);
  CHECK(r.attributes.at("ga_generations") == "0");
}
