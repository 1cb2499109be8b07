// Golden scenarios for las (Tiresias discretised 2D-LAS): schedules derived
// by hand (checkpoint 10 s, restore 10 s, monitor every 60 s: the engine
// defaults) and checked exactly.
#include <doctest/doctest.h>

#include "engine_fixtures.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

namespace {

RawParams las_params(const std::string& thresholds, double starvation_factor, double interval) {
  RawParams p;
  p["thresholds"] = RawParam{thresholds, {}};
  p["starvation_factor"] = RawParam{starvation_factor, {}};
  p["interval"] = RawParam{interval, {}};
  return p;
}

}  // namespace

TEST_CASE("las golden: a job demoted by attained GPU-seconds is preempted for a new one") {
  // 1 node x 2 GPUs, two queues split at 100 GPU-seconds, no starvation guard.
  // Jobs (submit, GPUs, work): A (0,2,200) B (60,1,30) C (80,1,20).
  // t=0   A starts on 0,1, attaining 2 GPU-s per second: crosses 100 at t=50 (queue 1).
  //       Nobody waits, so nothing looks before the next event.
  // t=60  B arrives (queue 0); the demotion is applied: A is in queue 1, B in queue 0 does not
  //       fit -> A is preempted (60 s of work done), GPUs held until 70.
  // t=70  A pending in queue 1 (140 GPU-s attained). B starts on GPU 0 (ends 100);
  //       A needs 2 and queue 1 has no lower queue to preempt: it waits.
  // t=80  C (queue 0) fits on GPU 1, 80-100.
  // t=100 B and C end: A resumes on 0,1, restore until 110, 140 s of work left: ends 250.
  const Workload w = make_workload({{0, 2, 200}, {60, 1, 30}, {80, 1, 20}});
  const RunResult r = run_policy("las", w, uniform_cluster(1, 2), {}, las_params("100", 0, 5));
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 250);
  CHECK(r.jobs[0].preemptions == 1);
  CHECK(gpus(r, 0) == V{0, 1});
  CHECK(r.jobs[0].gpu_seconds == doctest::Approx(2 * 70 + 2 * 150));
  CHECK(r.jobs[1].first_start == 70);
  CHECK(r.jobs[1].end == 100);
  CHECK(gpus(r, 1) == V{0});
  CHECK(r.jobs[2].first_start == 80);
  CHECK(r.jobs[2].end == 100);
  CHECK(gpus(r, 2) == V{1});
  CHECK(r.attributes.at("preemptions") == "1");
}

TEST_CASE("las golden: the starvation guard promotes a job that waited too long") {
  // 1 GPU, queues split at 50 GPU-s, starvation_factor 1, re-evaluated every 10 s.
  // Jobs: A (0,1,100) B (60,1,100).
  // t=0   A starts; it crosses 50 GPU-s at t=50.
  // t=60  B arrives in queue 0, A (queue 1) is preempted; checkpoint until 70.
  // t=70  A waits in queue 1 having run 60 s since its last promotion: promotion due at
  //       70 + 1 x 60 = 130. B starts (crosses 50 GPU-s at t=120).
  // t=120 (timer) B is demoted to queue 1: same queue as A, so B keeps running.
  // t=130 (timer) A is promoted to queue 0 (attained counted from 0 again) and preempts B
  //       (queue 1), which has run 60 s; checkpoint until 140.
  // t=140 A resumes: restore until 150, 40 s of work left: ends 190.
  // t=190 B resumes: restore until 200, 40 s left: ends 240.
  const Workload w = make_workload({{0, 1, 100}, {60, 1, 100}});
  const RunResult r = run_policy("las", w, uniform_cluster(1, 1), {}, las_params("50", 1, 10));
  CHECK(r.jobs[0].end == 190);
  CHECK(r.jobs[0].preemptions == 1);
  CHECK(r.jobs[1].first_start == 70);
  CHECK(r.jobs[1].end == 240);
  CHECK(r.jobs[1].preemptions == 1);
  CHECK(r.attributes.at("promotions") == "1");
  CHECK(r.attributes.at("demotions") == "2");
  // Without the guard B, in the same queue as A, runs to the end (70-170) and
  // A resumes at 170: restore until 180, ends 220.
  const RunResult plain = run_policy("las", w, uniform_cluster(1, 1), {}, las_params("50", 0, 10));
  CHECK(plain.jobs[1].end == 170);
  CHECK(plain.jobs[1].preemptions == 0);
  CHECK(plain.jobs[0].end == 220);
  CHECK(plain.attributes.at("promotions") == "0");
}

TEST_CASE("las: bad thresholds are an input error") {
  for (const std::string bad : {"100,50", "abc", "10,,20", "-5", "0"}) {
    CAPTURE(bad);
    RawParams p;
    p["thresholds"] = RawParam{bad, {}};
    CHECK_THROWS_AS(builtin_policies().create("las", p), InputError);
  }
  RawParams one_queue;
  one_queue["thresholds"] = RawParam{std::string(""), {}};
  CHECK_NOTHROW(builtin_policies().create("las", one_queue));
}
