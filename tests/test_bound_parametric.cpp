// The parametric LP bound and the MILP (policies/bound): a hand-solved
// instance where the plain LP splits a task onto a machine on which it alone
// would end after the optimum (so the parametric bound is stronger and
// reaches the optimum), and, on random small instances, that both never exceed
// the optimum found by enumerating every assignment and never fall below the
// plain LP bound. The MILP (when built with Cbc) solves the small instances
// to the enumerated optimum; without Cbc it refuses with a message saying how
// to get it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "policies/bound/lp_bound.h"
#include "policies/bound/milp_bound.h"
#include "policies/bound/parametric_bound.h"
#include "policies/ga/etc_instance.h"
#include "policies/ga/fitness.h"

using namespace fastgpu::ga;
using namespace fastgpu::bound;

namespace {

double optimum_by_enumeration(const EtcInstance& inst) {
  const std::uint32_t T = inst.tasks, M = inst.machines;
  std::vector<std::uint32_t> a(T, 0);
  Ticks best = std::numeric_limits<Ticks>::max();
  for (;;) {
    best = std::min(best, evaluate(inst, a, CostModel{}).makespan);
    std::uint32_t t = 0;
    while (t < T && ++a[t] == M) a[t++] = 0;
    if (t == T) return inst.to_time(best);
  }
}

// ETCs spread over two orders of magnitude, so that some pairs alone end
// after the optimum; ready times on some instances.
EtcInstance random_instance(std::uint32_t T, std::uint32_t M, std::uint64_t seed) {
  std::vector<double> etc(std::size_t(T) * M), ready(M, 0.0);
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 7;
  auto next = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
  };
  for (double& e : etc) e = double(1 + next() % 9) * (next() % 3 == 0 ? 10.0 : 1.0);  // a third of the pairs slow
  if (seed % 2 == 0)
    for (double& r : ready) r = double(next() % 6);
  return make_instance(T, M, etc, ready);
}

}  // namespace

TEST_CASE("parametric bound: a hand-solved instance where it beats the plain LP") {
  // t0, t1 = (2, 10), t2 = (10, 2) on machines A, B. The optimum is 4 (t0 and
  // t1 on A, t2 on B; a task on its slow machine alone takes 10). The plain
  // LP moves f = 1/6 of t0 to B: 4 - 2f = 2 + 10f, C = 11/3. The pairs'
  // completions are 2 and 10; restricted to the pairs of 2 the LP is forced
  // to C = 4 > 2 (machine weights 1, 0 certify it), so the bound is
  // min(10, 4) = 4.
  const EtcInstance inst = make_instance(3, 2, {2, 10, 2, 10, 10, 2});
  const ParametricBound b = parametric_makespan_bound(inst);
  CHECK(b.plain.value == doctest::Approx(11.0 / 3.0).epsilon(1e-12));
  CHECK(b.value == doctest::Approx(4.0).epsilon(1e-12));
  CHECK(b.value <= 4.0);
  CHECK(b.threshold == 2.0);
  CHECK(b.restricted == doctest::Approx(4.0).epsilon(1e-12));
  CHECK(b.solves >= 2);
  CHECK(optimum_by_enumeration(inst) == 4.0);
}

TEST_CASE("parametric bound: no restriction helps when every pair fits under the plain bound") {
  // Two tasks (1, 3) on two machines: the plain LP is 1.5, every pair
  // completes by 3 > 1.5 but restricting to the pairs of 1 forces C = 2 > 1,
  // so the bound is min(3, 2) = 2 = the optimum.
  const ParametricBound b = parametric_makespan_bound(make_instance(2, 2, {1, 3, 1, 3}));
  CHECK(b.plain.value == doctest::Approx(1.5).epsilon(1e-12));
  CHECK(b.value == doctest::Approx(2.0).epsilon(1e-12));
  // Identical machines: the LP optimum 2 is already the optimum; no pair can
  // be excluded below it, so the plain bound stands.
  const ParametricBound same = parametric_makespan_bound(make_instance(4, 2, {1, 1, 1, 1, 1, 1, 1, 1}));
  CHECK(same.value == doctest::Approx(2.0).epsilon(1e-12));
  CHECK(same.threshold == 0.0);
}

TEST_CASE("parametric bound: between the plain LP bound and the optimum on random instances") {
  int stronger = 0;
  for (std::uint64_t s = 1; s <= 24; ++s) {
    const EtcInstance inst = random_instance(6, 3, s);
    const ParametricBound b = parametric_makespan_bound(inst);
    const double opt = optimum_by_enumeration(inst);
    INFO("instance seed ", s, ": plain ", b.plain.value, ", parametric ", b.value, ", optimum ", opt);
    CHECK(b.value >= b.plain.value);
    CHECK(b.value <= opt);
    stronger += b.value > b.plain.value * (1 + 1e-9);
  }
  CHECK(stronger > 0);  // the restriction bites on some of them
}

TEST_CASE("milp bound: Cbc solves small instances to the enumerated optimum, or says it is not built in") {
  if (!milp_available()) {
    try {
      solve_milp(make_instance(2, 2, {1, 3, 1, 3}), 1.0);
      FAIL("solve_milp without Cbc must throw");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()).find("coinor-libcbc-dev") != std::string::npos);
    }
    return;
  }
  for (std::uint64_t s = 1; s <= 6; ++s) {
    const EtcInstance inst = random_instance(6, 3, s);
    const double opt = optimum_by_enumeration(inst);
    const MilpResult r = solve_milp(inst, 20.0);
    INFO("instance seed ", s, ": optimum ", opt, ", MILP bound ", r.lower_bound);
    REQUIRE(r.has_solution);
    CHECK(r.proven_optimal);
    CHECK(inst.to_time(evaluate(inst, r.assignment, CostModel{}).makespan) == opt);
    CHECK(r.lower_bound <= opt * (1 + 1e-9));
    CHECK(r.lower_bound >= opt * (1 - 1e-6));
  }
  // An incumbent is accepted: started from the optimum, the answer stays it.
  const EtcInstance hand = make_instance(3, 2, {2, 10, 2, 10, 10, 2});
  const MilpResult r = solve_milp(hand, 5.0, {0, 0, 1});
  REQUIRE(r.has_solution);
  CHECK(hand.to_time(evaluate(hand, r.assignment, CostModel{}).makespan) == 4.0);
}
