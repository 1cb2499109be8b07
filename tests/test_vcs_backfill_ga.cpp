// conservative-backfill and ga on a cluster with virtual clusters: schedules
// worked out by hand on 2 nodes x 4 GPUs, VC "a" = node 0 (GPUs 0-3) and VC
// "b" = node 1 (GPUs 4-7), with oracle estimates and no topology slowdown
// inside one node; each compared with the same jobs on the open cluster.
#include <doctest/doctest.h>

#include <string>

#include "engine_fixtures.h"
#include "property_checks.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

ClusterSpec open_cluster() { return uniform_cluster(2, 4); }

EngineOptions no_overheads() {
  EngineOptions o;
  o.checkpoint_seconds = 0;
  o.restore_seconds = 0;
  return o;
}

// Sets the VC of each job: "a", "b" or "" (none).
Workload with_vcs(Workload w, std::initializer_list<const char*> vcs) {
  std::size_t j = 0;
  for (const char* name : vcs) {
    if (*name != '\0') w.jobs[j].vc = w.intern_vc(name);
    ++j;
  }
  return w;
}

bool on_node(const RunResult& r, JobIndex j, NodeIndex node) {
  for (GpuIndex g : gpus(r, j))
    if (g / 4 != node) return false;
  return !gpus(r, j).empty();
}

}  // namespace

TEST_CASE("vcs: conservative-backfill reserves and backfills each VC on its own nodes") {
  // J0 a 4 GPUs 100 s @0; J1 b 2 GPUs 100 s @0; J2 a 4 GPUs 10 s @1;
  // J3 a 1 GPU 50 s @2; J4 b 2 GPUs 200 s @3.
  //   t=0   J0 starts on node 0, J1 on node 1 {4,5}; both end at 100.
  //   t=1   J2: VC a is full until 100: reserved [100, 110) in a (one node: no
  //         spreading, so no slowdown in the reserved length).
  //   t=2   J3: a has no GPU before 100 and J2 holds all 4 in [100, 110):
  //         reserved [110, 160) in a. Node 1's 2 idle GPUs belong to b.
  //   t=3   J4: b has 2 GPUs free now and 4 from 100; no reservation in b:
  //         backfilled at once on {6,7}, ends 203.
  //   t=100 J2 starts on node 0, ends 110; t=110 J3 starts, ends 160.
  const Workload w = with_vcs(make_workload({{0, 4, 100}, {0, 2, 100}, {1, 4, 10}, {2, 1, 50}, {3, 2, 200}}),
                              {"a", "b", "a", "a", "b"});
  const RunResult r = run_policy("conservative-backfill", w, two_vc_cluster(false), no_overheads());
  check_every_job_ends_once(r, w);
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[1].first_start == 0);
  CHECK(r.jobs[2].first_start == 100);
  CHECK(r.jobs[2].end == 110);
  CHECK(r.jobs[3].first_start == 110);
  CHECK(r.jobs[3].end == 160);
  CHECK(r.jobs[4].first_start == 3);
  CHECK(r.jobs[4].end == 203);
  CHECK(gpus(r, 4) == std::vector<GpuIndex>{6, 7});
  for (JobIndex j : {0u, 2u, 3u}) CHECK(on_node(r, j, 0));
  for (JobIndex j : {1u, 4u}) CHECK(on_node(r, j, 1));
  CHECK(r.attributes.at("reservation_violations") == "0");
  CHECK(r.attributes.at("backfilled_jobs") == "0");  // J4 heads VC b's own queue: it overtook no job of b

  // Open cluster: J3 backfills at 2 on node 1's idle GPUs (it ends at 52,
  // before J2's reservation at 100), which VC a may not use.
  const RunResult open = run_policy("conservative-backfill", w, open_cluster(), no_overheads());
  CHECK(open.jobs[3].first_start == 2);
  CHECK(on_node(open, 3, 1));
}

TEST_CASE("vcs: conservative-backfill keeps a reserved prefix per VC, so a backlog in one VC holds up no other") {
  // depth = 1. J0 a 4 GPUs 100 s @0 starts; J1 a 4 GPUs 100 s @1 is reserved
  // at 100; J2 a 4 GPUs 100 s @2 is beyond a's prefix. J3 b 2 GPUs 10 s @3
  // heads b's own queue: it is reserved, and so started, at once: [3, 13).
  // (With one queue for all VCs J3 would be outside the prefix of 1 until
  // J1 started at 100.)
  const Workload w = with_vcs(make_workload({{0, 4, 100}, {1, 4, 100}, {2, 4, 100}, {3, 2, 10}}), {"a", "a", "a", "b"});
  const RunResult r =
      run_policy("conservative-backfill", w, two_vc_cluster(false), no_overheads(), {{"depth", {std::int64_t{1}, {}}}});
  check_every_job_ends_once(r, w);
  CHECK(r.jobs[3].first_start == 3);
  CHECK(r.jobs[3].end == 13);
  CHECK(on_node(r, 3, 1));
  CHECK(r.jobs[1].first_start == 100);
  CHECK(r.jobs[2].first_start == 200);
}

TEST_CASE("vcs: conservative-backfill with lending borrows idle GPUs outside its reservations") {
  // J0 a 4 GPUs 100 s @0; J1 a 2 GPUs 50 s @10; J2 b 4 GPUs 30 s @20.
  //   t=0   J0 on node 0 until 100.
  //   t=10  J1: a is full until 100, so it is reserved at 100 in a; b has no
  //         job waiting, so J1 starts at once on b's {4,5} (borrowed, not in
  //         any reservation of a).
  //   t=20  J2: b has 2 free, 2 lent to J1: the engine stops J1 (10 s done);
  //         J2 starts on {4..7}, ends 50. J1 is reserved at 100 in a again.
  //   t=50  b has no job waiting: J1 borrows {4,5} again for its last 40 s, ends 90.
  const Workload w = with_vcs(make_workload({{0, 4, 100}, {10, 2, 50}, {20, 4, 30}}), {"a", "a", "b"});
  const RunResult r = run_policy("conservative-backfill", w, two_vc_cluster(true), no_overheads());
  check_every_job_ends_once(r, w);
  CHECK(r.jobs[1].first_start == 10);
  CHECK(r.jobs[1].preemptions == 1);
  CHECK(r.jobs[1].end == 90);
  CHECK(gpus(r, 1) == std::vector<GpuIndex>{4, 5});
  CHECK(r.jobs[2].first_start == 20);
  CHECK(r.jobs[2].end == 50);
  CHECK(r.attributes.at("borrowing_starts") == "2");
  REQUIRE(r.vcs.size() == 2);
  CHECK(r.vcs[1].reclaims == 1);
  CHECK(r.vcs[1].lent_gpu_seconds == doctest::Approx(2 * 10 + 2 * 40));

  // Without lending J1 waits for its reservation: [100, 150).
  const RunResult kept = run_policy("conservative-backfill", w, two_vc_cluster(false), no_overheads());
  CHECK(kept.jobs[1].first_start == 100);
  CHECK(kept.jobs[1].end == 150);
  CHECK(kept.jobs[2].first_start == 20);
}

TEST_CASE("vcs: conservative-backfill reserves a job without a VC in the partition where it starts first") {
  // J0 a 4 GPUs 100 s @0; J1 b 4 GPUs 40 s @0; J2 (no VC) 4 GPUs 10 s @1;
  // J3 b 2 GPUs 30 s @2.
  //   t=1   J2 may use either partition: a frees at 100, b at 40: reserved
  //         [40, 50) in b.
  //   t=2   J3: b is busy until 40 and J2 holds it in [40, 50): reserved [50, 80) in b.
  //   t=40  J2 starts on node 1, ends 50; t=50 J3 starts on node 1, ends 80.
  const Workload w = with_vcs(make_workload({{0, 4, 100}, {0, 4, 40}, {1, 4, 10}, {2, 2, 30}}), {"a", "b", "", "b"});
  const RunResult r = run_policy("conservative-backfill", w, two_vc_cluster(false), no_overheads());
  check_every_job_ends_once(r, w);
  CHECK(r.jobs[2].first_start == 40);
  CHECK(on_node(r, 2, 1));
  CHECK(r.jobs[3].first_start == 50);
  CHECK(r.jobs[3].end == 80);
  CHECK(r.attributes.at("reservation_violations") == "0");
}

TEST_CASE("vcs: ga maps each job only onto its VC's GPUs") {
  // J0 a 4 GPUs 100 s, J1 a 2 GPUs 50 s, J2 b 2 GPUs 10 s, all at 0.
  // J0's only slot is node 0 whole; J1 has {0,1} and {2,3}; J2 {4,5} and {6,7}.
  // Decoding in Min-Min order (J2 10 s, J1 50 s, J0 after J1: 150 s), every
  // mapping starts J2 and J1 at 0 and J0 when J1 ends: J0 runs [50, 150).
  // (On the open cluster J1 or J2 could share node 1 and J0 would start at 0.)
  const Workload w = with_vcs(make_workload({{0, 4, 100}, {0, 2, 50}, {0, 2, 10}}), {"a", "a", "b"});
  const RunResult r = run_policy("ga", w, two_vc_cluster(false), no_overheads());
  check_every_job_ends_once(r, w);
  CHECK(r.jobs[1].first_start == 0);
  CHECK(on_node(r, 1, 0));
  CHECK(r.jobs[2].first_start == 0);
  CHECK(on_node(r, 2, 1));
  CHECK(r.jobs[0].first_start == 50);
  CHECK(r.jobs[0].end == 150);
  CHECK(on_node(r, 0, 0));

  const RunResult open = run_policy("ga", w, open_cluster(), no_overheads());
  CHECK(open.jobs[0].first_start == 0);
}

TEST_CASE("vcs: ga with lending maps a preemptible job onto GPUs another VC lends") {
  // J0 a 4 GPUs 100 s @0; J1 a 2 GPUs 50 s @10.
  //   t=10  a is full; b has no job waiting, so J1's slots include node 1:
  //         the only slots free now; J1 starts there at 10, ends 60.
  // Without lending its only slots are on node 0: it starts at 100.
  const Workload w = with_vcs(make_workload({{0, 4, 100}, {10, 2, 50}}), {"a", "a"});
  const RunResult r = run_policy("ga", w, two_vc_cluster(true), no_overheads());
  check_every_job_ends_once(r, w);
  CHECK(r.jobs[1].first_start == 10);
  CHECK(r.jobs[1].end == 60);
  CHECK(on_node(r, 1, 1));
  const RunResult kept = run_policy("ga", w, two_vc_cluster(false), no_overheads());
  CHECK(kept.jobs[1].first_start == 100);
  CHECK(on_node(kept, 1, 0));
}
