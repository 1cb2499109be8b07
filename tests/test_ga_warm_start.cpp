// The online GA's warm start (policies/ga_warm_start.h) on hand-derived
// instances, and the GA core's initial_assignments hook that receives it:
// the warm chromosome is an individual of generation 0.
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "policies/ga/etc_instance.h"
#include "policies/ga/ga.h"
#include "policies/ga_warm_start.h"

using namespace fastgpu;

namespace {

// ETC (m0, m1): t0 (2, 4), t1 (1, 2), t2 (1.5, 3); both machines free.
ga::EtcInstance three_tasks() { return ga::make_instance(3, 2, {2, 4, 1, 2, 1.5, 3}); }

}  // namespace

TEST_CASE("warm start: previous slots are kept, new tasks go where they finish first") {
  const ga::EtcInstance inst = three_tasks();
  const std::uint32_t none = kNoPreviousSlot;
  SUBCASE("nothing carried over: MCT in batch order") {
    // t0: m0 at 2 (m1 4); t1: m0 3, m1 2 -> m1; t2: m0 2 + 1.5 = 3.5, m1 2 + 3 = 5 -> m0.
    CHECK(warm_start_assignment(inst, std::vector<std::uint32_t>{none, none, none}) ==
          std::vector<std::uint32_t>{0, 1, 0});
  }
  SUBCASE("t0 keeps m1 from the previous decision") {
    // m1 busy to 4; t1: m0 1 vs m1 6 -> m0; t2: m0 1 + 1.5 = 2.5 vs 7 -> m0.
    CHECK(warm_start_assignment(inst, std::vector<std::uint32_t>{1, none, none}) ==
          std::vector<std::uint32_t>{1, 0, 0});
  }
  SUBCASE("every task carried over") {
    CHECK(warm_start_assignment(inst, std::vector<std::uint32_t>{0, 0, 1}) == std::vector<std::uint32_t>{0, 0, 1});
  }
  SUBCASE("a previous slot no longer allowed is replaced") {
    ga::EtcSpec spec;
    spec.tasks = 2;
    spec.machines = 2;
    spec.etc = {2, 4, 1, 2};
    spec.slot_lists = {{1}, {0, 1}};
    spec.task_list = {0, 1};
    // t0 may use only m1 now (m1 busy to 4); t1: m0 1 vs m1 6 -> m0.
    CHECK(warm_start_assignment(ga::make_instance(spec), std::vector<std::uint32_t>{0, none}) ==
          std::vector<std::uint32_t>{1, 0});
  }
  SUBCASE("a gang occupies its whole slot") {
    // Four machines, ready (0, 0, 3, 0); t0 (width 2) keeps slot 0 (m0-m1 to
    // 5); t1 (width 1, 1 everywhere): m0, m1 6, m2 4, m3 1 -> m3.
    ga::EtcSpec spec;
    spec.tasks = 2;
    spec.machines = 4;
    spec.etc = {5, 5, 5, 5, 1, 1, 1, 1};
    spec.ready = {0, 0, 3, 0};
    spec.width = {2, 1};
    CHECK(warm_start_assignment(ga::make_instance(spec), std::vector<std::uint32_t>{0, none}) ==
          std::vector<std::uint32_t>{0, 3});
  }
  CHECK_THROWS_AS(warm_start_assignment(inst, std::vector<std::uint32_t>{0}), std::invalid_argument);
}

TEST_CASE("ga initial_assignments: the warm chromosome is in generation 0") {
  // With no breeding the result is the best of generation 0: Min-Min (t1 m0
  // [0,1], t2 m0 [1,2.5], t0 m1 [0,4]: makespan 4), least-loaded (makespan
  // 3.5) and the warm chromosome {0, 0, 1} (m0: t0 [0,2], t1 [2,3]; m1: t2
  // [0,3]: makespan 3, the optimum).
  const ga::EtcInstance inst = three_tasks();
  ga::GaParams p;
  p.population = 3;
  p.generations = 0;
  p.backend = ga::Backend::cpu;
  p.threads = 1;
  const ga::GaResult without = ga::run_ga(inst, p);
  CHECK(inst.to_time(without.fitness.makespan) > 3.0);
  p.initial_assignments = {{0, 0, 1}};
  const ga::GaResult with = ga::run_ga(inst, p);
  CHECK(with.assignment == std::vector<std::uint32_t>{0, 0, 1});
  CHECK(inst.to_time(with.fitness.makespan) == 3.0);
  p.initial_assignments = {{0, 0, 2}};  // machine 2 does not exist
  CHECK_THROWS_AS(ga::run_ga(inst, p), std::invalid_argument);
}
