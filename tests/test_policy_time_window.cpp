// time-window: golden EDF schedules with admission control and preemption,
// derived by hand, and the EDF optimality property on feasible single-GPU
// instances built by construction.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "engine_fixtures.h"
#include "sim/error.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

namespace {

struct WJob {
  Seconds submit;
  std::uint32_t gpus;
  double work;
  Seconds deadline;
  Seconds earliest_start;
};

Workload windowed(std::initializer_list<WJob> specs) {
  Workload w;
  w.name = "test";
  std::int64_t id = 0;
  for (const WJob& s : specs) {
    w.push_job(Job{.id = id++, .submit = s.submit, .num_gpus = s.gpus, .work = s.work, .deadline = s.deadline},
               {.earliest_start = s.earliest_start});
  }
  w.finalize("test");
  return w;
}

// 1 node x 2 GPUs. (submit, GPUs, work, deadline, earliest start):
//   A (0, 2, 10, 100)   B (2, 1, 4, 12)   C (3, 1, 5, 7)
//   D (1, 1, 2, none, window opens at 5)   E (6, 1, 3, 30)
// Job indexes after finalize (sorted by submit): A 0, D 1, B 2, C 3, E 4.
Workload five_jobs() {
  return windowed({{0, 2, 10, 100, 0}, {2, 1, 4, 12, 0}, {3, 1, 5, 7, 0}, {1, 1, 2, kNever, 5}, {6, 1, 3, 30, 0}});
}
constexpr JobIndex A = 0, D = 1, B = 2, C = 3, E = 4;

EngineOptions costs() {
  EngineOptions o;
  o.checkpoint_seconds = 2;
  o.restore_seconds = 3;
  return o;
}

}  // namespace

TEST_CASE("time-window golden: EDF with admission control (reject) and preemption") {
  // t=0  A starts on GPUs 0,1 (would end 10).
  // t=2  B (deadline 12): nothing ahead, A (deadline 100) could be preempted:
  //      estimated finish 2 + 4 = 6 <= 12, admitted. B does not fit: A is
  //      preempted (8 left), holding its GPUs for the 2 s checkpoint.
  // t=3  C (deadline 7): nothing ahead of it, no GPU free or preemptible:
  //      estimated finish 3 + 5 = 8 > 7: rejected.
  // t=4  A is pending again. EDF: B -> GPU 0, runs 4-8. A needs 2: waits.
  // t=5  D's window opens; D (no deadline) queues behind A.
  // t=6  E (deadline 30): nothing ahead, GPU 1 free: finish 9 <= 30,
  //      admitted; E -> GPU 1, runs 6-9.
  // t=8  B ends; A still needs 2.   t=9 E ends: A restarts on 0,1, restores
  //      for 3 s, progresses from 12 and ends at 20. t=20 D runs 20-22 on 0.
  const RunResult r = run_policy("time-window", five_jobs(), uniform_cluster(1, 2), costs());
  CHECK(r.jobs[A].first_start == 0);
  CHECK(r.jobs[A].end == 20);
  CHECK(r.jobs[A].preemptions == 1);
  CHECK(gpus(r, A) == V{0, 1});
  // A held both GPUs 0-4 (2 s running + 2 s checkpoint) and 9-20.
  CHECK(r.jobs[A].gpu_seconds == doctest::Approx(2 * 4 + 2 * 11));
  CHECK(r.jobs[B].first_start == 4);
  CHECK(r.jobs[B].end == 8);
  CHECK(gpus(r, B) == V{0});
  CHECK(r.jobs[B].deadline_met == 1);
  CHECK(r.jobs[C].outcome == JobOutcome::rejected);
  CHECK(r.jobs[C].end == 3);
  CHECK(r.reject_reasons[r.jobs[C].reject_reason] ==
        "deadline cannot be met: estimated finish after the deadline at arrival");
  CHECK(r.jobs[D].first_start == 20);
  CHECK(r.jobs[D].end == 22);
  CHECK(gpus(r, D) == V{0});
  CHECK(r.jobs[E].first_start == 6);
  CHECK(r.jobs[E].end == 9);
  CHECK(gpus(r, E) == V{1});
  CHECK(r.jobs[E].deadline_met == 1);
  CHECK(r.jobs[A].deadline_met == 1);
  CHECK(r.summary.jobs_rejected == 1);
  CHECK(r.summary.deadline_misses == 1);  // the rejected C
}

TEST_CASE("time-window golden: run-late admits the infeasible job and counts the miss") {
  // As above until t=3, where C is admitted although its estimate (8) is past 7.
  // t=4  A pending again. EDF: C (7) -> GPU 0, runs 4-9; B (12) -> GPU 1,
  //      runs 4-8; A waits.  t=5 D queues behind A.
  // t=6  E (30): nothing ahead; no GPU free and nothing with a later deadline
  //      to preempt; running jobs ahead: C (3 left) + B (2 left) = 5 GPU-s over
  //      2 GPUs: start 8.5, finish 11.5 <= 30: admitted, waits (head of queue).
  // t=8  B ends: E -> GPU 1, runs 8-11.  t=9 C ends (late: deadline 7).
  // t=11 E ends: A restarts on 0,1: progress from 14, ends 22. D: 22-24 on 0.
  const RunResult r = run_policy("time-window", five_jobs(), uniform_cluster(1, 2), costs(),
                                 {{"on_infeasible", {std::string("run-late"), {}}}});
  CHECK(r.jobs[A].end == 22);
  CHECK(r.jobs[A].preemptions == 1);
  CHECK(r.jobs[C].first_start == 4);
  CHECK(r.jobs[C].end == 9);
  CHECK(gpus(r, C) == V{0});
  CHECK(r.jobs[C].deadline_met == 0);
  CHECK(r.jobs[B].first_start == 4);
  CHECK(r.jobs[B].end == 8);
  CHECK(gpus(r, B) == V{1});
  CHECK(r.jobs[E].first_start == 8);
  CHECK(r.jobs[E].end == 11);
  CHECK(gpus(r, E) == V{1});
  CHECK(r.jobs[D].first_start == 22);
  CHECK(r.jobs[D].end == 24);
  CHECK(r.summary.jobs_rejected == 0);
  CHECK(r.summary.deadline_misses == 1);
  CHECK(r.attributes.at("tw_admitted_infeasible") == "1");
}

TEST_CASE("time-window golden: without preemption B waits for A") {
  // t=2 B: A keeps running (8 s left on 2 GPUs = 16 GPU-s ahead): estimated
  // start 2 + 16 / 2 = 10, finish 14 > 12: rejected. C at 3: start 3 + 14 / 2
  // = 10, finish 15 > 7: rejected. E at 6: 8 GPU-s ahead: start 10, finish
  // 13 <= 30: admitted. D's window opens at 5; it waits for A too.
  // t=10 A ends; E (30) -> GPU 0, runs 10-13; D (no deadline) -> GPU 1, 10-12.
  const RunResult r =
      run_policy("time-window", five_jobs(), uniform_cluster(1, 2), costs(), {{"preemptive", {false, {}}}});
  CHECK(r.jobs[A].end == 10);
  CHECK(r.jobs[A].preemptions == 0);
  CHECK(r.jobs[B].outcome == JobOutcome::rejected);
  CHECK(r.jobs[C].outcome == JobOutcome::rejected);
  CHECK(r.jobs[E].first_start == 10);
  CHECK(r.jobs[E].end == 13);
  CHECK(gpus(r, E) == V{0});
  CHECK(r.jobs[D].first_start == 10);
  CHECK(r.jobs[D].end == 12);
  CHECK(gpus(r, D) == V{1});
}

TEST_CASE("time-window: EDF meets every deadline on feasible single-GPU instances") {
  // Instances feasible by construction: jobs are laid out back to back on one
  // GPU in a random order with random idle gaps; each is released at a random
  // time up to its start in that schedule (and its window opens at a random
  // time up to it) and gets a deadline at or after its end there. Preemptive
  // EDF with free preemption is optimal on one machine (Dertouzos 1974), so it
  // meets every deadline, and the admission test (exact on one GPU, oracle
  // estimates) admits every job. Integer times keep the arithmetic exact.
  EngineOptions o;
  o.checkpoint_seconds = 0;
  o.restore_seconds = 0;
  std::uint64_t preempted = 0;
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int n = uniform(3, 12);
    Workload w;
    w.name = "feasible";
    int t = 0;
    for (int i = 0; i < n; ++i) {
      t += uniform(0, 1) ? 0 : uniform(1, 5);  // idle gap, sometimes
      const int work = uniform(1, 10);
      const int start = t, end = t + work;
      t = end;
      const int release = uniform(std::max(0, start - 15), start);
      const int window = uniform(0, 1) ? release : uniform(release, start);
      const int deadline = end + (uniform(0, 2) == 0 ? 0 : uniform(0, 20));
      w.push_job(Job{.id = i,
                     .submit = double(release),
                     .num_gpus = 1,
                     .work = double(work),
                     .deadline = double(deadline)},
                 {.earliest_start = double(window)});
    }
    w.finalize("test");
    const RunResult r = run_policy("time-window", w, uniform_cluster(1, 1), o);
    for (const JobRecord& rec : r.jobs) {
      CHECK(rec.outcome == JobOutcome::finished);
      CHECK(rec.end <= rec.deadline);
      CHECK(rec.deadline_met == 1);
    }
    CHECK(r.summary.deadline_misses == 0);
    preempted += r.summary.preemptions;
  }
  CHECK(preempted > 0);  // the instances do exercise preemption
}

TEST_CASE("time-window: parameters are checked") {
  CHECK_THROWS_AS(builtin_policies().create("time-window", {{"on_infeasible", {std::string("drop"), {}}}}), InputError);
  CHECK_THROWS_AS(builtin_policies().create("time-window", {{"deadline", {1.0, {}}}}), InputError);
}
