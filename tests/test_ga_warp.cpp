// The CUDA backend's algorithm without a GPU: the warp code of
// policies/ga/ga_warp.h (what the kernels run, one warp per individual) is run
// on an emulated warp of 32 host threads, driven generation by generation as
// ga_cuda.cu drives it, and must give bit-for-bit the CPU backend's history and
// best chromosome. Also checks that every individual of every generation is a
// valid assignment (each task on one of its allowed slots; gangs on whole slots).
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "policies/ga/braun_etc.h"
#include "policies/ga/etc_heuristics.h"
#include "policies/ga/ga.h"
#include "policies/ga/ga_internal.h"
#include "policies/ga/ga_warp.h"
#include "tests/ga_fixtures.h"
#include "tests/ga_warp_emulator.h"

using namespace fastgpu::ga;
using fastgpu::test::cpu_run;
using fastgpu::test::EmulatedWarp;
using fastgpu::test::run_warp;

namespace {

struct HostPopulation {
  std::vector<std::uint32_t> genes;
  std::vector<double> cost, F, L;
  std::vector<Ticks> makespan, flowtime;
  HostPopulation(std::uint32_t P, std::uint32_t T)
      : genes(std::size_t(P) * T), cost(P), F(P), L(P), makespan(P), flowtime(P) {}
  PopView view() { return {genes.data(), cost.data(), makespan.data(), flowtime.data(), F.data(), L.data()}; }
};

// ga_cuda.cu's run_cuda, with kernels replaced by loops over emulated warps.
GaResult emulate_cuda(const EtcInstance& inst, const GaParams& params, int& invalid_individuals) {
  GaSetup setup = prepare_ga(inst, params);
  const GaConfig& cfg = setup.cfg;
  const InstanceView I = view_of(inst);
  const std::uint32_t P = cfg.P, T = inst.tasks, M = inst.machines;
  HostPopulation pops[2] = {HostPopulation(P, T), HostPopulation(P, T)};
  std::vector<Ticks> scratch(2 * std::size_t(M) + 32);
  warp::Scratch sc{scratch.data(), scratch.data() + M, scratch.data() + 2 * M};
  std::vector<std::uint32_t> elites(cfg.E);
  std::vector<GenerationRecord> history(setup.generations + 1);
  RunState st;

  auto rank = [&](HostPopulation& pop, std::uint32_t g) {  // rank_kernel
    if (g > st.stop_generation) return;
    for (std::uint32_t i = 0; i < P; ++i) {
      const std::uint32_t r = rank_of(pop.cost.data(), P, i);
      if (r < cfg.E) elites[r] = i;
      if (r == 0) {
        history[g] = {pop.cost[i], pop.makespan[i], pop.flowtime[i], pop.F[i], pop.L[i]};
        record_generation(st, g, pop.cost[i], i, setup.stall_limit);
      }
    }
  };
  auto check_valid = [&](const HostPopulation& pop) {
    for (std::uint32_t k = 0; k < P; ++k)
      if (!valid_assignment(inst, std::vector<std::uint32_t>(pop.genes.begin() + std::size_t(k) * T,
                                                             pop.genes.begin() + std::size_t(k + 1) * T)))
        ++invalid_individuals;
  };

  // init_genes_kernel + seeded uploads + evaluate_kernel + rank_kernel(0).
  for (std::uint32_t k = 0; k < P; ++k)
    for (std::uint32_t t = 0; t < T; ++t)
      pops[0].genes[std::size_t(k) * T + t] = k < setup.seeded.size() ? setup.seeded[k][t] : init_gene(I, cfg.key, k, t);
  for (std::uint32_t k = 0; k < P; ++k) {
    PopView v = pops[0].view();
    run_warp([&](EmulatedWarp& w) {
      Ticks mk, flow;
      double F, L, cost;
      warp::evaluate(w, I, cfg, v.genes + std::size_t(k) * T, sc, mk, flow, F, L, cost);
      if (w.lane() == 0) v.cost[k] = cost, v.makespan[k] = mk, v.flowtime[k] = flow, v.F[k] = F, v.L[k] = L;
    });
  }
  check_valid(pops[0]);
  rank(pops[0], 0);

  for (std::uint32_t g = 1; g <= setup.generations; ++g) {
    if (g > st.stop_generation) break;  // breed_kernel returns at once
    PopView old = pops[(g - 1) & 1].view(), next = pops[g & 1].view();
    for (std::uint32_t k = 0; k < P; ++k) {
      const std::uint32_t src = k < cfg.E ? elites[k] : 0;
      run_warp([&](EmulatedWarp& w) {
        if (k < cfg.E) warp::copy_elite(w, T, old, next, src, k);
        else warp::breed(w, I, cfg, old, next, k, g, sc);
      });
    }
    check_valid(pops[g & 1]);
    rank(pops[g & 1], g);
  }

  GaResult result;
  if (st.stop_generation != 0xFFFFFFFFu) result.stop = StopReason::stall;
  result.generations_run = st.last_generation;
  result.history.assign(history.begin(), history.begin() + st.last_generation + 1);
  const HostPopulation& last = pops[st.last_generation & 1];
  result.backend = Backend::cuda;
  finish_result(setup,
                std::vector<std::uint32_t>(last.genes.begin() + std::size_t(st.best_index) * T,
                                           last.genes.begin() + std::size_t(st.best_index + 1) * T),
                result);
  return result;
}

void check_identical(const GaResult& cpu, const GaResult& emu) {
  CHECK(cpu.generations_run == emu.generations_run);
  CHECK(cpu.stop == emu.stop);
  REQUIRE(cpu.history.size() == emu.history.size());
  for (std::size_t g = 0; g < cpu.history.size(); ++g) {
    INFO("generation ", g);
    const GenerationRecord &a = cpu.history[g], &b = emu.history[g];
    CHECK(a.cost == b.cost);
    CHECK(a.makespan == b.makespan);
    CHECK(a.flowtime == b.flowtime);
    CHECK(a.F == b.F);
    CHECK(a.L == b.L);
  }
  CHECK(cpu.assignment == emu.assignment);
}

EtcInstance mixed_instance(std::uint32_t T, std::uint64_t seed) {
  // 10 machines; widths 1 (any machine), 1 (machines 5..9 only), 2 (aligned
  // pairs), 5 (one of two halves); uneven ETCs and ready times.
  EtcSpec spec;
  spec.tasks = T;
  spec.machines = 10;
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 3;
  auto next = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
  };
  spec.etc.resize(std::size_t(T) * 10);
  for (double& e : spec.etc) e = 0.5 * double(1 + next() % 64);
  spec.ready = {0, 4, 0, 0, 7.5, 0, 1, 0, 0, 2};
  spec.slot_lists = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {5, 6, 7, 8, 9}, {0, 2, 4, 6, 8}, {0, 5}};
  const std::uint32_t widths[] = {1, 1, 2, 5};
  for (std::uint32_t t = 0; t < T; ++t) {
    // Mostly width 1 so that most blocks take the warp's fast path.
    const std::uint32_t r = static_cast<std::uint32_t>(next() % 16);
    const std::uint32_t kind = r < 11 ? 0 : r < 13 ? 1 : r < 15 ? 2 : 3;
    spec.task_list.push_back(kind);
    spec.width.push_back(widths[kind]);
  }
  return make_instance(spec);
}

GaParams emu_params(std::uint32_t population, std::uint32_t generations, std::uint64_t seed) {
  GaParams p = cpu_run(GaParams{}, population, generations, seed);
  p.mutation_rate = 0.7;
  p.load_move_rate = 0.7;
  return p;
}

// The 70-task width-1 instance: two full blocks of 32 and a partial block of 6.
EtcInstance seventy_tasks() {
  std::vector<double> etc(70 * 6), ready{0, 3, 0, 0, 9, 1};
  for (std::size_t i = 0; i < etc.size(); ++i) etc[i] = double((i * 37 + 11) % 29 + 1) * 0.25;
  return make_instance(70, 6, etc, ready);
}

// Runs the emulated CUDA backend and the CPU backend, checks that they agree
// bit for bit and that every individual was valid; returns the CPU result.
GaResult emulated_equals_cpu(const EtcInstance& inst, const GaParams& p) {
  int invalid = 0;
  const GaResult emu = emulate_cuda(inst, p, invalid);
  GaResult cpu = run_ga(inst, p);
  check_identical(cpu, emu);
  CHECK(invalid == 0);
  return cpu;
}

}  // namespace

TEST_CASE("ga warp code: emulated CUDA backend equals the CPU backend (width-1 tasks, 70 tasks)") {
  const EtcInstance inst = seventy_tasks();
  GaParams p = emu_params(10, 6, 7);
  emulated_equals_cpu(inst, p);
}

TEST_CASE("ga warp code: emulated CUDA backend equals the CPU backend (gangs, restricted slots, F in the cost)") {
  EtcInstance inst = mixed_instance(45, 5);
  GaParams p = emu_params(9, 5, 11);
  p.w_F = 0.5;
  p.w_flowtime = 0.25;
  p.w_variance = 1.0;
  p.uniform_crossover_share = 0.7;
  const GaResult cpu = emulated_equals_cpu(inst, p);
  CHECK(cpu.history.back().F != 0);  // F was computed during the run
}

TEST_CASE("ga warp code: emulated CUDA backend equals the CPU backend when the stall limit stops the run") {
  EtcInstance inst = make_instance(5, 2, {3, 4, 2, 2, 5, 1, 1, 3, 4, 4});
  GaParams p = emu_params(6, 200, 3);
  p.stall_generations = 3;
  CHECK(emulated_equals_cpu(inst, p).stop == StopReason::stall);
}

TEST_CASE("ga warp code: the memetic GA (islands, migration, local search, replace-if-better, perturbed seeds)") {
  const EtcInstance inst = seventy_tasks();
  GaParams p = cpu_run(memetic_params(), 12, 7, 5);
  p.islands = 3;
  p.migration_interval = 2;
  p.load_move_rate = 0.5;  // the load-aware move before the descent, too
  p.w_variance = 0.25;     // a cost the descent does not optimise directly
  const GaResult cpu = emulated_equals_cpu(inst, p);
  // The descent ran: the best makespan fell below Min-Min's in generation 1.
  CHECK(cpu.history[1].makespan < cpu.history[0].makespan);
}

TEST_CASE("ga warp code: the descent with and without ejection chains, both backends alike") {
  // Chains change a run only where a child's move/swap optimum is not a
  // chain optimum, which is rare: small Braun instances are searched (CPU
  // backend) for one where the runs with and without chains differ, and on
  // it both runs must agree bit for bit between the backends.
  auto differ = [](const GaResult& a, const GaResult& b) {
    if (a.assignment != b.assignment || a.history.size() != b.history.size()) return true;
    for (std::size_t g = 0; g < a.history.size(); ++g)
      if (a.history[g].makespan != b.history[g].makespan) return true;
    return false;
  };
  bool found = false;
  for (const char* name : {"u_c_hihi", "u_s_hihi", "u_i_hihi", "u_c_lohi", "u_s_lolo"}) {
    for (std::uint64_t seed = 1; seed <= 4 && !found; ++seed) {
      const EtcInstance inst = make_instance(48, 6, braun_etc(parse_braun_class(name), seed, 48, 6));
      GaParams on = cpu_run(memetic_params(), 8, 10, seed);
      on.islands = 2;
      on.ejection_chains = true;
      GaParams off = on;
      off.ejection_chains = false;
      if (!differ(run_ga(inst, on), run_ga(inst, off))) continue;
      found = true;
      INFO(name, " seed ", seed);
      CHECK(differ(emulated_equals_cpu(inst, on), emulated_equals_cpu(inst, off)));
    }
    if (found) break;
  }
  CHECK(found);
}

TEST_CASE("ga warp code: memetic settings on gangs and restricted slots (no descent there)") {
  EtcInstance inst = mixed_instance(45, 8);
  GaParams p = cpu_run(memetic_params(), 8, 6, 9);
  p.islands = 2;
  p.migration_interval = 3;
  emulated_equals_cpu(inst, p);
  CHECK(prepare_ga(inst, p).cfg.ls_steps == 0);
}

TEST_CASE("ga warp code: the memetic GA seeded with perturbed copies of an initial assignment (the LP seed's path)") {
  std::vector<double> etc(70 * 6), ready{0, 3, 0, 0, 9, 1};
  for (std::size_t i = 0; i < etc.size(); ++i) etc[i] = double((i * 37 + 11) % 29 + 1) * 0.25;
  EtcInstance inst = make_instance(70, 6, etc, ready);
  GaParams p = memetic_params();
  p.population = 12;
  p.islands = 3;
  p.generations = 5;
  p.seed = 8;
  p.backend = Backend::cpu;
  p.threads = 1;
  std::vector<std::uint32_t> start(70);
  for (std::uint32_t t = 0; t < 70; ++t) start[t] = (t * 5) % 6;
  p.initial_assignments = {start};
  p.perturb_initial = true;
  int invalid = 0;
  GaResult emu = emulate_cuda(inst, p, invalid);
  GaResult cpu = run_ga(inst, p);
  check_identical(cpu, emu);
  CHECK(invalid == 0);
}
