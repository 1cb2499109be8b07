// Golden scenarios for easy-backfill: schedules derived by hand (in the
// comments, oracle estimates) and checked exactly, job by job.
#include <doctest/doctest.h>

#include "engine_fixtures.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

TEST_CASE("easy-backfill golden: only jobs that end by the shadow time overtake the head") {
  // 1 node x 4 GPUs. Jobs (submit, GPUs, work): A (0,3,10) B (1,4,5) C (2,1,20) D (3,1,6) E (4,1,5).
  // t=0  A starts on 0,1,2 (ends 10).
  // t=1  B needs 4, 1 free: blocked. Reservation: 1 free + A's 3 at t=10 -> shadow 10, extra 0.
  // t=2  C fits on GPU 3 but would end at 22 > 10 and extra is 0: it waits.
  // t=3  D fits on GPU 3 and ends at 9 <= 10: backfilled, runs 3-9.
  // t=4  E: nothing free.   t=9 D ends: C (ends 29) and E (ends 14) would pass 10: wait.
  // t=10 A ends: B starts on 0-3, ends 15.
  // t=15 C starts on GPU 0 (ends 35), E on GPU 1 (ends 20).
  const Workload w = make_workload({{0, 3, 10}, {1, 4, 5}, {2, 1, 20}, {3, 1, 6}, {4, 1, 5}});
  const RunResult r = run_policy("easy-backfill", w, uniform_cluster(1, 4));
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 10);
  CHECK(gpus(r, 0) == V{0, 1, 2});
  CHECK(r.jobs[1].first_start == 10);
  CHECK(r.jobs[1].end == 15);
  CHECK(gpus(r, 1) == V{0, 1, 2, 3});
  CHECK(r.jobs[2].first_start == 15);
  CHECK(r.jobs[2].end == 35);
  CHECK(gpus(r, 2) == V{0});
  CHECK(r.jobs[3].first_start == 3);
  CHECK(r.jobs[3].end == 9);
  CHECK(gpus(r, 3) == V{3});
  CHECK(r.jobs[4].first_start == 15);
  CHECK(r.jobs[4].end == 20);
  CHECK(gpus(r, 4) == V{1});
  CHECK(r.attributes.at("backfilled_jobs") == "1");
  CHECK(r.summary.makespan == 35);
}

TEST_CASE("easy-backfill golden: a long job may use the GPUs the head will not need") {
  // 1 node x 4 GPUs. A (0,2,10) B (0,1,4) C (1,3,5) D (2,1,30) E (3,1,30).
  // t=0  A on 0,1 (ends 10), B on 2 (ends 4).
  // t=1  C needs 3, 1 free: blocked. 1 free + B's 1 at 4 + A's 2 at 10 = 4 -> shadow 10, extra 1.
  // t=2  D fits on GPU 3, ends 32 > 10, but needs 1 <= extra: backfilled (extra now 0), runs 2-32.
  // t=3  E: nothing free.
  // t=4  B ends. C still blocked: 1 free + A's 2 at 10 = 3 -> shadow 10, extra 0;
  //      E fits on GPU 2 but would end at 34 > 10: waits.
  // t=10 A ends: C starts on 0,1,2, ends 15.   t=15 E starts on GPU 0, ends 45.
  const Workload w = make_workload({{0, 2, 10}, {0, 1, 4}, {1, 3, 5}, {2, 1, 30}, {3, 1, 30}});
  const RunResult r = run_policy("easy-backfill", w, uniform_cluster(1, 4));
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 10);
  CHECK(gpus(r, 0) == V{0, 1});
  CHECK(r.jobs[1].first_start == 0);
  CHECK(r.jobs[1].end == 4);
  CHECK(gpus(r, 1) == V{2});
  CHECK(r.jobs[2].first_start == 10);
  CHECK(r.jobs[2].end == 15);
  CHECK(gpus(r, 2) == V{0, 1, 2});
  CHECK(r.jobs[3].first_start == 2);
  CHECK(r.jobs[3].end == 32);
  CHECK(gpus(r, 3) == V{3});
  CHECK(r.jobs[4].first_start == 15);
  CHECK(r.jobs[4].end == 45);
  CHECK(gpus(r, 4) == V{0});
}

TEST_CASE("easy-backfill: without runtime estimates it is FIFO") {
  // Same jobs as the first scenario; with no estimates there is no shadow
  // time, so D may not overtake B: FIFO gives B 10-15, C 15-35, D 15-21, E 15-20.
  const Workload w = make_workload({{0, 3, 10}, {1, 4, 5}, {2, 1, 20}, {3, 1, 6}, {4, 1, 5}});
  EngineOptions options;
  options.estimate = EstimateKind::none;
  const RunResult r = run_policy("easy-backfill", w, uniform_cluster(1, 4), options);
  CHECK(r.jobs[1].first_start == 10);
  CHECK(r.jobs[3].first_start == 15);
  CHECK(r.jobs[3].end == 21);
  CHECK(r.attributes.at("backfilled_jobs") == "0");
}

TEST_CASE("easy-backfill: parameters are validated") {
  RawParams bad;
  bad["depth"] = RawParam{std::int64_t{0}, SourceLocation{"x.toml", 3, "policies.easy-backfill.depth"}};
  CHECK_THROWS_AS(builtin_policies().create("easy-backfill", bad), InputError);
  RawParams unknown;
  unknown["reservations"] = RawParam{std::int64_t{2}, SourceLocation{"x.toml", 4, "policies.easy-backfill.x"}};
  CHECK_THROWS_AS(builtin_policies().create("easy-backfill", unknown), InputError);
}
