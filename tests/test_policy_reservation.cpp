// reservation: golden schedules derived by hand for EWMA and quantile sizing,
// hits and misses, reserved-idle GPU-seconds, and parameter checks.
#include <doctest/doctest.h>

#include "engine_fixtures.h"
#include "sim/error.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

namespace {

struct PJob {
  Seconds submit;
  std::uint32_t gpus;
  double work;
  std::int32_t priority;
};

Workload prioritized(std::initializer_list<PJob> specs) {
  Workload w;
  w.name = "test";
  std::int64_t id = 0;
  for (const PJob& s : specs) {
    w.jobs.push_back(Job{.id = id++, .submit = s.submit, .num_gpus = s.gpus, .work = s.work, .priority = s.priority});
  }
  w.finalize("test");
  return w;
}

EngineOptions every_10s() {
  EngineOptions o;
  o.monitor_interval = 10;
  return o;
}

}  // namespace

TEST_CASE("reservation golden: EWMA sizing, protected jobs first on reserved GPUs") {
  // 1 node x 4 GPUs, monitor every 10 s. alpha 0.5, initial 2, cap 0.5 x 4 = 2:
  // GPUs 2 and 3 (the highest numbered) are reserved from the start.
  //   N1 (0, 2 GPUs, 20, prio 0)  N2 (1, 1 GPU, 5, prio 0)
  //   P1 (2, 1 GPU, 10, prio 5)   P2 (3, 2 GPUs, 4, prio 5)
  // t=0  N1 (normal) -> unreserved GPUs 0,1; runs 0-20.
  // t=1  N2 (normal): no unreserved GPU free (2, 3 are reserved): waits.
  // t=2  P1 (protected) -> reserved GPU 2, runs 2-12: a hit.
  // t=3  P2 needs 2: only GPU 3 is free anywhere: waits, a miss.
  // t=10 demand = P1 running (1) + P2 pending (2) = 3; EWMA 0.5x3 + 0.5x2 =
  //      2.5 -> 3 GPUs (nearest, halves up), capped at 2: unchanged.
  // t=12 P1 ends: P2 -> reserved GPUs 2,3, runs 12-16.
  // t=20 N1 ends; sample: demand 0, EWMA 1.25 -> 1 GPU: GPU 2 is released.
  //      N2 -> GPU 0 (first fit among unreserved 0-2), 20-25.
  // t=25 N2 ends, the last event: the run ends here, with a last sample
  //      over 20-25: EWMA 0.625 -> 1 GPU: unchanged.
  // Reserved idle: GPU 2 idle 0-2 and 16-20 (6 s), GPU 3 idle 0-12 and
  // 16-25 (21 s): 27 GPU-seconds.
  const Workload w = prioritized({{0, 2, 20, 0}, {1, 1, 5, 0}, {2, 1, 10, 5}, {3, 2, 4, 5}});
  const RawParams params{{"alpha", {0.5, {}}}, {"initial", {2.0, {}}}, {"priority_threshold", {std::int64_t{5}, {}}}};
  const RunResult r = run_policy("reservation", w, uniform_cluster(1, 4), every_10s(), params);
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 20);
  CHECK(gpus(r, 0) == V{0, 1});
  CHECK(r.jobs[1].first_start == 20);
  CHECK(r.jobs[1].end == 25);
  CHECK(gpus(r, 1) == V{0});
  CHECK(r.jobs[2].first_start == 2);
  CHECK(r.jobs[2].end == 12);
  CHECK(gpus(r, 2) == V{2});
  CHECK(r.jobs[3].first_start == 12);
  CHECK(r.jobs[3].end == 16);
  CHECK(gpus(r, 3) == V{2, 3});
  CHECK(r.summary.reservation_hits == 1);
  CHECK(r.summary.reservation_misses == 1);
  CHECK(r.summary.reserved_idle_gpu_seconds == doctest::Approx(27));
  CHECK(r.jobs[2].on_reserved);
  CHECK(r.jobs[3].on_reserved);
  CHECK_FALSE(r.jobs[0].on_reserved);
  CHECK_FALSE(r.jobs[1].on_reserved);
  CHECK(r.attributes.at("reserved_gpus_peak") == "2");
  CHECK(r.attributes.at("reserved_gpus_final") == "1");
  // Without the reservation (fifo), N2 would start at once on GPU 2.
  const RunResult f = run_policy("fifo", w, uniform_cluster(1, 4), every_10s());
  CHECK(f.jobs[1].first_start == 1);
}

TEST_CASE("reservation golden: quantile sizing over a sliding window") {
  // 1 node x 4 GPUs, monitor every 10 s; median (quantile 0.5) of the demand
  // samples of the last 30 s, no cap, nothing reserved at first.
  //   P1 (0, 3 GPUs, 25, prio 1)  N1 (11, 1 GPU, 5, prio 0)
  // t=0  nothing reserved: P1 spills onto GPUs 0-2 (a miss), runs 0-25.
  // t=10 demand 3 -> samples {3}: median 3: GPUs 3, 2, 1 reserved (2 and 1
  //      still busy with P1).
  // t=11 N1: GPU 0 busy, 1-3 reserved: waits.
  // t=20 samples {3, 3}: still 3.
  // t=25 P1 ends: N1 -> GPU 0 (unreserved), 25-30.
  // t=30 samples {3, 3, 0}: median (nearest rank 2 of 3) = 3.
  // Reserved idle: GPU 3 10-30 (20 s), GPUs 1 and 2 25-30 (5 s each): 30.
  const Workload w = prioritized({{0, 3, 25, 1}, {11, 1, 5, 0}});
  const RawParams params{{"sizing", {std::string("quantile"), {}}},
                         {"quantile", {0.5, {}}},
                         {"window", {30.0, {}}},
                         {"max_fraction", {1.0, {}}}};
  const RunResult r = run_policy("reservation", w, uniform_cluster(1, 4), every_10s(), params);
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 25);
  CHECK(gpus(r, 0) == V{0, 1, 2});
  CHECK(r.jobs[1].first_start == 25);
  CHECK(r.jobs[1].end == 30);
  CHECK(gpus(r, 1) == V{0});
  CHECK(r.summary.reservation_hits == 0);
  CHECK(r.summary.reservation_misses == 1);
  CHECK(r.summary.reserved_idle_gpu_seconds == doctest::Approx(30));
  CHECK(r.attributes.at("reserved_gpus_peak") == "3");
}

TEST_CASE("reservation: a normal job held back on an idle cluster waits for the reservation to shrink") {
  // 1 node x 2 GPUs, everything reserved at first (initial 2, no cap) and the
  // only job is normal and needs both GPUs. Nothing runs, so the policy wakes
  // itself at each sample while the EWMA (alpha 0.2) decays with no demand:
  // t=10 1.6 -> 2 GPUs; t=20 1.28 -> 1 (GPU 0 released); t=30 1.024, t=40
  // 0.8192, t=50 0.65536, t=60 0.524288 -> 1; t=70 0.4194 -> 0: the job
  // starts at 70 and ends at 75.
  const Workload w = prioritized({{0, 2, 5, 0}});
  const RawParams params{{"initial", {2.0, {}}}, {"max_fraction", {1.0, {}}}};
  const RunResult r = run_policy("reservation", w, uniform_cluster(1, 2), every_10s(), params);
  CHECK(r.jobs[0].first_start == 70);
  CHECK(r.jobs[0].end == 75);
}

TEST_CASE("reservation: parameters are checked") {
  CHECK_THROWS_AS(builtin_policies().create("reservation", {{"sizing", {std::string("median"), {}}}}), InputError);
  CHECK_THROWS_AS(builtin_policies().create("reservation", {{"alpha", {0.0, {}}}}), InputError);
  CHECK_THROWS_AS(builtin_policies().create("reservation", {{"max_fraction", {1.5, {}}}}), InputError);
  CHECK_THROWS_AS(builtin_policies().create("reservation", {{"quantile", {-0.1, {}}}}), InputError);
}
