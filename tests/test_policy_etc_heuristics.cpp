// The heterogeneity heuristics (min-min, max-min, sufferage, mct, met):
// golden online schedules derived by hand on a slow + fast GPU pair, the
// pool model for gangs, and a cross-check of the batch mapper against the GA's
// independent ETC implementation (policies/ga/etc_heuristics.h).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "engine_fixtures.h"
#include "policies/etc_batch.h"
#include "policies/ga/etc_heuristics.h"
#include "sim/error.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

namespace {

// GPU 0: type "slow" (speed 1), GPU 1: type "fast" (speed 2), one node each.
ClusterSpec slow_fast() {
  ClusterSpec c;
  c.gpu_types = {GpuType{.name = "slow", .speed = 1.0}, GpuType{.name = "fast", .speed = 2.0}};
  c.node_groups = {NodeGroup{.name = "s", .count = 1, .gpus_per_node = 1, .gpu_type = 0},
                   NodeGroup{.name = "f", .count = 1, .gpus_per_node = 1, .gpu_type = 1}};
  return c;
}

// All at t=0, 1 GPU: j0 work 6, j1 work 2, j2 work 9. ETC (slow, fast):
// j0 (6, 3), j1 (2, 1), j2 (9, 4.5).
Workload three_jobs() { return make_workload({{0, 1, 6}, {0, 1, 2}, {0, 1, 9}}); }

struct Expect {
  Seconds start, end;
  GpuIndex gpu;
};

void check_schedule(const std::string& policy, const std::vector<Expect>& expect, Seconds makespan) {
  CAPTURE(policy);
  const RunResult r = run_policy(policy, three_jobs(), slow_fast());
  for (JobIndex j = 0; j < expect.size(); ++j) {
    CAPTURE(j);
    CHECK(r.jobs[j].first_start == expect[j].start);
    CHECK(r.jobs[j].end == expect[j].end);
    CHECK(gpus(r, j) == V{expect[j].gpu});
  }
  CHECK(r.summary.makespan == makespan);
}

}  // namespace

TEST_CASE("met golden: every job to its fastest type, ignoring load") {
  // All three map to fast (ETC 3, 1, 4.5 < 6, 2, 9), queued there in arrival
  // order: j0 0-3, j1 3-4, j2 4-8.5. Only the job whose GPU is free now starts;
  // the mapping is redone at 3 and 4 with the same result. The slow GPU idles.
  check_schedule("met", {{0, 3, 1}, {3, 4, 1}, {4, 8.5, 1}}, 8.5);
}

TEST_CASE("mct golden: arrival order, earliest completion") {
  // t=0 j0: slow 6, fast 3 -> fast 0-3. j1: slow 0+2 = 2, fast 3+1 = 4 -> slow
  //     0-2. j2: slow 2+9 = 11, fast 3+4.5 = 7.5 -> fast 3-7.5 (not yet).
  //     j0 and j1 start.
  // t=2 j2: slow 11, fast (ready 3) 7.5 -> fast, not free: waits.
  // t=3 j2: slow 12, fast 7.5 -> starts on fast, ends 7.5.
  check_schedule("mct", {{0, 3, 1}, {0, 2, 0}, {3, 7.5, 1}}, 7.5);
}

TEST_CASE("min-min golden: smallest best completion first") {
  // t=0 best completions: j0 3 (fast), j1 1 (fast), j2 4.5 (fast): j1 -> fast
  //     0-1. Then j0: slow 6, fast 1+3 = 4; j2: slow 9, fast 5.5: j0 -> fast
  //     1-4. Then j2: slow 9, fast 8.5 -> fast. Only j1 starts now.
  // t=1 j0: slow 7, fast 4; j2: slow 10, fast 5.5: j0 -> fast, starts. j2 -> fast 4-8.5.
  // t=4 j2: slow 13, fast 8.5 -> fast, starts. The slow GPU is never used.
  check_schedule("min-min", {{1, 4, 1}, {0, 1, 1}, {4, 8.5, 1}}, 8.5);
}

TEST_CASE("max-min golden: largest best completion first") {
  // t=0 best completions j0 3, j1 1, j2 4.5: j2 -> fast 0-4.5. Then j0: slow 6,
  //     fast 7.5; j1: slow 2, fast 5.5; largest best is j0 (6) -> slow 0-6.
  //     Then j1: slow 8, fast 5.5 -> fast 4.5-5.5. j2 and j0 start.
  // t=4.5 j1: slow (ready 6) 8, fast 5.5 -> fast, starts.
  check_schedule("max-min", {{0, 6, 0}, {4.5, 5.5, 1}, {0, 4.5, 1}}, 6);
}

TEST_CASE("sufferage golden: the job that loses most without its best type first") {
  // t=0 sufferage (second - best): j0 6-3 = 3, j1 2-1 = 1, j2 9-4.5 = 4.5: j2 ->
  //     fast 0-4.5. Then j0: slow 6, fast 7.5 (suffers 1.5); j1: slow 2, fast
  //     5.5 (suffers 3.5): j1 -> slow 0-2. Then j0: slow 8, fast 7.5 -> fast.
  //     j2 and j1 start.
  // t=2 j0: slow 8, fast (ready 4.5) 7.5 -> fast, waits.
  // t=4.5 j0: slow 10.5, fast 7.5 -> starts on fast.
  check_schedule("sufferage", {{4.5, 7.5, 1}, {0, 2, 0}, {0, 4.5, 1}}, 7.5);
}

TEST_CASE("etc batch mapper: gangs take the k earliest-ready GPUs of one type") {
  // Type 0 has GPUs ready at 0, 0, 5; type 1 at 2, 2. Task 0 (width 2, ETC 10
  // on type 0, 3 on type 1), task 1 (width 1, ETC 4 / 4).
  // MCT: task 0: type 0 starts at its 2nd earliest (0) -> 10; type 1 at 2 ->
  // 5: type 1, 2-5, pool 1 = {5, 5}. Task 1: type 0 at 0 -> 4; type 1 at 5 ->
  // 9: type 0, 0-4.
  EtcBatchProblem p;
  p.tasks = 2;
  p.types = 2;
  p.etc = {10, 3, 4, 4};
  p.width = {2, 1};
  p.ready = {{0, 0, 5}, {2, 2}};
  const EtcBatchMapping m = map_batch(EtcHeuristic::mct, p);
  CHECK(m.type == std::vector<std::uint32_t>{1, 0});
  CHECK(m.start == std::vector<double>{2, 0});
  CHECK(m.finish == std::vector<double>{5, 4});
  // Min-Min: best completions task 0: 5 (type 1), task 1: 4 (type 0): task 1
  // first -> type 0 pool {4, 0, 5} sorted {0, 4, 5}... task 0 then: type 0 2nd
  // earliest = 4 -> 14, type 1 -> 5: type 1.
  const EtcBatchMapping mm = map_batch(EtcHeuristic::min_min, p);
  CHECK(mm.sequence == std::vector<std::uint32_t>{1, 0});
  CHECK(mm.type == std::vector<std::uint32_t>{1, 0});
  // A task wider than every pool is left unmapped.
  p.width = {4, 1};
  const EtcBatchMapping wide = map_batch(EtcHeuristic::min_min, p);
  CHECK(wide.type[0] == EtcBatchMapping::kUnmapped);
  CHECK(wide.type[1] == 0);
}

TEST_CASE("etc batch mapper agrees with the GA's ETC heuristics on one GPU per type") {
  // With one GPU per type the pool model is the classic machine model, so the
  // two independent implementations must give the same mapping and times.
  // Integer ETCs and ready times keep both exact.
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    const std::uint32_t tasks = std::uniform_int_distribution<std::uint32_t>(1, 12)(rng);
    const std::uint32_t machines = std::uniform_int_distribution<std::uint32_t>(1, 5)(rng);
    std::vector<double> etc(tasks * machines), ready(machines);
    for (double& e : etc) e = std::uniform_int_distribution<int>(1, 30)(rng);
    for (double& r : ready) r = std::uniform_int_distribution<int>(0, 10)(rng);
    const ga::EtcInstance inst = ga::make_instance(tasks, machines, etc, ready);
    EtcBatchProblem p;
    p.tasks = tasks;
    p.types = machines;
    p.etc = etc;
    p.width.assign(tasks, 1);
    for (double r : ready) p.ready.push_back({r});
    const std::pair<EtcHeuristic, ga::Heuristic> pairs[] = {{EtcHeuristic::min_min, ga::Heuristic::min_min},
                                                            {EtcHeuristic::max_min, ga::Heuristic::max_min},
                                                            {EtcHeuristic::sufferage, ga::Heuristic::sufferage},
                                                            {EtcHeuristic::mct, ga::Heuristic::mct},
                                                            {EtcHeuristic::met, ga::Heuristic::met}};
    for (auto [mine, theirs] : pairs) {
      CAPTURE(to_string(mine));
      const EtcBatchMapping m = map_batch(mine, p);
      const ga::HeuristicSchedule s = ga::run_heuristic(theirs, inst);
      CHECK(m.type == s.assignment);
      CHECK(m.sequence == s.sequence);
      for (std::uint32_t t = 0; t < tasks; ++t) CHECK(m.finish[t] == inst.to_time(s.finish[t]));
    }
  }
}

TEST_CASE("etc batch mapper: one task maps as in a batch whose other task fits nowhere") {
  // A batch of one task is mapped without the pools' copy; a second task that
  // no type can take (ETC +inf everywhere) sends the same first task through
  // the general mapping, which must choose the same type and times. Gangs,
  // pools too short for the gang, forbidden types and ties are all drawn.
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    auto draw = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    EtcBatchProblem one;
    one.tasks = 1;
    one.types = static_cast<std::uint32_t>(draw(1, 4));
    one.width = {static_cast<std::uint32_t>(draw(1, 4))};
    for (std::uint32_t t = 0; t < one.types; ++t) {
      one.etc.push_back(draw(0, 5) == 0 ? inf : draw(1, 6));
      std::vector<double> pool(static_cast<std::size_t>(draw(0, 5)));
      for (double& r : pool) r = draw(0, 6);
      std::sort(pool.begin(), pool.end());
      one.ready.push_back(pool);
    }
    EtcBatchProblem two = one;
    two.tasks = 2;
    two.width.push_back(1);
    two.etc.insert(two.etc.end(), one.types, inf);
    for (EtcHeuristic h : {EtcHeuristic::min_min, EtcHeuristic::max_min, EtcHeuristic::sufferage, EtcHeuristic::mct,
                           EtcHeuristic::met}) {
      CAPTURE(to_string(h));
      const EtcBatchMapping alone = map_batch(h, one), general = map_batch(h, two);
      CHECK(alone.type[0] == general.type[0]);
      CHECK(general.type[1] == EtcBatchMapping::kUnmapped);
      CHECK(alone.sequence == general.sequence);
      if (alone.type[0] == EtcBatchMapping::kUnmapped) {
        CHECK(std::isnan(alone.start[0]));
        CHECK(std::isnan(alone.finish[0]));
      } else {
        CHECK(alone.start[0] == general.start[0]);
        CHECK(alone.finish[0] == general.finish[0]);
      }
    }
  }
}

TEST_CASE("etc heuristics: gangs on a two-type cluster and parameters") {
  // 2 slow GPUs (one node) + 2 fast GPUs (one node). A gang of 2 (work 8) and
  // two 1-GPU jobs (work 2, 2), all at t=0, under mct:
  //   gang: slow 8, fast 4 -> fast GPUs 2,3, 0-4.
  //   j1: slow 0+2 = 2, fast 4+1 = 5 -> slow GPU 0, 0-2.
  //   j2: slow: pool {0 (GPU 1), 2} -> 0+2 = 2, fast 5 -> slow GPU 1, 0-2.
  ClusterSpec c;
  c.gpu_types = {GpuType{.name = "slow", .speed = 1.0}, GpuType{.name = "fast", .speed = 2.0}};
  c.node_groups = {NodeGroup{.name = "s", .count = 1, .gpus_per_node = 2, .gpu_type = 0},
                   NodeGroup{.name = "f", .count = 1, .gpus_per_node = 2, .gpu_type = 1}};
  const RunResult r = run_policy("mct", make_workload({{0, 2, 8}, {0, 1, 2}, {0, 1, 2}}), c);
  CHECK(gpus(r, 0) == V{2, 3});
  CHECK(r.jobs[0].end == 4);
  CHECK(gpus(r, 1) == V{0});
  CHECK(gpus(r, 2) == V{1});
  CHECK(r.jobs[1].end == 2);
  CHECK(r.jobs[2].end == 2);
  CHECK(r.attributes.at("etc_heuristic") == "mct");
  CHECK_THROWS_AS(builtin_policies().create("min-min", {{"batch", {std::int64_t{0}, {}}}}), InputError);
  CHECK_NOTHROW(builtin_policies().create("sufferage", {{"batch", {std::int64_t{64}, {}}}}));
}

namespace {

// 2 slow GPUs (node s: GPUs 0, 1; speed 1) and 2 fast GPUs (node f: GPUs 2, 3;
// speed 2). J0 (t=0, 2 GPUs, work 8), J1 (0, 1, 6), J2 (0, 1, 2), J3 (1, 1, 4).
// ETC (slow, fast): J0 (8, 4), J1 (6, 3), J2 (2, 1), J3 (4, 2). At t=0 each
// pool is {0, 0}; a type's pool holds at most the batch's total width.
ClusterSpec two_by_two() {
  ClusterSpec c;
  c.gpu_types = {GpuType{.name = "slow", .speed = 1.0}, GpuType{.name = "fast", .speed = 2.0}};
  c.node_groups = {NodeGroup{.name = "s", .count = 1, .gpus_per_node = 2, .gpu_type = 0},
                   NodeGroup{.name = "f", .count = 1, .gpus_per_node = 2, .gpu_type = 1}};
  return c;
}

void check_gang_schedule(const std::string& policy, const std::vector<Expect>& expect, const V& gang, Seconds makespan) {
  CAPTURE(policy);
  const RunResult r = run_policy(policy, make_workload({{0, 2, 8}, {0, 1, 6}, {0, 1, 2}, {1, 1, 4}}), two_by_two());
  CHECK(gpus(r, 0) == gang);
  for (JobIndex j = 0; j < expect.size(); ++j) {
    CAPTURE(j);
    CHECK(r.jobs[j].first_start == expect[j].start);
    CHECK(r.jobs[j].end == expect[j].end);
    if (j > 0) CHECK(gpus(r, j) == V{expect[j].gpu});
  }
  CHECK(r.summary.makespan == makespan);
}

}  // namespace

TEST_CASE("etc heuristics golden: a gang and a late arrival on 2 slow + 2 fast GPUs") {
  // mct (arrival order, earliest completion):
  //   t=0 J0: slow 8, fast 4 -> fast {4,4}. J1: slow 6, fast 7 -> slow {0,6}.
  //       J2: slow 2, fast 5 -> slow {2,6}. All start: J0 on 2,3 (0-4), J1 on
  //       GPU 0 (0-6), J2 on GPU 1 (0-2).
  //   t=1 J3 arrives; no GPU is free: nothing to decide.
  //   t=2 J2 ends. J3: slow {2} -> 6, fast {4} -> 6: tie, lower type: GPU 1, 2-6.
  check_gang_schedule("mct", {{0, 4, 0}, {0, 6, 0}, {0, 2, 1}, {2, 6, 1}}, V{2, 3}, 6);
  // max-min: t=0 best completions J0 4, J1 3, J2 1 (all fast): J0 -> fast 0-4.
  //   Then J1: slow 6, fast 7; J2: slow 2, fast 5: largest best is J1 -> slow
  //   {0,6}; J2 -> slow 0-2. Same starts as mct (J1 GPU 0, J2 GPU 1); t=2 as mct.
  check_gang_schedule("max-min", {{0, 4, 0}, {0, 6, 0}, {0, 2, 1}, {2, 6, 1}}, V{2, 3}, 6);
  // sufferage: t=0 sufferage J0 8-4 = 4, J1 6-3 = 3, J2 2-1 = 1: J0 -> fast
  //   0-4. Then J1: slow 6, fast 7 (suffers 1); J2: slow 2, fast 5 (suffers
  //   3): J2 -> slow 0-2, then J1 -> slow 0-6. Started in mapping order: J2 on
  //   GPU 0, J1 on GPU 1.  t=2 J2 ends: J3 ties 6/6 -> slow GPU 0, 2-6.
  check_gang_schedule("sufferage", {{0, 4, 0}, {0, 6, 1}, {0, 2, 0}, {2, 6, 0}}, V{2, 3}, 6);
  // min-min: t=0 best completions J0 4, J1 3, J2 1: J2 -> fast {0,1}. Then J0:
  //   slow 8, fast 1+4 = 5; J1: slow 6, fast 3: J1 -> fast {1,3}. Then J0 fast
  //   3+4 = 7 < slow 8: waits. J2 on GPU 2 (0-1), J1 on GPU 3 (0-3).
  //   t=1 J2 ends, J3 arrives. Pools slow {1,1}, fast {1 (GPU 2), 3 (J1)}.
  //       J0: slow 9, fast 7; J3: slow 5, fast 3: J3 -> fast 1-3 on GPU 2.
  //       J0: fast 3+4 = 7 < slow 9: waits.
  //   t=3 J1 and J3 end: J0 -> fast 3-7 on 2,3. The slow GPUs never run anything.
  check_gang_schedule("min-min", {{3, 7, 0}, {0, 3, 3}, {0, 1, 2}, {1, 3, 2}}, V{2, 3}, 7);
  // met: every job to fast (its least ETC), ignoring load.
  //   t=0 J0 fast 0-4 {4,4}; J1 fast 4-7; J2 fast 4-5: only J0 starts.
  //   t=1 J3 -> fast too (after J2: 5-7); nothing starts.
  //   t=4 J0 ends: J1 -> GPU 2 (4-7), J2 -> GPU 3 (4-5).   t=5 J3 -> GPU 3, 5-7.
  check_gang_schedule("met", {{0, 4, 0}, {4, 7, 2}, {4, 5, 3}, {5, 7, 3}}, V{2, 3}, 7);
}
