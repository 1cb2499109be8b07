// Golden scenarios for srtf: schedules derived by hand (oracle estimates,
// checkpoint 10 s and restore 10 s, the engine defaults) and checked exactly.
#include <doctest/doctest.h>

#include "engine_fixtures.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

namespace {

// 1 node x 2 GPUs. Jobs (submit, GPUs, work): A (0,2,1000) B (100,1,200) C (120,1,50) D (400,1,780).
Workload four_jobs() { return make_workload({{0, 2, 1000}, {100, 1, 200}, {120, 1, 50}, {400, 1, 780}}); }

}  // namespace

TEST_CASE("srtf golden: a shorter job preempts, a marginally shorter one does not") {
  // t=0    A starts on 0,1 (expected to end at 1000).
  // t=100  B (200) does not fit; A has 900 left > 200 + min_gain 60: A is preempted and
  //        holds its GPUs for the 10 s checkpoint.
  // t=110  A is pending again with 900 left. B, the shortest, starts on GPU 0 (ends 310).
  //        A needs 2 GPUs, 1 is free; B (200 left) is no victim for A.
  // t=120  C (50) is shortest and fits: GPU 1, 120-170.
  // t=310  B ends: A resumes on 0,1; restore 10 s, then 900 s of work: ends 1220.
  // t=400  D (780) does not fit; A has 900 - 80 = 820 left, but 820 <= 780 + 60: no preemption.
  // t=1220 A ends: D runs on GPU 0, 1220-2000.
  const RunResult r = run_policy("srtf", four_jobs(), uniform_cluster(1, 2));
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 1220);
  CHECK(r.jobs[0].preemptions == 1);
  CHECK(gpus(r, 0) == V{0, 1});
  CHECK(r.jobs[1].first_start == 110);
  CHECK(r.jobs[1].end == 310);
  CHECK(gpus(r, 1) == V{0});
  CHECK(r.jobs[2].first_start == 120);
  CHECK(r.jobs[2].end == 170);
  CHECK(gpus(r, 2) == V{1});
  CHECK(r.jobs[3].first_start == 1220);
  CHECK(r.jobs[3].end == 2000);
  CHECK(r.jobs[3].preemptions == 0);
  // A held 2 GPUs over 0-110 (run + checkpoint) and 310-1220 (restore + run).
  CHECK(r.jobs[0].gpu_seconds == doctest::Approx(2 * 110 + 2 * 910));
  CHECK(r.summary.busy_gpu_seconds == doctest::Approx(2040 + 200 + 50 + 780));
}

TEST_CASE("srtf golden: with min_gain 0 any shorter job preempts, and the victim never preempts back") {
  // As above until t=400; now D (780) < A's 820 left suffices:
  // t=400  A preempted (its second preemption), GPUs held until 410.
  // t=410  D starts on GPU 0 (ends 1190); A (820 left) waits: D, with 780 left, is no victim.
  // t=1190 D ends: A resumes on 0,1, restore until 1200, ends 2020.
  RawParams p;
  p["min_gain"] = RawParam{0.0, {}};
  const RunResult r = run_policy("srtf", four_jobs(), uniform_cluster(1, 2), {}, p);
  CHECK(r.jobs[0].end == 2020);
  CHECK(r.jobs[0].preemptions == 2);
  CHECK(r.jobs[1].first_start == 110);
  CHECK(r.jobs[3].first_start == 410);
  CHECK(r.jobs[3].end == 1190);
  CHECK(gpus(r, 3) == V{0});
  CHECK(r.attributes.at("preemptions") == "2");
}

TEST_CASE("srtf: a non-preemptible job is never a victim") {
  // A is not preemptible: B waits for it (A 0-1000, B 1000-1200 on GPU 0).
  Workload w = make_workload({{0, 2, 1000}, {100, 1, 200}});
  w.jobs[0].preemptible = false;
  const RunResult r = run_policy("srtf", w, uniform_cluster(1, 2));
  CHECK(r.jobs[0].end == 1000);
  CHECK(r.jobs[0].preemptions == 0);
  CHECK(r.jobs[1].first_start == 1000);
  CHECK(r.jobs[1].end == 1200);
}
