// Golden scenarios for priority: schedules derived by hand (checkpoint 10 s,
// restore 10 s, the engine defaults) and checked exactly.
#include <doctest/doctest.h>

#include "engine_fixtures.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

namespace {

// 1 node x 2 GPUs. Jobs (submit, GPUs, work, priority): A (0,2,100,0) B (10,1,50,0) C (20,1,50,5) D (30,1,50,30).
Workload aging_jobs() {
  Workload w = make_workload({{0, 2, 100}, {10, 1, 50}, {20, 1, 50}, {30, 1, 50}});
  w.jobs[2].priority = 5;
  w.jobs[3].priority = 30;
  return w;
}

RawParams params(double aging_per_hour, bool preempt) {
  RawParams p;
  p["aging_per_hour"] = RawParam{aging_per_hour, {}};
  p["preempt"] = RawParam{preempt, {}};
  return p;
}

}  // namespace

TEST_CASE("priority golden: strict priority without aging") {
  // A runs 0-100 on 0,1. At t=100 two GPUs free up for B (0), C (5), D (30):
  // D starts on GPU 0 and C on GPU 1 (100-150); B runs 150-200 on GPU 0.
  const RunResult r = run_policy("priority", aging_jobs(), uniform_cluster(1, 2), {}, params(0, false));
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 100);
  CHECK(gpus(r, 0) == V{0, 1});
  CHECK(r.jobs[3].first_start == 100);
  CHECK(r.jobs[3].end == 150);
  CHECK(gpus(r, 3) == V{0});
  CHECK(r.jobs[2].first_start == 100);
  CHECK(r.jobs[2].end == 150);
  CHECK(gpus(r, 2) == V{1});
  CHECK(r.jobs[1].first_start == 150);
  CHECK(r.jobs[1].end == 200);
  CHECK(gpus(r, 1) == V{0});
}

TEST_CASE("priority golden: aging lets a long-waiting job overtake a higher priority") {
  // aging 3600 per hour = 1 per second waited. At t=100: B = 0 + 90 = 90,
  // C = 5 + 80 = 85, D = 30 + 70 = 100. So D (GPU 0) and B (GPU 1) run
  // 100-150, and C runs 150-200 on GPU 0.
  const RunResult r = run_policy("priority", aging_jobs(), uniform_cluster(1, 2), {}, params(3600, false));
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 100);
  CHECK(gpus(r, 0) == V{0, 1});
  CHECK(r.jobs[3].first_start == 100);
  CHECK(r.jobs[3].end == 150);
  CHECK(gpus(r, 3) == V{0});
  CHECK(r.jobs[1].first_start == 100);
  CHECK(r.jobs[1].end == 150);
  CHECK(gpus(r, 1) == V{1});
  CHECK(r.jobs[2].first_start == 150);
  CHECK(r.jobs[2].end == 200);
  CHECK(gpus(r, 2) == V{0});
}

TEST_CASE("priority golden: preemption of a lower-priority job") {
  // 1 node x 2 GPUs, preempt = true, no aging. A (0,2,100,prio 0) B (10,1,30,prio 5) C (25,1,10,prio 0).
  // t=0   A on 0,1.
  // t=10  B does not fit; A has a lower priority: preempted, GPUs held until 20.
  // t=20  A pending (90 left). B starts on GPU 0 (ends 50). A needs 2: blocked, and no
  //       running job has a priority below 0.
  // t=25  C (prio 0, arrived after A) waits behind A: head-of-line blocking.
  // t=50  B ends: A resumes on 0,1, restore until 60, ends 150.   t=150 C on GPU 0, ends 160.
  Workload w = make_workload({{0, 2, 100}, {10, 1, 30}, {25, 1, 10}});
  w.jobs[1].priority = 5;
  const RunResult r = run_policy("priority", w, uniform_cluster(1, 2), {}, params(0, true));
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 150);
  CHECK(r.jobs[0].preemptions == 1);
  CHECK(gpus(r, 0) == V{0, 1});
  CHECK(r.jobs[1].first_start == 20);
  CHECK(r.jobs[1].end == 50);
  CHECK(gpus(r, 1) == V{0});
  CHECK(r.jobs[2].first_start == 150);
  CHECK(r.jobs[2].end == 160);
  CHECK(gpus(r, 2) == V{0});
  // Without preemption B waits for A: A 0-100, then B (higher priority, placed
  // first) 100-130 on GPU 0 and C 100-110 on GPU 1.
  const RunResult plain = run_policy("priority", w, uniform_cluster(1, 2), {}, params(0, false));
  CHECK(plain.jobs[0].end == 100);
  CHECK(plain.jobs[0].preemptions == 0);
  CHECK(plain.jobs[1].first_start == 100);
  CHECK(plain.jobs[1].end == 130);
  CHECK(gpus(plain, 1) == V{0});
  CHECK(plain.jobs[2].first_start == 100);
  CHECK(plain.jobs[2].end == 110);
  CHECK(gpus(plain, 2) == V{1});
}
