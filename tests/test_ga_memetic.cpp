// The memetic GA's parts: the move/swap descent on instances worked by hand,
// the iterated local search baseline, the memetic GA reaching the optimum found
// by brute force, and its determinism (same seed, any thread count: the same
// schedule and history).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "policies/ga/etc_heuristics.h"
#include "policies/ga/ga.h"
#include "policies/ga/ga_internal.h"
#include "policies/ga/ils.h"
#include "policies/ga/local_search.h"
#include "tests/ga_fixtures.h"

using namespace fastgpu::ga;
using fastgpu::test::cpu_run;

namespace {

std::vector<Ticks> loads_of(const EtcInstance& inst, const std::vector<std::uint32_t>& genes) {
  std::vector<Ticks> load(inst.machines);
  machine_loads(view_of(inst), genes.data(), load.data());
  return load;
}

// Brute-force optimal makespan (ticks) over all M^T assignments.
Ticks brute_force_makespan(const EtcInstance& inst) {
  const std::uint32_t T = inst.tasks, M = inst.machines;
  std::vector<std::uint32_t> a(T, 0);
  Ticks best = -1;
  for (;;) {
    const std::vector<Ticks> l = loads_of(inst, a);
    const Ticks mk = *std::max_element(l.begin(), l.end());
    if (best < 0 || mk < best) best = mk;
    std::uint32_t t = 0;
    while (t < T && ++a[t] == M) a[t++] = 0;
    if (t == T) return best;
  }
}

EtcInstance random_instance(std::uint32_t T, std::uint32_t M, std::uint64_t seed) {
  std::vector<double> etc(std::size_t(T) * M);
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (double& e : etc) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    e = double(1 + x % 97);
  }
  return make_instance(T, M, etc);
}

}  // namespace

TEST_CASE("local search: moves off the machine that finishes last until no move or swap helps") {
  // Two identical machines, tasks 3, 3, 2, 2, 2, all on machine 0 (load 12).
  // Step 1: moving a 3 scores max(9, 3) = 9, a 2 max(10, 2) = 10: task 0 moves.
  // Step 2: loads 9, 3: task 1 (3) scores max(6, 6) = 6 < 7 for a 2: it moves.
  // Step 3: loads 6, 6: a move of a 2 gives 8, a swap 2 <-> 3 gives 7: stop.
  EtcInstance inst = make_instance(5, 2, {3, 3, 3, 3, 2, 2, 2, 2, 2, 2});
  std::vector<std::uint32_t> genes(5, 0);
  std::vector<Ticks> load = loads_of(inst, genes);
  const std::uint32_t steps = local_search(view_of(inst), genes.data(), load.data(), 100);
  CHECK(steps == 2);
  CHECK(genes == std::vector<std::uint32_t>{1, 1, 0, 0, 0});
  CHECK(load == loads_of(inst, genes));  // the incremental loads are exact
  CHECK(inst.to_time(load[0]) == 6.0);
  CHECK(inst.to_time(load[1]) == 6.0);
}

TEST_CASE("local search: a swap when no move helps, and the step limit") {
  // a: (4, 2), b: (1, 3); a on machine 0, b on machine 1: loads 4, 3.
  // Moving a gives max(0, 3 + 2) = 5 >= 4; swapping gives max(1, 2) = 2.
  // Then loads 1, 2: moving a back gives 5, swapping back 3: stop. The
  // optimum over the 4 assignments is 2.
  EtcInstance inst = make_instance(2, 2, {4, 2, 1, 3});
  std::vector<std::uint32_t> genes{0, 1};
  std::vector<Ticks> load = loads_of(inst, genes);
  CHECK(local_search(view_of(inst), genes.data(), load.data(), 100) == 1);
  CHECK(genes == std::vector<std::uint32_t>{1, 0});
  CHECK(inst.to_time(std::max(load[0], load[1])) == 2.0);
  CHECK(brute_force_makespan(inst) == std::max(load[0], load[1]));

  std::vector<std::uint32_t> limited(5, 0);
  EtcInstance five = make_instance(5, 2, {3, 3, 3, 3, 2, 2, 2, 2, 2, 2});
  std::vector<Ticks> l5 = loads_of(five, limited);
  CHECK(local_search(view_of(five), limited.data(), l5.data(), 1) == 1);
  CHECK(limited == std::vector<std::uint32_t>{1, 0, 0, 0, 0});
}

TEST_CASE("local search: an ejection chain where no move or swap helps") {
  // Machines A, B, C; t0 = (10, 5, 100) on A, t1 = (100, 6, 3) on B,
  // t2 = (100, 100, 4) on C: loads 10, 6, 4, A finishes last.
  // Moves of t0: to B max(0, 11) = 11, to C 104: neither below 10. Swaps
  // of t0 with t1 or t2 put 100 on A. The chain t0 A -> B, t1 B -> C scores
  // max(0, 6 - 6 + 5, 4 + 3) = 7 < 10. Then C (7) finishes last and nothing
  // below 7 exists: t1 back to B gives 11, the chain t1 C -> B, t0 B -> A
  // gives max(4, 6, 10) = 10. 7 is the optimum (t0 must avoid A, so B gets
  // 5, and t1 with t2 on C is 7).
  EtcInstance inst = make_instance(3, 3, {10, 5, 100, 100, 6, 3, 100, 100, 4});
  std::vector<std::uint32_t> genes{0, 1, 2};
  std::vector<Ticks> load = loads_of(inst, genes);
  CHECK(local_search(view_of(inst), genes.data(), load.data(), 100) == 0);  // move/swap only: stuck at 10
  CHECK(genes == std::vector<std::uint32_t>{0, 1, 2});
  CHECK(local_search(view_of(inst), genes.data(), load.data(), 100, true) == 1);
  CHECK(genes == std::vector<std::uint32_t>{1, 2, 2});
  CHECK(load == loads_of(inst, genes));
  CHECK(inst.to_time(*std::max_element(load.begin(), load.end())) == 7.0);
  CHECK(brute_force_makespan(inst) == *std::max_element(load.begin(), load.end()));
}

TEST_CASE("local search: with chains it ends where no move, swap or chain off the last machine helps") {
  // Checked by enumerating every neighbour of the final schedule directly.
  for (std::uint64_t s : {1, 2, 3, 4, 5, 6}) {
    EtcInstance inst = random_instance(24, 5, s);
    std::vector<std::uint32_t> genes(24);
    for (std::uint32_t t = 0; t < 24; ++t) genes[t] = (t * 7 + s) % 5;
    std::vector<Ticks> load = loads_of(inst, genes);
    local_search(view_of(inst), genes.data(), load.data(), 100000, true);
    INFO("instance seed ", s);
    REQUIRE(load == loads_of(inst, genes));
    const Ticks C = *std::max_element(load.begin(), load.end());
    const auto hot = static_cast<std::uint32_t>(std::max_element(load.begin(), load.end()) - load.begin());
    int better = 0;
    for (std::uint32_t t = 0; t < 24; ++t) {
      if (genes[t] != hot) continue;
      for (std::uint32_t m1 = 0; m1 < 5; ++m1) {
        if (m1 == hot) continue;
        std::vector<std::uint32_t> moved = genes;
        moved[t] = m1;
        const std::vector<Ticks> lm = loads_of(inst, moved);
        better += std::max(lm[hot], lm[m1]) < C;  // a move
        for (std::uint32_t u = 0; u < 24; ++u) {
          if (genes[u] != m1) continue;
          for (std::uint32_t m2 = 0; m2 < 5; ++m2) {  // m2 = hot: a swap, else a chain
            if (m2 == m1) continue;
            std::vector<std::uint32_t> chained = moved;
            chained[u] = m2;
            // Only the three machines involved may change: the score counts
            // hot, m1 and m2; any other machine at C ties the makespan.
            const std::vector<Ticks> l = loads_of(inst, chained);
            better += std::max({l[hot], l[m1], l[m2]}) < C;
          }
        }
      }
    }
    CHECK(better == 0);
  }
}

TEST_CASE("iterated local search: reaches the brute-force optimum and repeats itself") {
  for (std::uint64_t s : {1, 2, 3}) {
    EtcInstance inst = random_instance(9, 3, s);
    IlsParams p;
    p.seed = s;
    p.iterations = 300;
    const IlsResult a = run_ils(inst, p), b = run_ils(inst, p);
    INFO("instance seed ", s);
    CHECK(a.makespan == brute_force_makespan(inst));
    CHECK(a.assignment == b.assignment);
    CHECK(a.iterations == 300);
    const std::vector<Ticks> l = loads_of(inst, a.assignment);
    CHECK(*std::max_element(l.begin(), l.end()) == a.makespan);
    CHECK(a.makespan <= evaluate(inst, min_min(inst).assignment, CostModel{}).makespan);
  }
  EtcSpec gang;
  gang.tasks = 2, gang.machines = 2, gang.etc = {1, 1, 1, 1}, gang.width = {2, 1};
  CHECK_THROWS_AS(run_ils(make_instance(gang), IlsParams{}), std::invalid_argument);
}

TEST_CASE("memetic GA: reaches the brute-force optimum on small instances") {
  for (std::uint64_t s : {4, 5, 6}) {
    EtcInstance inst = random_instance(10, 3, s);
    const GaParams p = cpu_run(memetic_params(), 16, 30, s);
    const GaResult r = run_ga(inst, p);
    INFO("instance seed ", s);
    CHECK(r.fitness.makespan == brute_force_makespan(inst));
    CHECK(r.fitness.cost == doctest::Approx(double(r.fitness.makespan) / double(r.reference.makespan)));
    for (std::size_t g = 1; g < r.history.size(); ++g) CHECK(r.history[g].makespan <= r.history[g - 1].makespan);
  }
}

TEST_CASE("memetic GA: same seed, same schedule and history with 1 or 3 threads; another seed differs") {
  EtcInstance inst = random_instance(120, 8, 9);
  GaParams p = cpu_run(memetic_params(), 24, 12, 17);
  p.islands = 3;
  p.migration_interval = 2;
  const GaResult a = run_ga(inst, p);
  p.threads = 3;
  const GaResult b = run_ga(inst, p);
  CHECK(a.assignment == b.assignment);
  REQUIRE(a.history.size() == b.history.size());
  for (std::size_t g = 0; g < a.history.size(); ++g) {
    CHECK(a.history[g].makespan == b.history[g].makespan);
    CHECK(a.history[g].cost == b.history[g].cost);
  }
  // The descent makes the first generation's children much better than Min-Min.
  CHECK(a.history.back().makespan < a.history.front().makespan);
  p.seed = 18;
  const GaResult c = run_ga(inst, p);
  CHECK(c.assignment != a.assignment);
}

TEST_CASE("memetic GA: parameters are checked") {
  GaParams p = memetic_params();
  p.islands = 3;  // 64 is not a multiple of 3
  CHECK_THROWS_AS(p.validate(), std::invalid_argument);
  p.islands = 64;  // islands of one
  CHECK_THROWS_AS(p.validate(), std::invalid_argument);
  p.islands = 4;
  p.perturbed_seeds = 1.5;
  CHECK_THROWS_AS(p.validate(), std::invalid_argument);
}
