// The GA core (policies/ga): the responsiveness F and busy variance L on a worked example
// and on a schedule computed by hand, the ETC heuristics on a hand-made
// instance and against a direct implementation of their classic definitions,
// the ETC readers, and the GA itself: validity, elitism, reproducibility,
// thread-count independence, the brute-force optimum of a tiny instance, the
// stall stop, and beating Min-Min on the Braun samples.
#include "source_paths.h"
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "policies/ga/etc_heuristics.h"
#include "policies/ga/etc_instance.h"
#include "policies/ga/etc_io.h"
#include "policies/ga/fitness.h"
#include "policies/ga/ga.h"
#include "policies/ga/ga_internal.h"
#include "tests/scratch_dir.h"
#include "tests/skip.h"

using namespace fastgpu::ga;

namespace {

std::string braun_path(const std::string& name) {
  return fastgpu::test::shared_data_dir() + "/braun-etc/" + name;
}

// A random instance in whole time units (so ticks are exact), reproducible.
EtcInstance random_instance(std::uint32_t T, std::uint32_t M, std::uint64_t seed, bool with_ready = true) {
  std::vector<double> etc(std::size_t(T) * M), ready(M, 0.0);
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  auto next = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
  };
  for (double& e : etc) e = 1 + double(next() % 100);
  if (with_ready)
    for (double& r : ready) r = double(next() % 20);
  return make_instance(T, M, etc, ready);
}

// A gang instance: 8 machines in two nodes of 4; widths 1, 2 and 4; some
// width-1 tasks restricted to the second node (a type constraint).
EtcInstance gang_instance(std::uint32_t T, std::uint64_t seed) {
  EtcSpec spec;
  spec.tasks = T;
  spec.machines = 8;
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 7;
  auto next = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
  };
  spec.etc.resize(std::size_t(T) * 8);
  for (double& e : spec.etc) e = 1 + double(next() % 50);
  spec.ready = {3, 0, 0, 5, 0, 1, 0, 0};
  spec.slot_lists = {{0, 1, 2, 3, 4, 5, 6, 7}, {4, 5, 6, 7}, {0, 2, 4, 6}, {0, 4}};
  const std::uint32_t widths[] = {1, 1, 2, 4};
  for (std::uint32_t t = 0; t < T; ++t) {
    const std::uint32_t kind = static_cast<std::uint32_t>(next() % 4);
    spec.task_list.push_back(kind);
    spec.width.push_back(widths[kind]);
  }
  return make_instance(spec);
}

GaParams small_params(std::uint32_t population, std::uint32_t generations, std::uint64_t seed = 1) {
  GaParams p;
  p.population = population;
  p.generations = generations;
  p.seed = seed;
  p.backend = Backend::cpu;
  p.threads = 1;
  return p;
}

// The classic O(T^2 M) batch heuristics, written directly from their
// definitions (full re-scan every iteration), to check the incremental ones.
HeuristicSchedule classic_batch(const EtcInstance& inst, Heuristic h) {
  HeuristicSchedule out;
  out.assignment.assign(inst.tasks, 0);
  out.start.assign(inst.tasks, 0);
  out.finish.assign(inst.tasks, 0);
  std::vector<Ticks> ready = inst.ready;
  std::vector<bool> done(inst.tasks, false);
  auto start_on = [&](std::uint32_t t, std::uint32_t s) {
    Ticks st = 0;
    for (std::uint32_t m = s; m < s + inst.width[t]; ++m) st = std::max(st, ready[m]);
    return st;
  };
  for (std::uint32_t it = 0; it < inst.tasks; ++it) {
    std::uint32_t pick = 0, pick_slot = 0;
    bool have = false;
    double pick_key = 0;
    for (std::uint32_t t = 0; t < inst.tasks; ++t) {
      if (done[t]) continue;
      Ticks best = std::numeric_limits<Ticks>::max(), second = best;
      std::uint32_t best_s = 0;
      for (std::uint32_t s : inst.slots(t)) {
        const Ticks ct = start_on(t, s) + inst.etc_at(t, s);
        if (ct < best) {
          second = best;
          best = ct;
          best_s = s;
        } else if (ct < second) {
          second = ct;
        }
      }
      double key = h == Heuristic::min_min   ? double(best)
                   : h == Heuristic::max_min ? -double(best)
                   : second == std::numeric_limits<Ticks>::max() ? -1e300
                                                                 : -double(second - best);
      if (!have || key < pick_key) {
        have = true;
        pick = t;
        pick_key = key;
        pick_slot = best_s;
      }
    }
    const Ticks st = start_on(pick, pick_slot);
    const Ticks fin = st + inst.etc_at(pick, pick_slot);
    for (std::uint32_t m = pick_slot; m < pick_slot + inst.width[pick]; ++m) ready[m] = fin;
    out.assignment[pick] = pick_slot;
    out.start[pick] = st;
    out.finish[pick] = fin;
    out.sequence.push_back(pick);
    done[pick] = true;
  }
  return out;
}

}  // namespace

TEST_CASE("ga fitness: responsiveness F and busy variance L on a worked example") {
  // 1/10.25 + 1/12.3 + 1/8.2 + 1/14.4 + 1/11.35 = 0.458363.
  const std::vector<double> completion{10, 12, 8, 14, 11};
  const std::vector<double> load{0.5, 0.6, 0.4, 0.8, 0.7};
  CHECK(responsiveness(completion, load, 0.5) == doctest::Approx(0.45836).epsilon(1e-5));
  CHECK(responsiveness(completion, load, 0.5) == doctest::Approx(0.4583631795).epsilon(1e-10));
  // Mean 1/3; ((1/6)^2 + (1/30)^2 + (2/15)^2) / 3 = 0.015556.
  const std::vector<double> loads{0.5, 0.3, 0.2};
  CHECK(busy_variance(loads) == doctest::Approx(0.015556).epsilon(1e-5));
  CHECK(busy_variance(loads) == doctest::Approx(0.7 / 45.0).epsilon(1e-12));
  // Fixed order: 40 terms = one full block of 32 plus a padded block of 8.
  std::vector<double> ones(40, 0.25);
  CHECK(fixed_order_sum(ones) == 10.0);
}

TEST_CASE("ga fitness: a schedule computed by hand") {
  // 4 tasks x 2 machines; machine 0 is busy until t = 1.
  //        m0  m1
  //   t0    2   4      assignment: t0, t2 -> m0; t1, t3 -> m1
  //   t1    3   1      m0: t0 [1,3], t2 [3,4]      busy 1+2+1 = 4
  //   t2    1   2      m1: t1 [0,1], t3 [1,3]      busy 1+2   = 3
  //   t3    4   2
  // makespan 4, flowtime 3+1+4+3 = 11, loads 4/4 = 1 and 3/4,
  // L = ((1/8)^2 + (1/8)^2) / 2 = 1/64,
  // F (alpha 0.5) = 1/(3+0.5) + 1/(1+0.375) + 1/(4+0.5) + 1/(3+0.375) = 2/7 + 8/11 + 2/9 + 8/27.
  EtcInstance inst = make_instance(4, 2, {2, 4, 3, 1, 1, 2, 4, 2}, {1, 0});
  CHECK(inst.tick == std::ldexp(1.0, -45));  // bound 1+4+3+2+4 = 14; 14 x 4 tasks / 2^51 -> 2^-45
  const std::vector<std::uint32_t> a{0, 1, 0, 1};
  CostModel cm;
  cm.tick = inst.tick;
  cm.alpha = 0.5;
  Fitness f = evaluate(inst, a, cm);
  CHECK(inst.to_time(f.makespan) == 4.0);
  CHECK(inst.to_time(f.flowtime) == 11.0);
  CHECK(f.L == 1.0 / 64);
  const double F = 2.0 / 7 + 8.0 / 11 + 2.0 / 9 + 8.0 / 27;
  CHECK(f.F == doctest::Approx(F).epsilon(1e-14));
  CHECK(f.F == doctest::Approx(1.5315055315).epsilon(1e-10));
  // cost = 1 * 4/2 + 0.5 * 11/22 - 2 * F/F + 4 * L
  cm.w_makespan = 1, cm.w_flowtime = 0.5, cm.w_F = 2, cm.w_variance = 4;
  cm.ref_makespan = double(f.makespan) / 2, cm.ref_flowtime = double(f.flowtime) * 2, cm.ref_F = f.F;
  Fitness g = evaluate(inst, a, cm);
  CHECK(g.cost == doctest::Approx(2.0 + 0.25 - 2.0 + 4.0 / 64).epsilon(1e-14));

  // The heuristics' own order changes completions but not this makespan.
  Fitness h = evaluate(inst, a, cm, std::vector<std::uint32_t>{2, 0, 3, 1});
  CHECK(h.makespan == f.makespan);
  CHECK(inst.to_time(h.flowtime) == 2 + 4 + 2 + 3);  // t2 [1,2], t0 [2,4], t3 [0,2], t1 [2,3]
}

TEST_CASE("ga fitness: gang tasks wait for every machine of their slot") {
  // Machines 0..3, ready 2, 0, 0, 1. Task 0 (width 2, slot 0: machines 0-1)
  // starts at max(2, 0) = 2 and ends at 5; task 1 (width 1 on machine 1)
  // then starts at 5 and ends at 6; task 2 (width 4, slot 0) starts at
  // max(5, 6, 0, 1) = 6 and ends at 8.
  EtcSpec spec;
  spec.tasks = 3;
  spec.machines = 4;
  spec.etc = {3, 9, 9, 9, 1, 1, 1, 1, 2, 9, 9, 9};
  spec.ready = {2, 0, 0, 1};
  spec.width = {2, 1, 4};
  EtcInstance inst = make_instance(spec);
  CHECK(std::vector<std::uint32_t>(inst.slots(0).begin(), inst.slots(0).end()) == std::vector<std::uint32_t>{0, 2});
  CHECK(inst.slots(2).size() == 1);
  Evaluator ev(inst);
  const std::vector<std::uint32_t> a{0, 1, 0};
  ev.decode(a.data());
  CHECK(inst.to_time(ev.completion()[0]) == 5);
  CHECK(inst.to_time(ev.completion()[1]) == 6);
  CHECK(inst.to_time(ev.completion()[2]) == 8);
  CostModel cm;
  cm.tick = inst.tick;
  Fitness f = ev.score(cm, true);
  CHECK(inst.to_time(f.makespan) == 8);
  // busy: m0 = 2+3+2 = 7, m1 = 0+3+1+2 = 6, m2 = 0+2 = 2, m3 = 1+2 = 3.
  CHECK(f.L == doctest::Approx(busy_variance(std::vector<double>{7.0 / 8, 6.0 / 8, 2.0 / 8, 3.0 / 8})).epsilon(1e-15));
  CHECK(valid_assignment(inst, a));
  CHECK_FALSE(valid_assignment(inst, std::vector<std::uint32_t>{1, 1, 0}));  // slot 1 is not aligned for width 2
}

TEST_CASE("ga heuristics: a hand-made 3 x 2 instance") {
  //        m0  m1
  //   t0    4   6
  //   t1    3   5
  //   t2    8   2
  EtcInstance inst = make_instance(3, 2, {4, 6, 3, 5, 8, 2});
  auto ms = [&](const HeuristicSchedule& s) {
    return inst.to_time(*std::max_element(s.finish.begin(), s.finish.end()));
  };
  // Min-Min: best completions 4, 3, 2 -> t2 on m1 (2); then 4, 3 -> t1 on m0
  // (3); then t0: m0 7, m1 8 -> m0 (7).
  HeuristicSchedule mm = min_min(inst);
  CHECK(mm.assignment == std::vector<std::uint32_t>{0, 0, 1});
  CHECK(mm.sequence == std::vector<std::uint32_t>{2, 1, 0});
  CHECK(ms(mm) == 7);
  // Max-Min: t0 on m0 (4); then t1 m1 5 vs t2 m1 2 -> t1 on m1 (5); t2 on m1 (7).
  HeuristicSchedule xm = max_min(inst);
  CHECK(xm.assignment == std::vector<std::uint32_t>{0, 1, 1});
  CHECK(xm.sequence == std::vector<std::uint32_t>{0, 1, 2});
  CHECK(ms(xm) == 7);
  // Sufferage: 2, 2, 6 -> t2 on m1; then t0 4 vs 8 (4), t1 3 vs 7 (4): tie,
  // lowest index t0 on m0; then t1 7 vs 7 -> m0.
  HeuristicSchedule sf = sufferage(inst);
  CHECK(sf.assignment == std::vector<std::uint32_t>{0, 0, 1});
  CHECK(sf.sequence == std::vector<std::uint32_t>{2, 0, 1});
  // MCT in order: t0 m0 (4); t1 m0 7 vs m1 5 -> m1; t2 m0 12 vs m1 7 -> m1.
  CHECK(mct(inst).assignment == std::vector<std::uint32_t>{0, 1, 1});
  // MET: least ETC each: m0, m0, m1.
  CHECK(met(inst).assignment == std::vector<std::uint32_t>{0, 0, 1});
  // OLB: t0 m0 (both free, first); t1 m1 (free at 0); t2 m0 (free at 4 < 5).
  HeuristicSchedule ol = least_loaded(inst);
  CHECK(ol.assignment == std::vector<std::uint32_t>{0, 1, 0});
  CHECK(ms(ol) == 12);
  CHECK(parse_heuristic("sufferage") == Heuristic::sufferage);
  CHECK(parse_heuristic("least-loaded") == Heuristic::olb);
  CHECK_FALSE(parse_heuristic("minmin").has_value());
}

TEST_CASE("ga heuristics: incremental batch heuristics equal their classic definitions") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    for (const EtcInstance& inst : {random_instance(40, 5, seed), gang_instance(30, seed)}) {
      for (Heuristic h : {Heuristic::min_min, Heuristic::max_min, Heuristic::sufferage}) {
        INFO("seed ", seed, " heuristic ", to_string(h), " machines ", inst.machines);
        HeuristicSchedule fast = run_heuristic(h, inst), slow = classic_batch(inst, h);
        CHECK(fast.assignment == slow.assignment);
        CHECK(fast.sequence == slow.sequence);
        CHECK(fast.finish == slow.finish);
        CHECK(valid_assignment(inst, fast.assignment));
      }
    }
  }
}

TEST_CASE("ga heuristics: Min-Min on the Braun samples gives the published sanity values") {
  for (auto [name, expected] : {std::pair<const char*, double>{"u_c_hihi.0", 8460675.0}, {"u_i_lolo.0", 2785.6}}) {
    const std::string path = braun_path(name);
    if (!std::filesystem::exists(path)) {
      FASTGPU_SKIP(path, " is absent");
    }
    EtcFile f = read_braun(path);
    REQUIRE(f.spec.tasks == 512);
    REQUIRE(f.spec.machines == 16);
    EtcInstance inst = make_instance(f.spec);
    HeuristicSchedule mm = min_min(inst);
    const double makespan = inst.to_time(*std::max_element(mm.finish.begin(), mm.finish.end()));
    INFO(name);
    CHECK(std::round(makespan * 10) / 10 == doctest::Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("ga io: Braun and CSV instances, and bad input named by file, line and field") {
  fastgpu::testing::ScratchDir dir("io");
  // Braun: 2 tasks x 3 machines, task-major.
  const std::string b = dir.write("tiny.braun", "1\n2\n3\n\n4.5\n5\n6\n");
  EtcFile fb = read_braun(b, 2, 0);
  CHECK(fb.spec.machines == 3);
  CHECK(fb.spec.etc == std::vector<double>{1, 2, 3, 4.5, 5, 6});
  CHECK_THROWS_WITH_AS(read_braun(b), doctest::Contains("give the number of tasks"), EtcParseError);
  CHECK_THROWS_AS(read_braun(b, 4, 0), EtcParseError);
  const std::string bad = dir.write("bad.braun", "1\n2\nx7\n");
  try {
    read_braun(bad, 1, 3);
    FAIL("expected an error");
  } catch (const EtcParseError& e) {
    CHECK(e.line == 3);
    CHECK(e.field == "value");
  }
  CHECK_THROWS_AS(read_braun(dir.write("neg.braun", "1\n-2\n"), 1, 2), EtcParseError);
  CHECK_THROWS_AS(read_braun(dir / "missing"), EtcParseError);

  // CSV with a header, gang widths and ready times.
  const std::string c = dir.write("inst.csv",
                                  "# a comment\n"
                                  "task,gpus,a100,a100b,v100,v100b\n"
                                  "ready,,0,0,2.5,0\n"
                                  "train-1,2,10,10,20,20\n"
                                  "eval,1,1,1,2,2\n");
  EtcFile fc = read_etc_csv(c);
  CHECK(fc.spec.tasks == 2);
  CHECK(fc.spec.machines == 4);
  CHECK(fc.task_names == std::vector<std::string>{"train-1", "eval"});
  CHECK(fc.machine_names == std::vector<std::string>{"a100", "a100b", "v100", "v100b"});
  CHECK(fc.spec.width == std::vector<std::uint32_t>{2, 1});
  CHECK(fc.spec.ready == std::vector<double>{0, 0, 2.5, 0});
  EtcInstance ic = make_instance(fc.spec);
  CHECK(ic.slots(0).size() == 2);
  // A plain matrix.
  EtcFile fm = read_etc_csv(dir.write("plain.csv", "1,2\n3,4\n5,6\n"));
  CHECK(fm.spec.tasks == 3);
  CHECK(fm.spec.machines == 2);
  // Errors: a bad cell names its machine column, a short row its line.
  try {
    read_etc_csv(dir.write("bad.csv", "task,m0,m1\nx,1,oops\n"));
    FAIL("expected an error");
  } catch (const EtcParseError& e) {
    CHECK(e.line == 2);
    CHECK(e.field == "m1");
  }
  try {
    read_etc_csv(dir.write("short.csv", "1,2\n3\n"));
    FAIL("expected an error");
  } catch (const EtcParseError& e) {
    CHECK(e.line == 2);
  }
  CHECK_THROWS_AS(read_etc_csv(dir.write("wide.csv", "task,gpus,m0\nx,2,1\n")), EtcParseError);
}

TEST_CASE("ga operators: every child of every generation is valid; gangs get whole slots") {
  // Drives the CPU backend's breeding (selection, crossover, mutation,
  // load-aware move) generation after generation with every operator forced
  // on, and checks each child: one allowed slot per task (so every task is
  // mapped exactly once and a gang's slot is one of its aligned groups), and
  // in the decoded schedule a gang holds all of its machines for its whole
  // run while no two tasks overlap on any machine.
  const EtcInstance inst = gang_instance(37, 5);
  GaParams p = small_params(20, 0, 8);
  p.mutation_rate = 1.0;
  p.mutation_genes = 5;
  p.load_move_rate = 1.0;
  p.crossover_rate = 1.0;
  for (double uniform_share : {0.0, 1.0}) {  // one-point only, then uniform only
    p.uniform_crossover_share = uniform_share;
    const GaSetup setup = prepare_ga(inst, p);
    const std::uint32_t P = p.population, T = inst.tasks;
    std::vector<std::uint32_t> genes(std::size_t(P) * T), next(genes.size());
    std::vector<double> cost(P), next_cost(P);
    const InstanceView view = view_of(inst);
    for (std::uint32_t k = 0; k < P; ++k)
      for (std::uint32_t t = 0; t < T; ++t) genes[std::size_t(k) * T + t] = init_gene(view, setup.cfg.key, k, t);
    for (std::uint32_t k = 0; k < P; ++k)
      cost[k] = evaluate(inst, std::span(genes.data() + std::size_t(k) * T, T), setup.cfg.cost).cost;
    Evaluator ev(inst);
    std::uint64_t checked = 0;
    for (std::uint32_t g = 1; g <= 30; ++g) {
      for (std::uint32_t k = 0; k < P; ++k) {
        std::uint32_t* child = next.data() + std::size_t(k) * T;
        const Fitness f = breed_cpu(inst, setup.cfg, genes.data(), cost.data(), child, k, g, ev);
        next_cost[k] = f.cost;
        const std::span<const std::uint32_t> c(child, T);
        INFO("share ", uniform_share, " generation ", g, " child ", k);
        REQUIRE(valid_assignment(inst, c));
        // The returned fitness is the child's (an independent evaluation).
        CHECK(f.cost == evaluate(inst, c, setup.cfg.cost).cost);
        // Decoded: per machine, the tasks covering it run in disjoint intervals.
        Evaluator d(inst);
        d.decode(child);
        for (std::uint32_t t = 0; t < T; ++t) CHECK(d.completion()[t] - d.start()[t] == inst.etc_at(t, child[t]));
        for (std::uint32_t m = 0; m < inst.machines; ++m) {
          std::vector<std::pair<Ticks, Ticks>> busy;
          for (std::uint32_t t = 0; t < T; ++t)
            if (covers(child[t], inst.width[t], m)) busy.emplace_back(d.start()[t], d.completion()[t]);
          std::sort(busy.begin(), busy.end());
          for (std::size_t i = 0; i < busy.size(); ++i) {
            if (i == 0) CHECK(busy[i].first >= inst.ready[m]);
            if (i > 0) CHECK(busy[i].first >= busy[i - 1].second);
          }
        }
        ++checked;
      }
      genes.swap(next);
      cost.swap(next_cost);
    }
    CHECK(checked == 30u * P);
  }
}

TEST_CASE("ga: every individual's best is valid, with gangs and restricted slots") {
  EtcInstance inst = gang_instance(24, 3);
  GaParams p = small_params(24, 40);
  p.mutation_rate = 1.0;
  p.mutation_genes = 4;
  p.load_move_rate = 1.0;
  GaResult r = run_ga(inst, p);
  CHECK(valid_assignment(inst, r.assignment));
  CHECK(r.generations_run == 40);
  CHECK(r.history.size() == 41);
  // The reported fitness is the host's evaluation of the returned chromosome.
  Fitness f = evaluate(inst, r.assignment, r.cost_model);
  CHECK(f.makespan == r.fitness.makespan);
  CHECK(f.cost == r.fitness.cost);
}

TEST_CASE("ga: elitism never lets the best cost rise, and the result is at least as good as Min-Min") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    EtcInstance inst = random_instance(60, 6, seed);
    GaParams p = small_params(32, 60, seed);
    p.w_variance = 0.5;
    p.w_flowtime = 0.2;
    GaResult r = run_ga(inst, p);
    for (std::size_t g = 1; g < r.history.size(); ++g) CHECK(r.history[g].cost <= r.history[g - 1].cost);
    CHECK(r.fitness.cost <= r.reference.cost);
    CHECK(r.history.front().cost <= r.reference.cost);  // Min-Min is in generation 0
  }
}

TEST_CASE("ga: a seeded run is reproducible; thread counts give identical results") {
  EtcInstance inst = gang_instance(40, 11);
  GaParams p = small_params(30, 25, 42);
  p.w_F = 0.3;  // exercise F in the cost too
  GaResult a = run_ga(inst, p);
  GaResult b = run_ga(inst, p);
  auto same = [](const GaResult& x, const GaResult& y) {
    if (x.assignment != y.assignment || x.history.size() != y.history.size()) return false;
    for (std::size_t g = 0; g < x.history.size(); ++g) {
      const GenerationRecord &u = x.history[g], &v = y.history[g];
      if (u.cost != v.cost || u.makespan != v.makespan || u.flowtime != v.flowtime || u.F != v.F || u.L != v.L)
        return false;
    }
    return true;
  };
  CHECK(same(a, b));
  for (unsigned threads : {2u, 3u, 7u}) {
    p.threads = threads;
    GaResult c = run_ga(inst, p);
    INFO("threads ", threads);
    CHECK(same(a, c));
    CHECK(c.device == "cpu, " + std::to_string(threads) + " threads");
  }
  p.threads = 1;
  p.seed = 43;
  GaResult d = run_ga(inst, p);
  CHECK_FALSE(same(a, d));
}

TEST_CASE("ga: finds the brute-force optimum of a 7 x 3 instance") {
  // Machine 2 busy until 5; no seeding, so the GA has to find it itself.
  EtcInstance inst = make_instance(7, 3,
                                   {7, 3, 9,  //
                                    4, 8, 2,  //
                                    6, 6, 6,  //
                                    2, 9, 5,  //
                                    8, 4, 3,  //
                                    5, 2, 7,  //
                                    3, 5, 4},
                                   {0, 1, 5});
  for (double w_variance : {0.0, 0.1}) {
    GaParams p = small_params(24, 150, 5);
    p.seed_min_min = false;
    p.seed_least_loaded = false;
    p.w_variance = w_variance;
    GaResult r = run_ga(inst, p);
    // Brute force over all 3^7 assignments with the same cost model.
    std::vector<std::uint32_t> a(7, 0);
    double best = std::numeric_limits<double>::infinity();
    Ticks best_makespan = 0;
    for (std::uint32_t code = 0; code < 2187; ++code) {
      std::uint32_t c = code;
      for (auto& g : a) g = c % 3, c /= 3;
      Fitness f = evaluate(inst, a, r.cost_model);
      if (f.cost < best) best = f.cost, best_makespan = f.makespan;
    }
    INFO("w_variance ", w_variance);
    CHECK(r.fitness.cost == best);
    CHECK(r.fitness.makespan == best_makespan);
    if (w_variance == 0) CHECK(inst.to_time(best_makespan) == 10);  // e.g. 1,2,1,0,2,0,0: all three end at 10
  }
}

TEST_CASE("ga: the stall limit stops the run, and a bad parameter or backend is refused") {
  EtcInstance inst = random_instance(10, 3, 9);
  GaParams p = small_params(16, 1000, 3);
  p.stall_generations = 8;
  GaResult r = run_ga(inst, p);
  CHECK(r.stop == StopReason::stall);
  REQUIRE(r.generations_run < 1000);
  REQUIRE(r.history.size() == r.generations_run + 1);
  for (std::size_t g = r.history.size() - 8; g < r.history.size(); ++g)
    CHECK(r.history[g].cost == r.history[r.history.size() - 9].cost);
  if (r.history.size() >= 10) CHECK(r.history[r.history.size() - 9].cost < r.history[r.history.size() - 10].cost);

  GaParams bad = small_params(1, 10);
  CHECK_THROWS_AS(run_ga(inst, bad), std::invalid_argument);
  bad = small_params(8, 10);
  bad.elites = 0;
  CHECK_THROWS_AS(run_ga(inst, bad), std::invalid_argument);
  bad = small_params(8, 10);
  bad.crossover_rate = 1.5;
  CHECK_THROWS_AS(run_ga(inst, bad), std::invalid_argument);
  CHECK_THROWS_AS(parse_backend("gpu"), std::invalid_argument);
  if (cuda_device_count() == 0) {
    GaParams c = small_params(8, 10);
    c.backend = Backend::cuda;
    CHECK_THROWS_AS(run_ga(inst, c), std::runtime_error);
    c.backend = Backend::automatic;
    c.threads = 2;
    CHECK(run_ga(inst, c).backend == Backend::cpu);
  }
}

TEST_CASE("ga: the time limit stops the run between generations") {
  // 10^8 generations of a 200 x 8 instance would take hours; 50 ms stops it.
  EtcInstance inst = random_instance(200, 8, 4);
  GaParams p = small_params(16, 100000000, 2);
  p.time_limit_seconds = 0.05;
  GaResult r = run_ga(inst, p);
  CHECK(r.stop == StopReason::time_limit);
  CHECK(r.generations_run < 100000000u);
  CHECK(r.history.size() == r.generations_run + 1);
  CHECK(valid_assignment(inst, r.assignment));
}

TEST_CASE("ga: beats Min-Min's makespan on the Braun samples") {
  for (const char* name : {"u_c_hihi.0", "u_i_lolo.0"}) {
    const std::string path = braun_path(name);
    if (!std::filesystem::exists(path)) {
      FASTGPU_SKIP(path, " is absent");
    }
    EtcInstance inst = make_instance(read_braun(path).spec);
    GaParams p = small_params(32, 150, 1);
    p.threads = 2;
    GaResult r = run_ga(inst, p);
    INFO(name, ": GA ", inst.to_time(r.fitness.makespan), " vs Min-Min ", inst.to_time(r.reference.makespan));
    CHECK(r.fitness.makespan < r.reference.makespan);
    CHECK(valid_assignment(inst, r.assignment));
  }
}
