// The GA's LP seed (policies/bound/lp_seed.h) and the start options around it:
// the rounded schedule on instances whose LP solution is derived by hand (whole,
// split, split with ready times), its rounding guarantee and validity on random
// instances (gangs and type restrictions too), the GA's perturbed copies of an
// initial assignment, the ILS started from a given schedule, and the
// process-CPU-time budgets of both.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "policies/bound/lp_bound.h"
#include "policies/bound/lp_seed.h"
#include "policies/ga/etc_heuristics.h"
#include "policies/ga/etc_instance.h"
#include "policies/ga/fitness.h"
#include "policies/ga/ga.h"
#include "policies/ga/ga_internal.h"
#include "policies/ga/ils.h"

using namespace fastgpu::ga;
using fastgpu::bound::lp_rounded_assignment;
using fastgpu::bound::LpSeed;

namespace {

double makespan_of(const EtcInstance& inst, const std::vector<std::uint32_t>& a) {
  return inst.to_time(evaluate(inst, a, CostModel{}).makespan);
}

std::uint64_t xorshift(std::uint64_t& x) {
  x ^= x << 13, x ^= x >> 7, x ^= x << 17;
  return x;
}

}  // namespace

TEST_CASE("lp seed: hand-derived LP solutions, whole and split") {
  // Each task is 100x faster on its own machine: the LP optimum 2 is unique
  // and whole, so the rounding is that assignment.
  const EtcInstance whole = make_instance(4, 2, {1, 100, 100, 1, 1, 100, 100, 1});
  const LpSeed a = lp_rounded_assignment(whole);
  CHECK(a.assignment == std::vector<std::uint32_t>{0, 1, 0, 1});
  CHECK(a.split_tasks == 0);
  CHECK(a.lp_objective == doctest::Approx(2.0).epsilon(1e-9));

  // One task of 2 on two equal machines: the LP splits it half and half (C = 1);
  // both slots finish at 2, equal shares, so the first slot.
  const LpSeed b = lp_rounded_assignment(make_instance(1, 2, {2, 2}));
  CHECK(b.assignment == std::vector<std::uint32_t>{0});
  CHECK(b.split_tasks == 1);
  CHECK(b.lp_objective == doctest::Approx(1.0).epsilon(1e-9));

  // Ready times 2 and 0, a task of 4 on either: 2 + 4x = 4(1 - x) gives x = 1/4
  // on machine 0 and C = 3. Rounded: machine 0 would finish at 6, machine 1 at 4.
  const EtcInstance ready = make_instance(1, 2, {4, 4}, {2, 0});
  const LpSeed c = lp_rounded_assignment(ready);
  CHECK(c.assignment == std::vector<std::uint32_t>{1});
  CHECK(c.split_tasks == 1);
  CHECK(c.lp_objective == doctest::Approx(3.0).epsilon(1e-9));
  CHECK(makespan_of(ready, c.assignment) == 4.0);
}

TEST_CASE("lp seed: within the split tasks' ETCs of the LP optimum, valid with gangs and restricted slots") {
  std::uint64_t x = 0xC0FFEEull;
  for (int round = 0; round < 20; ++round) {
    const std::uint32_t T = 20 + round * 7, M = 2 + round % 6;
    std::vector<double> etc(std::size_t(T) * M), ready(M);
    for (double& e : etc) e = 1 + double(xorshift(x) % 500);
    for (double& r : ready) r = double(xorshift(x) % 40);
    const EtcInstance inst = make_instance(T, M, etc, ready);
    const LpSeed s = lp_rounded_assignment(inst);
    REQUIRE(valid_assignment(inst, s.assignment));
    // A split task finishes no later than on one of its LP machines, whose whole
    // tasks load it to at most the LP optimum: so the makespan is at most the
    // optimum plus the split tasks' ETCs, at most split_tasks x the largest ETC.
    double largest = 0;
    for (Ticks e : inst.etc) largest = std::max(largest, inst.to_time(e));
    const double mk = makespan_of(inst, s.assignment);
    INFO("round ", round, ": makespan ", mk, ", LP ", s.lp_objective, ", split ", s.split_tasks);
    CHECK(s.split_tasks + 1 <= M);  // a basic solution splits at most M - 1 tasks
    CHECK(mk >= fastgpu::bound::lp_makespan_bound(inst).value);
    CHECK(mk <= s.lp_objective * (1 + 1e-9) + s.split_tasks * largest);
  }
  // Gangs of width 1, 2 and 4 on two nodes of 4 machines.
  for (int round = 0; round < 4; ++round) {
    EtcSpec spec;
    spec.tasks = 16;
    spec.machines = 8;
    for (std::uint32_t t = 0; t < spec.tasks; ++t) {
      spec.width.push_back(std::uint32_t{1} << (xorshift(x) % 3));
      for (std::uint32_t m = 0; m < 8; ++m) spec.etc.push_back(1 + double(xorshift(x) % 30));
    }
    const EtcInstance inst = make_instance(spec);
    CHECK(valid_assignment(inst, lp_rounded_assignment(inst).assignment));
  }
}

TEST_CASE("ga perturb_initial: the perturbed copies start from the first initial assignment") {
  const EtcInstance inst = make_instance(6, 3, {1, 2, 3, 3, 2, 1, 2, 2, 2, 1, 3, 2, 4, 1, 1, 2, 5, 3});
  const std::vector<std::uint32_t> start{2, 2, 1, 0, 0, 1};
  GaParams p = memetic_params();
  p.population = 8;
  p.islands = 2;
  p.initial_assignments = {start};
  p.perturb_rate = 0;  // copies without changes
  GaSetup s = prepare_ga(inst, p);
  REQUIRE(s.seeded.size() == 8);
  CHECK(s.seeded[0] == min_min(inst).assignment);
  CHECK(s.seeded[1] == least_loaded(inst).assignment);
  CHECK(s.seeded[2] == start);
  for (std::size_t k = 3; k < 8; ++k) CHECK(s.seeded[k] == min_min(inst).assignment);
  p.perturb_initial = true;
  s = prepare_ga(inst, p);
  for (std::size_t k = 3; k < 8; ++k) CHECK(s.seeded[k] == start);
  // Perturbed: every gene is still an allowed slot, and the draws are the same
  // whatever the base (stream kStreamPerturb keyed by the individual).
  p.perturb_rate = 0.5;
  s = prepare_ga(inst, p);
  GaParams q = p;
  q.perturb_initial = false;
  const GaSetup mm = prepare_ga(inst, q);
  for (std::size_t k = 3; k < 8; ++k) {
    REQUIRE(valid_assignment(inst, s.seeded[k]));
    for (std::uint32_t t = 0; t < 6; ++t)  // a gene differs from its base only where it was redrawn
      if (s.seeded[k][t] != start[t]) CHECK(s.seeded[k][t] == mm.seeded[k][t]);
  }
}

TEST_CASE("iterated local search: from a given start, and the start is checked") {
  const EtcInstance inst = make_instance(4, 2, {1, 100, 100, 1, 1, 100, 100, 1});
  IlsParams p;
  p.iterations = 50;
  p.start = {0, 1, 0, 1};  // the optimum, makespan 2: nothing may replace it with a worse one
  const IlsResult r = run_ils(inst, p);
  CHECK(inst.to_time(r.makespan) == 2.0);
  CHECK(r.improvements.size() == 1);
  p.start = {0, 1, 0, 2};  // machine 2 does not exist
  CHECK_THROWS_AS(run_ils(inst, p), std::invalid_argument);
}

TEST_CASE("cpu time budgets: the GA and the ILS stop on process CPU time") {
  std::vector<double> etc(200 * 8);
  for (std::size_t i = 0; i < etc.size(); ++i) etc[i] = double((i * 37 + 11) % 97 + 1);
  const EtcInstance inst = make_instance(200, 8, etc);
  GaParams p = memetic_params();
  p.generations = 100000000;
  p.cpu_time_limit_seconds = 0.05;
  p.backend = Backend::cpu;
  p.threads = 1;
  const GaResult r = run_ga(inst, p);
  CHECK(r.stop == StopReason::time_limit);
  CHECK(r.generations_run < 100000000);
  p.cpu_time_limit_seconds = -1;
  CHECK_THROWS_AS(run_ga(inst, p), std::invalid_argument);
  IlsParams ip;
  ip.iterations = 0xFFFFFFFFu;
  ip.cpu_time_limit_seconds = 0.05;
  CHECK(run_ils(inst, ip).iterations < 0xFFFFFFFFu);
}
