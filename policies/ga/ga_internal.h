#pragma once
// Internals shared by the GA backends (ga_cpu.cpp, ga_cuda.cu) and the tests
// that compare them: flat views of the instance and the population, the
// per-run configuration, and the small pieces of the algorithm both backends
// must compute identically. Not a public interface.
#include <cstdint>
#include <vector>

#include "policies/ga/etc_instance.h"
#include "policies/ga/fitness.h"
#include "policies/ga/ga.h"
#include "policies/ga/ga_math.h"

namespace fastgpu::ga {

// The instance as raw arrays (host or device memory).
struct InstanceView {
  std::uint32_t T = 0, M = 0;
  const Ticks* etc = nullptr;             // T x M
  const Ticks* ready = nullptr;           // M
  const std::uint32_t* width = nullptr;   // T
  const std::uint32_t* task_list = nullptr;    // T
  const std::uint32_t* list_offset = nullptr;  // lists + 1
  const std::uint32_t* list_slots = nullptr;
};

inline InstanceView view_of(const EtcInstance& inst) {
  return InstanceView{inst.tasks,         inst.machines,         inst.etc.data(),       inst.ready.data(),
                      inst.width.data(),  inst.task_list.data(), inst.list_offset.data(), inst.list_slots.data()};
}

// A population: genes individual-major (individual k's genes at k*T), one
// fitness record per individual.
struct PopView {
  std::uint32_t* genes = nullptr;
  double* cost = nullptr;
  Ticks* makespan = nullptr;
  Ticks* flowtime = nullptr;
  double* F = nullptr;
  double* L = nullptr;
};

// Everything a generation needs, as plain values (passed to kernels by value).
struct GaConfig {
  std::uint32_t P = 0;                 // population
  std::uint32_t E = 0;                 // elites
  std::uint32_t tournament = 2;
  std::uint32_t mutation_genes = 1;
  std::uint64_t crossover_threshold = 0, uniform_threshold = 0, mutation_threshold = 0, move_threshold = 0;
  PhiloxKey key;
  CostModel cost;
  bool want_F = false;                 // compute F during the run (only when w_F != 0)
  std::uint32_t ls_steps = 0;          // local search steps per child (0 when off or not applicable)
  bool ejection_chains = false;        // local_search.h's third neighbourhood
  std::uint32_t islands = 1;
  std::uint32_t island_size = 0;       // P / islands
  std::uint32_t migration_interval = 0;
  bool replace_if_better = false;
};

// --- pieces both backends compute the same way -----------------------------------

FASTGPU_HD inline unsigned popcount32(std::uint32_t x) {
#if defined(__CUDA_ARCH__)
  return __popc(x);
#else
  return static_cast<unsigned>(__builtin_popcount(x));
#endif
}

// Index of the n-th (0-based) set bit of mask (32 if none).
FASTGPU_HD inline unsigned nth_set_bit(std::uint32_t mask, unsigned n) {
  for (unsigned i = 0; i < 32; ++i)
    if ((mask >> i) & 1u) {
      if (n == 0) return i;
      --n;
    }
  return 32;
}

// Gene t of a random initial individual k.
FASTGPU_HD inline std::uint32_t init_gene(const InstanceView& I, PhiloxKey key, std::uint32_t k, std::uint32_t t) {
  const std::uint32_t r = philox_block(key, k, 0, kStreamInit, t >> 2).v[t & 3u];
  const std::uint32_t list = I.task_list[t];
  const std::uint32_t off = I.list_offset[list];
  return I.list_slots[off + uniform_index(r, I.list_offset[list + 1] - off)];
}

// Tournament among individuals lo .. lo+n-1: `size` uniform entrants, the
// best (cost, index) wins.
FASTGPU_HD inline std::uint32_t tournament(Draws& d, const double* cost, std::uint32_t lo, std::uint32_t n,
                                           std::uint32_t size) {
  std::uint32_t win = lo + uniform_index(d.next(), n);
  for (std::uint32_t i = 1; i < size; ++i) {
    std::uint32_t c = lo + uniform_index(d.next(), n);
    if (better(cost[c], c, cost[win], win)) win = c;
  }
  return win;
}

// Parents of individual k in generation g: both from k's island, except that
// every migration_interval generations parent 2 comes from the previous island
// (a ring), which is how good genes migrate. One island = the whole population.
struct Parents {
  std::uint32_t p1 = 0, p2 = 0;
};
FASTGPU_HD inline Parents select_parents(const GaConfig& cfg, const double* cost, std::uint32_t k, std::uint32_t g) {
  Draws sel(cfg.key, k, g, kStreamSelect);
  const std::uint32_t S = cfg.island_size, island = k / S, lo = island * S;
  Parents p;
  p.p1 = tournament(sel, cost, lo, S, cfg.tournament);
  std::uint32_t lo2 = lo;
  if (cfg.islands > 1 && cfg.migration_interval > 0 && g % cfg.migration_interval == 0)
    lo2 = (island == 0 ? cfg.islands - 1 : island - 1) * S;
  p.p2 = tournament(sel, cost, lo2, S, cfg.tournament);
  return p;
}

// Rank of individual i by (cost, index): 0 = best.
FASTGPU_HD inline std::uint32_t rank_of(const double* cost, std::uint32_t P, std::uint32_t i) {
  std::uint32_t r = 0;
  const double c = cost[i];
  for (std::uint32_t j = 0; j < P; ++j) r += better(cost[j], j, c, i) ? 1u : 0u;
  return r;
}

// The draws of the crossover stream, decoded.
enum CrossoverKind : std::uint32_t { kCopy = 0, kUniform = 1, kOnePoint = 2 };
struct CrossoverPlan {
  std::uint32_t kind = kCopy;
  std::uint32_t cut = 0;  // one-point: genes < cut from parent 1
};
FASTGPU_HD inline CrossoverPlan plan_crossover(const GaConfig& cfg, std::uint32_t T, std::uint32_t k, std::uint32_t g) {
  Draws d(cfg.key, k, g, kStreamCrossover);
  const std::uint32_t x0 = d.next(), x1 = d.next(), x2 = d.next();
  CrossoverPlan p;
  if (chance(x0, cfg.crossover_threshold)) {
    if (chance(x1, cfg.uniform_threshold)) {
      p.kind = kUniform;
    } else {
      p.kind = kOnePoint;
      p.cut = 1 + uniform_index(x2, T > 0 ? T - 1 : 0);
    }
  }
  return p;
}

// Stall bookkeeping after each generation's ranking (host and device alike).
struct RunState {
  double best_cost = 0;
  std::uint32_t stall = 0;
  std::uint32_t stop_generation = 0xFFFFFFFFu;  // set when the stall limit is reached
  std::uint32_t last_generation = 0;            // last generation ranked
  std::uint32_t best_index = 0;                 // best individual of that generation
};
FASTGPU_HD inline void record_generation(RunState& st, std::uint32_t g, double best_cost, std::uint32_t best_index,
                                         std::uint32_t stall_limit) {
  if (g == 0 || best_cost < st.best_cost) {
    st.best_cost = best_cost;
    st.stall = 0;
  } else {
    ++st.stall;
  }
  if (stall_limit > 0 && g > 0 && st.stall >= stall_limit) st.stop_generation = g;
  st.last_generation = g;
  st.best_index = best_index;
}

// --- host-side setup and wrap-up ----------------------------------------------------

struct GaSetup {
  const EtcInstance* inst = nullptr;
  GaConfig cfg;
  Fitness reference;                                // Min-Min's fitness
  std::vector<std::vector<std::uint32_t>> seeded;   // individuals 0.. taken from heuristics
  std::uint32_t stall_limit = 0;
  std::uint32_t generations = 0;
  double time_limit = 0;       // wall seconds
  double cpu_time_limit = 0;   // process CPU seconds (CPU backend)
};

GaSetup prepare_ga(const EtcInstance& inst, const GaParams& params);

// The top-E individuals by (cost, index), best first.
void rank_population(const double* cost, std::uint32_t P, std::uint32_t E, std::uint32_t* elites);

// Scores the winner on the host with every term and fills the common fields.
void finish_result(const GaSetup& setup, std::vector<std::uint32_t> best, GaResult& out);

// The CPU backend's breeding of individual k (>= elites) of generation g from
// the previous population (P individuals' genes and costs): selection,
// crossover, mutation, load-aware move; returns the child's fitness. Exposed
// so tests can check the operators on every child.
Fitness breed_cpu(const EtcInstance& inst, const GaConfig& cfg, const std::uint32_t* old_genes,
                  const double* old_cost, std::uint32_t* child, std::uint32_t k, std::uint32_t g, Evaluator& ev);

// The backends. run_cuda throws std::runtime_error when built without CUDA or
// without a device.
GaResult run_cpu(const GaSetup& setup, const GaParams& params);
GaResult run_cuda(const GaSetup& setup, const GaParams& params);

}  // namespace fastgpu::ga
