// load-balance-migrate: golden schedules derived by hand, and its guards
// (threshold, hysteresis, improvement, preemptibility, parameter checks).
#include <doctest/doctest.h>

#include "engine_fixtures.h"
#include "sim/error.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

namespace {

EngineOptions lbm_options() {
  EngineOptions o;
  o.monitor_interval = 10;
  o.checkpoint_seconds = 2;
  o.restore_seconds = 3;
  return o;
}

RawParams lbm_params(double threshold, double low, std::int64_t max_migrations = 4) {
  return {{"threshold", {threshold, {}}},
          {"threshold_low", {low, {}}},
          {"max_migrations", {max_migrations, {}}},
          {"min_remaining", {0.0, {}}},
          {"cooldown", {1000.0, {}}}};
}

// 2 nodes x 4 GPUs; A, B, C, D (t=0, 1 GPU, work 100 each).
Workload four_long_jobs() { return make_workload({{0, 1, 100}, {0, 1, 100}, {0, 1, 100}, {0, 1, 100}}); }

}  // namespace

TEST_CASE("load-balance-migrate golden: a hot node's job moves to the cold node") {
  // 2 nodes x 2 GPUs, monitor every 10 s, checkpoint 2 s + restore 3 s.
  // A (0, 1 GPU, 100), B (0, 1 GPU, 100), C (12, 1 GPU, 5).
  // t=0   no load yet, ties by index: A -> GPU 0, B -> GPU 1 (both node 0).
  // t=10  loads: GPUs 1,1,0,0 -> nodes 1.0 and 0.0, range 1.0 > 0.4: migrate.
  //       A and B tie (each leaves gaps 0.5 - 0.5 = 0): A (lower index) moves to
  //       the cold node's least-loaded free GPU 2. Projected loads 0.5/0.5 <= 0.1
  //       stop. A had 90 s left; it resumes at 10 + 2 + 3 = 15 and ends at 105.
  // t=12  C: node 1 is first in least-loaded order (load 0 at t=10), its only
  //       free GPU is 3: C runs 12-17.
  // t=20  loads over [10,20]: GPU0 0, GPU1 1, GPU2 1, GPU3 0.5 -> nodes 0.5 and
  //       0.75: still above 0.1, but A is in cooldown and moving B to node 1
  //       (0.5 + 0.5 GPUs' worth) would not shrink the gap: no move.
  // t=30  nodes 0.5/0.5: balanced. B ends at 100, A at 105.
  const Workload w = make_workload({{0, 1, 100}, {0, 1, 100}, {12, 1, 5}});
  const RunResult r = run_policy("load-balance-migrate", w, uniform_cluster(2, 2), lbm_options(), lbm_params(0.4, 0.1));
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 105);
  CHECK(r.jobs[0].migrations == 1);
  CHECK(gpus(r, 0) == V{2});
  CHECK(r.jobs[1].first_start == 0);
  CHECK(r.jobs[1].end == 100);
  CHECK(r.jobs[1].migrations == 0);
  CHECK(gpus(r, 1) == V{1});
  CHECK(r.jobs[2].first_start == 12);
  CHECK(r.jobs[2].end == 17);
  CHECK(gpus(r, 2) == V{3});
  CHECK(r.summary.migrations == 1);
  // A held GPU 0 for 0-10 and GPU 2 for 10-105 (the 5 s pause included).
  CHECK(r.jobs[0].gpu_seconds == doctest::Approx(105));
  CHECK(r.gpu_busy_seconds == std::vector<double>{10, 100, 95, 5});
  // The least-loaded placement alone never moves A: it ends at 100 on GPU 0.
  const RunResult plain = run_policy("fifo", w, uniform_cluster(2, 2), lbm_options(),
                                     {{"placement", {std::string("least-loaded"), {}}}});
  CHECK(gpus(plain, 0) == V{0});
  CHECK(plain.jobs[0].end == 100);
}

TEST_CASE("load-balance-migrate golden: hysteresis keeps migrating below the start threshold") {
  // 2 nodes x 4 GPUs; A-D (0, 1 GPU, 100) all land on node 0 (GPUs 0-3).
  // threshold 0.6, threshold_low 0.1, one migration per sample.
  // t=10  nodes 1.0 / 0.0: range 1.0 > 0.6 starts balancing. All four jobs
  //       tie (gap after the move 0.75 - 0.25); A moves to GPU 4, resumes at
  //       15 with 90 left: ends 105.
  // t=20  measured nodes 0.75 / 0.25: range 0.5 is below 0.6 but above 0.1,
  //       so balancing continues: B (lowest index of B, C, D) moves to GPU 5,
  //       resumes at 25 with 80 left: ends 105.
  // t=30  measured 0.5 / 0.5: balancing stops. C and D end at 100.
  const RunResult r = run_policy("load-balance-migrate", four_long_jobs(), uniform_cluster(2, 4), lbm_options(),
                                 lbm_params(0.6, 0.1, 1));
  CHECK(gpus(r, 0) == V{4});
  CHECK(r.jobs[0].end == 105);
  CHECK(gpus(r, 1) == V{5});
  CHECK(r.jobs[1].end == 105);
  CHECK(r.jobs[1].migrations == 1);
  CHECK(gpus(r, 2) == V{2});
  CHECK(r.jobs[2].end == 100);
  CHECK(gpus(r, 3) == V{3});
  CHECK(r.jobs[3].end == 100);
  CHECK(r.summary.migrations == 2);
  // GPU 1 held B for 0-20, GPU 5 for 20-105.
  CHECK(r.gpu_busy_seconds[1] == doctest::Approx(20));
  CHECK(r.gpu_busy_seconds[5] == doctest::Approx(85));

  SUBCASE("with more migrations per sample both move at t=10") {
    // t=10: A -> GPU 4; projected 0.75 / 0.25 still above 0.1: B -> GPU 5 at
    // once, resuming at 15 with 90 left: also ends 105, but GPU 1 was held 10 s.
    const RunResult r4 = run_policy("load-balance-migrate", four_long_jobs(), uniform_cluster(2, 4), lbm_options(),
                                    lbm_params(0.6, 0.1, 4));
    CHECK(gpus(r4, 0) == V{4});
    CHECK(gpus(r4, 1) == V{5});
    CHECK(r4.jobs[1].end == 105);
    CHECK(r4.gpu_busy_seconds[1] == doctest::Approx(10));
    CHECK(r4.summary.migrations == 2);
  }
  SUBCASE("an imbalance that never exceeds the threshold moves nothing") {
    // The range is at most 1.0, which does not exceed threshold 1.0.
    const RunResult r1 = run_policy("load-balance-migrate", four_long_jobs(), uniform_cluster(2, 4), lbm_options(),
                                    lbm_params(1.0, 0.1));
    CHECK(r1.summary.migrations == 0);
    for (JobIndex j = 0; j < 4; ++j) CHECK(r1.jobs[j].end == 100);
  }
  SUBCASE("non-preemptible jobs stay put") {
    Workload w = four_long_jobs();
    for (Job& job : w.jobs) job.preemptible = false;
    const RunResult rn =
        run_policy("load-balance-migrate", w, uniform_cluster(2, 4), lbm_options(), lbm_params(0.6, 0.1));
    CHECK(rn.summary.migrations == 0);
  }
  SUBCASE("jobs about to finish are not worth moving") {
    RawParams p = lbm_params(0.6, 0.1);
    p["min_remaining"] = {95.0, {}};  // at t=10 each job has 90 s left
    const RunResult rm = run_policy("load-balance-migrate", four_long_jobs(), uniform_cluster(2, 4), lbm_options(), p);
    CHECK(rm.summary.migrations == 0);
  }
}

TEST_CASE("load-balance-migrate: a move that only swaps the hot node is not made") {
  // 2 nodes x 2 GPUs, one job A (0, 1 GPU, 100) on GPU 0. At t=10 nodes are
  // 0.5 / 0.0 (range 0.5 > 0.4), but moving A gives 0.0 / 0.5: no better.
  const RunResult r = run_policy("load-balance-migrate", make_workload({{0, 1, 100}}), uniform_cluster(2, 2),
                                 lbm_options(), lbm_params(0.4, 0.1));
  CHECK(r.summary.migrations == 0);
  CHECK(r.jobs[0].end == 100);
  CHECK(gpus(r, 0) == V{0});
}

TEST_CASE("load-balance-migrate: parameters are checked") {
  CHECK_THROWS_AS(builtin_policies().create("load-balance-migrate", {{"threshold", {1.5, {}}}}), InputError);
  CHECK_THROWS_AS(builtin_policies().create("load-balance-migrate", lbm_params(0.2, 0.3)), InputError);
  CHECK_THROWS_AS(builtin_policies().create("load-balance-migrate", {{"measure", {std::string("max"), {}}}}),
                  InputError);
  CHECK_NOTHROW(builtin_policies().create("load-balance-migrate", {{"measure", {std::string("stddev"), {}}}}));
}
