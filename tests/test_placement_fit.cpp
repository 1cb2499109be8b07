// Golden scenarios for the best-fit and spread placements, schedules derived
// by hand, against first-fit on the same jobs; plus their invariants on random
// mixed workloads for every policy that takes a placement.
#include <doctest/doctest.h>

#include "engine_fixtures.h"
#include "property_checks.h"
#include "workloads/synthetic.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

namespace {

RawParams with_placement(const std::string& name) {
  RawParams p;
  p["placement"] = RawParam{name, {}};
  return p;
}

struct Expect {
  Seconds start, end;
  V gpus;
};

void check_schedule(const RunResult& r, std::initializer_list<Expect> expect) {
  JobIndex j = 0;
  for (const Expect& e : expect) {
    CAPTURE(j);
    CHECK(r.jobs[j].first_start == e.start);
    CHECK(r.jobs[j].end == e.end);
    CHECK(gpus(r, j) == e.gpus);
    ++j;
  }
}

}  // namespace

TEST_CASE("best-fit golden: the fullest node that fits keeps a whole node free for the next gang") {
  // fifo on 3 nodes x 4 GPUs (GPUs 4n..4n+3 on node n), one switch: a gang
  // over two nodes runs at 1/1.1 of its speed. Free counts per node in ().
  //   J0 submit 0,  2 GPUs, work 10     J1 submit 0,  3 GPUs, work 100
  //   J2 submit 20, 1 GPU,  work 100    J3 submit 30, 4 GPUs, work 100
  //   J4 submit 40, 4 GPUs, work 100
  // Both placements: t=0 J0 -> node 0 {0,1} (2,4,4); J1 -> node 1 {4,5,6}
  // (first-fit: node 0 has 2 < 3; best-fit: nodes 1 and 2 tie at 4, lower
  // wins) (2,1,4); t=10 J0 ends (4,1,4).
  // best-fit: t=20 J2 -> node 1, the fullest with room, GPU 7 (4,0,4);
  //   t=30 J3 -> node 0 {0..3} (tie with node 2) (0,0,4); t=40 J4 -> node 2
  //   {8..11}, one node: ends 140.
  // first-fit: t=20 J2 -> node 0, GPU 0 (3,1,4); t=30 J3 -> node 2 {8..11}
  //   (3,1,0); t=40 J4 fits no node: spread over node 0 {1,2,3} and node 1
  //   {7}, ends 40 + 100 x 1.1 = 150.
  const Workload w = make_workload({{0, 2, 10}, {0, 3, 100}, {20, 1, 100}, {30, 4, 100}, {40, 4, 100}});
  const ClusterSpec c = uniform_cluster(3, 4);
  const RunResult best = run_policy("fifo", w, c, {}, with_placement("best-fit"));
  check_schedule(best, {{0, 10, {0, 1}},
                        {0, 100, {4, 5, 6}},
                        {20, 120, {7}},
                        {30, 130, {0, 1, 2, 3}},
                        {40, 140, {8, 9, 10, 11}}});
  const RunResult first = run_policy("fifo", w, c, {}, with_placement("first-fit"));
  check_schedule(first, {{0, 10, {0, 1}},
                         {0, 100, {4, 5, 6}},
                         {20, 120, {0}},
                         {30, 130, {8, 9, 10, 11}},
                         {40, 40 + 100 * 1.1, {1, 2, 3, 7}}});
}

TEST_CASE("spread golden: the emptiest node, ties to the lowest") {
  // fifo on 2 nodes x 4 GPUs, all jobs at t=0, 1 GPU each, work 100, 50, 20.
  // spread: J0 -> node 0 (tie 4/4) GPU 0 (3,4); J1 -> node 1 GPU 4 (3,3);
  //   J2 -> node 0 (tie 3/3) GPU 1.
  // best-fit: J0 -> node 0 GPU 0 (3,4); J1 -> node 0 GPU 1 (2,4); J2 -> node 0 GPU 2.
  const Workload w = make_workload({{0, 1, 100}, {0, 1, 50}, {0, 1, 20}});
  const ClusterSpec c = uniform_cluster(2, 4);
  check_schedule(run_policy("fifo", w, c, {}, with_placement("spread")),
                 {{0, 100, {0}}, {0, 50, {4}}, {0, 20, {1}}});
  check_schedule(run_policy("fifo", w, c, {}, with_placement("best-fit")),
                 {{0, 100, {0}}, {0, 50, {1}}, {0, 20, {2}}});
}

TEST_CASE("best-fit and spread: heterogeneous types, constraints and shares keep every invariant") {
  const ClusterSpec cluster = mixed_test_cluster();
  SyntheticSpec s;
  s.jobs = 150;
  s.load = 1.2;
  s.gpu_counts = {1, 2, 4, 8, 16};
  s.gpu_count_weights = {0.5, 0.2, 0.15, 0.1, 0.05};
  s.share_fraction = 0.2;
  s.gpu_type_choices = {"fast"};
  s.gpu_type_fraction = 0.2;
  for (const char* placement : {"best-fit", "spread"}) {
    for (const char* policy : {"fifo", "easy-backfill", "las", "priority", "min-min"}) {
      for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        CAPTURE(std::string(placement));
        CAPTURE(std::string(policy));
        CAPTURE(seed);
        const Workload w = generate_synthetic(s, cluster, seed);
        EngineOptions options;
        options.seed = seed;
        const RunResult r = run_policy(policy, w, cluster, options, with_placement(placement));
        check_every_job_ends_once(r, w);
        CHECK(r.summary.jobs_rejected == 0);
      }
    }
  }
}
