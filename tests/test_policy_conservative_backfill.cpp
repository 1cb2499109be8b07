// Golden scenario for conservative-backfill, with EASY on the same jobs for
// contrast: schedules derived by hand (oracle estimates) and checked exactly.
#include <doctest/doctest.h>

#include "engine_fixtures.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

namespace {

// 1 node x 4 GPUs. Jobs (submit, GPUs, work): A (0,2,10) B (1,3,5) C (2,2,4) D (3,4,20) E (4,1,30).
Workload five_jobs() { return make_workload({{0, 2, 10}, {1, 3, 5}, {2, 2, 4}, {3, 4, 20}, {4, 1, 30}}); }

}  // namespace

TEST_CASE("conservative-backfill golden: a backfill may not delay any reservation") {
  // Free GPUs over time are written [from,to):count.
  // t=0  A starts on 0,1 (ends 10).
  // t=1  B (3 GPUs) reserved at the first time 3 are free for 5 s: [10,15).
  // t=2  C (2 GPUs, 4 s): [2,6) has 2 free and touches no reservation: starts on 2,3 (ends 6).
  // t=3  D (4 GPUs, 20 s): free is [3,6):0 [6,10):2 [10,15):1 (B holds 3) [15,...):4 -> reserved [15,35).
  // t=4  E (1 GPU, 30 s): any start before 35 overlaps D's [15,35) where 0 are free -> reserved [35,65).
  // t=6  C ends: E would fit now (as EASY does) but would run into D's slot: nothing starts.
  // t=10 A ends: B starts on 0,1,2 (ends 15); GPU 3 stays idle, E still may not take it.
  // t=15 B ends: D starts on 0-3 (ends 35).   t=35 D ends: E starts on GPU 0 (ends 65).
  const RunResult r = run_policy("conservative-backfill", five_jobs(), uniform_cluster(1, 4));
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 10);
  CHECK(gpus(r, 0) == V{0, 1});
  CHECK(r.jobs[1].first_start == 10);
  CHECK(r.jobs[1].end == 15);
  CHECK(gpus(r, 1) == V{0, 1, 2});
  CHECK(r.jobs[2].first_start == 2);
  CHECK(r.jobs[2].end == 6);
  CHECK(gpus(r, 2) == V{2, 3});
  CHECK(r.jobs[3].first_start == 15);
  CHECK(r.jobs[3].end == 35);
  CHECK(gpus(r, 3) == V{0, 1, 2, 3});
  CHECK(r.jobs[4].first_start == 35);
  CHECK(r.jobs[4].end == 65);
  CHECK(gpus(r, 4) == V{0});
  CHECK(r.attributes.at("reservation_violations") == "0");
  CHECK(r.attributes.at("backfilled_jobs") == "1");  // C overtook B
}

TEST_CASE("easy-backfill on the same jobs delays the second queued job") {
  // EASY protects only the head: at t=1 B's shadow is 10 with 1 extra GPU.
  // t=2 C ends by 10: backfilled on 2,3 (2-6). t=6 C ends: D does not fit; E
  // (ends 36 > 10) uses the 1 extra GPU: backfilled on GPU 2 (6-36).
  // t=10 B starts on 0,1,3 (ends 15). t=15 D needs 4, E holds GPU 2 until 36:
  // D runs 36-56, twenty-one seconds later than under conservative backfilling.
  const RunResult r = run_policy("easy-backfill", five_jobs(), uniform_cluster(1, 4));
  CHECK(r.jobs[1].first_start == 10);
  CHECK(gpus(r, 1) == V{0, 1, 3});
  CHECK(r.jobs[2].first_start == 2);
  CHECK(r.jobs[4].first_start == 6);
  CHECK(r.jobs[4].end == 36);
  CHECK(gpus(r, 4) == V{2});
  CHECK(r.jobs[3].first_start == 36);
  CHECK(r.jobs[3].end == 56);
}

TEST_CASE("conservative-backfill: depth bounds the reserved jobs") {
  // With depth 1 only the head holds a reservation, so it behaves like EASY
  // without the extra GPUs: at t=6 E is the only other candidate, is not
  // reserved, and so may not start; the schedule equals the one above except
  // that nothing is ever backfilled past the head's slot.
  RawParams p;
  p["depth"] = RawParam{std::int64_t{1}, {}};
  const RunResult r = run_policy("conservative-backfill", five_jobs(), uniform_cluster(1, 4), {}, p);
  // t=2: C is not within the reserved prefix (only B is), so it waits too: it
  // starts at 15 when B ends (with D, which needs 4, still behind it).
  CHECK(r.jobs[1].first_start == 10);
  CHECK(r.jobs[2].first_start == 15);
  CHECK(r.jobs[2].end == 19);
  CHECK(r.jobs[3].first_start == 19);
  CHECK(r.jobs[3].end == 39);
  CHECK(r.jobs[4].first_start == 39);
  CHECK(r.attributes.at("reservation_violations") == "0");
}
