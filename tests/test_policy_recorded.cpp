// Golden scenario for recorded: the schedule derived by hand and checked
// exactly, plus a replay on a cluster big enough for the trace, where every
// job must start at its recorded start.
#include <doctest/doctest.h>

#include <cmath>

#include "engine_fixtures.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

TEST_CASE("recorded golden: recorded starts, waits when full, no blocking across shapes, FIFO fallback") {
  // 1 node x 2 GPUs, first-fit. Jobs in submit order (index = id):
  //   0 A submit 0,   1 GPU,  work 100, recorded 50
  //   1 F submit 5,   1 GPU,  work 10,  recorded 260
  //   2 B submit 10,  2 GPUs, work 100, recorded 100
  //   3 C submit 20,  1 GPU,  work 30,  recorded 110
  //   4 D submit 30,  1 GPU,  work 20,  none (FIFO from arrival)
  //   5 I submit 190, 1 GPU,  work 20,  recorded 230
  //   6 E submit 200, 1 GPU,  work 10,  recorded 120 (before its submit: ready at arrival)
  // t=30  D arrives, no recorded start: starts at once on GPU 0, ends 50.
  // t=50  D ends, A's recorded start: A on GPU 0, ends 150.
  // t=100 B (2 GPUs) has one free GPU: waits (delayed).
  // t=110 C (1 GPU, another shape) is not held back by B: GPU 1, 110-140.
  // t=140 C ends: B still does not fit (A holds GPU 0).
  // t=150 A ends: B starts on 0,1 (50 s late), ends 250.
  // t=200 E ready at arrival, t=230 I ready: both wait for B (delayed).
  // t=250 B ends: E (key 120) before I (key 230): E on GPU 0 (ends 260), I on GPU 1 (ends 270).
  // t=260 E ends, F's recorded start: F on GPU 0, ends 270, on time.
  const Workload w = make_workload({{0, 1, 100, 50},
                                        {5, 1, 10, 260},
                                        {10, 2, 100, 100},
                                        {20, 1, 30, 110},
                                        {30, 1, 20, NAN},
                                        {190, 1, 20, 230},
                                        {200, 1, 10, 120}});
  const RunResult r = run_policy("recorded", w, uniform_cluster(1, 2));
  struct Expect {
    Seconds start, end;
    V gpus;
  };
  const Expect expect[] = {{50, 150, {0}},  {260, 270, {0}}, {150, 250, {0, 1}}, {110, 140, {1}},
                           {30, 50, {0}},   {250, 270, {1}}, {250, 260, {0}}};
  for (JobIndex j = 0; j < 7; ++j) {
    CAPTURE(j);
    CHECK(r.jobs[j].first_start == expect[j].start);
    CHECK(r.jobs[j].end == expect[j].end);
    CHECK(gpus(r, j) == expect[j].gpus);
  }
  // 6 jobs with a recorded start, 1 fallback; B, E, I started late by 50 + 50 + 20 s.
  CHECK(r.attributes.at("recorded_replayed") == "6");
  CHECK(r.attributes.at("recorded_fallback_fifo") == "1");
  CHECK(r.attributes.at("recorded_delayed") == "3");
  CHECK(r.attributes.at("recorded_delay_total_s") == "120");
}

TEST_CASE("recorded: on a cluster with room every job starts at its recorded start") {
  // 1 node x 8 GPUs (one node, so no placement slowdown stretches a run
  // beyond its recorded length); the recorded schedule never uses more than 8 GPUs:
  // 5-105 4 GPUs and 40-140 4 GPUs overlap on all 8, then 145-175 2 GPUs, 220-320 8 GPUs.
  // Recorded waits: 5 + 30 + 0 + 20 = 55 s; the simulated waits are the same.
  const Workload w = make_workload({{0, 4, 100, 5}, {10, 4, 100, 40}, {145, 2, 30, 145}, {200, 8, 100, 220}});
  const RunResult r = run_policy("recorded", w, uniform_cluster(1, 8));
  double wait = 0;
  for (JobIndex j = 0; j < 4; ++j) {
    CHECK(r.jobs[j].first_start == w.trace_fields_of(j).recorded_start);
    CHECK(r.jobs[j].end == w.trace_fields_of(j).recorded_start + w.jobs[j].work);
    wait += r.jobs[j].wait();
  }
  CHECK(wait == 5 + 30 + 0 + 20);
  CHECK(r.attributes.at("recorded_delayed") == "0");
  // The same workload under fifo starts job 0 at its submit: replay differs from a policy.
  const RunResult f = run_policy("fifo", w, uniform_cluster(1, 8));
  CHECK(f.jobs[0].first_start == 0);
}
