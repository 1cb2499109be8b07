// The LP lower bound on the makespan (policies/bound): its value on tiny
// instances whose LP optimum is derived by hand (fractional splits, ready
// times, a gang task, the single-task bound taking over), that it never
// exceeds the optimum found by enumerating every assignment nor any
// heuristic's or the GA's makespan, and the reference values on the two
// Braun et al. samples (../shared/data/braun-etc; skipped when absent).
#include "source_paths.h"
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "policies/bound/lp_bound.h"
#include "policies/ga/etc_heuristics.h"
#include "policies/ga/etc_instance.h"
#include "policies/ga/etc_io.h"
#include "policies/ga/fitness.h"
#include "policies/ga/ga.h"
#include "tests/skip.h"

using namespace fastgpu::ga;
using fastgpu::bound::lp_makespan_bound;
using fastgpu::bound::MakespanBound;

namespace {

// The certificate is shrunk by a few hundred ulps; the hand values are exact.
doctest::Approx near(double x) { return doctest::Approx(x).epsilon(1e-12); }

// The makespan of the best assignment, by enumeration (width-1 tasks, so the
// decoding order does not matter).
double brute_force_optimum(const EtcInstance& inst) {
  const std::uint32_t T = inst.tasks, M = inst.machines;
  std::vector<std::uint32_t> a(T, 0);
  CostModel cm;
  Ticks best = std::numeric_limits<Ticks>::max();
  while (true) {
    best = std::min(best, evaluate(inst, a, cm).makespan);
    std::uint32_t t = 0;
    while (t < T && ++a[t] == M) a[t++] = 0;
    if (t == T) break;
  }
  return inst.to_time(best);
}

}  // namespace

TEST_CASE("lp bound: hand-derived LP optima") {
  SUBCASE("two tasks split between an unrelated pair of machines") {
    // p = (1, 3) for both tasks. LP: both on m0 gives 2; moving work f (in m0
    // units) to m1 costs 3f there: 2 - f = 3f at f = 1/2, C = 1.5. Certificate
    // v = (3/4, 1/4): each task min(3/4 * 1, 1/4 * 3) = 3/4, sum 1.5. The
    // integer optimum is 2; the single-task bound is 1.
    const MakespanBound b = lp_makespan_bound(make_instance(2, 2, {1, 3, 1, 3}));
    CHECK(b.lp == near(1.5));
    CHECK(b.lp_objective == near(1.5));
    CHECK(b.single_task == 1.0);
    CHECK(b.value == near(1.5));
    CHECK(b.rows == 4);
    CHECK(b.columns == 5);  // C and 2 x 2 assignment variables
  }
  SUBCASE("ready times count as busy time") {
    // Two identical machines, m0 busy until 1; three unit tasks. LP: total
    // busy time (1 + 3) / 2 machines = 2 (the integer optimum too). The
    // single-task bound is 1 (on m1), the latest ready time 1.
    const MakespanBound b = lp_makespan_bound(make_instance(3, 2, {1, 1, 1, 1, 1, 1}, {1, 0}));
    CHECK(b.lp == near(2.0));
    CHECK(b.single_task == 1.0);
    CHECK(b.ready == 1.0);
    CHECK(b.value == near(2.0));
  }
  SUBCASE("a gang task loads every machine of its slot") {
    // Task 0 needs both machines for 2; task 1 takes 1 on either. Machine
    // rows: 2 + x(1,0) <= C and 2 + x(1,1) <= C, so C = 2.5 with task 1
    // split in halves (the integer optimum is 3).
    EtcSpec spec;
    spec.tasks = 2;
    spec.machines = 2;
    spec.etc = {2, 2, 1, 1};
    spec.width = {2, 1};
    const EtcInstance inst = make_instance(spec);
    REQUIRE(inst.slots(0).size() == 1);  // the aligned pair {0, 1}
    const MakespanBound b = lp_makespan_bound(inst);
    CHECK(b.lp == near(2.5));
    CHECK(b.single_task == 2.0);
    CHECK(b.value == near(2.5));
  }
  SUBCASE("the single-task bound is kept when it is larger") {
    // One task of 1 on either of two machines: the LP splits it (0.5) but no
    // schedule finishes before 1.
    const MakespanBound b = lp_makespan_bound(make_instance(1, 2, {1, 1}));
    CHECK(b.lp == near(0.5));
    CHECK(b.single_task == 1.0);
    CHECK(b.value == 1.0);
  }
  SUBCASE("allowed slots restrict the LP") {
    // Task 0 (2 anywhere) may run only on m1 (a type constraint); task 1
    // takes 4 on m0 and 2 on m1. With a share x of task 1 on m0: m0 carries
    // 4x, m1 2 + 2(1 - x); equal at x = 2/3: C = 8/3. Unrestricted, task 0
    // would go to m0 and task 1 to m1: 2.
    EtcSpec spec;
    spec.tasks = 2;
    spec.machines = 2;
    spec.etc = {2, 2, 4, 2};
    spec.slot_lists = {{1}, {0, 1}};
    spec.task_list = {0, 1};
    const MakespanBound b = lp_makespan_bound(make_instance(spec));
    CHECK(b.lp == near(8.0 / 3.0));
    CHECK(b.value == near(8.0 / 3.0));
  }
}

TEST_CASE("lp bound: never above the enumerated optimum or any schedule found") {
  std::uint64_t x = 0x5EEDull;
  auto next = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
  };
  for (int round = 0; round < 12; ++round) {
    const std::uint32_t T = 3 + round % 4, M = 2 + round % 2;
    std::vector<double> etc(std::size_t(T) * M), ready(M);
    for (double& e : etc) e = 1 + double(next() % 50);
    for (double& r : ready) r = double(next() % 10);
    const EtcInstance inst = make_instance(T, M, etc, ready);
    const MakespanBound b = lp_makespan_bound(inst);
    const double opt = brute_force_optimum(inst);
    INFO("round ", round, ": bound ", b.value, ", optimum ", opt);
    CHECK(b.value <= opt);
    CHECK(b.lp == doctest::Approx(b.lp_objective).epsilon(1e-9));
    for (Heuristic h : {Heuristic::min_min, Heuristic::max_min, Heuristic::sufferage, Heuristic::mct, Heuristic::met,
                        Heuristic::olb}) {
      const HeuristicSchedule s = run_heuristic(h, inst);
      CHECK(b.value <= inst.to_time(*std::max_element(s.finish.begin(), s.finish.end())));
    }
  }
  // Gangs and type constraints: two nodes of 4 machines, widths 1, 2 and 4.
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    EtcSpec spec;
    spec.tasks = 12;
    spec.machines = 8;
    spec.ready.resize(8);
    for (double& r : spec.ready) r = double(next() % 5);
    for (std::uint32_t t = 0; t < spec.tasks; ++t) {
      const std::uint32_t w = std::uint32_t{1} << (next() % 3);
      spec.width.push_back(w);
      for (std::uint32_t m = 0; m < 8; ++m) spec.etc.push_back(1 + double(next() % 20));
    }
    const EtcInstance inst = make_instance(spec);
    const MakespanBound b = lp_makespan_bound(inst);
    GaParams p;
    p.population = 32;
    p.generations = 30;
    p.seed = seed;
    p.backend = Backend::cpu;
    p.threads = 1;
    const GaResult r = run_ga(inst, p);
    INFO("seed ", seed);
    CHECK(b.value > 0);
    CHECK(b.value <= inst.to_time(r.fitness.makespan));
    CHECK(b.value <= inst.to_time(r.reference.makespan));
  }
}

TEST_CASE("lp bound: the Braun samples give the reference LP values") {
  // The plain LP relaxation (with ready times 0 the strengthenings are far
  // below it): u_c_hihi.0 7,346,524.2 and u_i_lolo.0 2,529.0.
  for (auto [name, expected] : {std::pair<const char*, double>{"u_c_hihi.0", 7346524.2}, {"u_i_lolo.0", 2529.0}}) {
    const std::string path = fastgpu::test::shared_data_dir() + "/braun-etc/" + name;
    if (!std::filesystem::exists(path)) {
      FASTGPU_SKIP(path, " is absent");
    }
    const EtcInstance inst = make_instance(read_braun(path).spec);
    const MakespanBound b = lp_makespan_bound(inst);
    INFO(std::string(name), ": ", std::to_string(b.value), " (lp ", std::to_string(b.lp), ", solver ",
         std::to_string(b.lp_objective), ")");
    CHECK(std::round(b.value * 10) / 10 == doctest::Approx(expected).epsilon(1e-12));
    CHECK(b.value == b.lp);
    CHECK(b.lp <= b.lp_objective);
    CHECK(b.lp == doctest::Approx(b.lp_objective).epsilon(1e-9));
    const HeuristicSchedule mm = min_min(inst);
    CHECK(b.value < inst.to_time(*std::max_element(mm.finish.begin(), mm.finish.end())));
  }
}
