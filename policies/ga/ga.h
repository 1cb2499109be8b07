#pragma once
// The genetic algorithm over an ETC instance (docs/ga.md). A chromosome gives each task a slot (first machine); it is
// decoded by list scheduling in task order (policies/ga/fitness.h).
//
// Generation 0: Min-Min's and the least-loaded (OLB) assignment, the rest
// uniformly random slots. Each later generation keeps the `elites` best
// individuals and breeds the others: two tournament winners, crossover
// (uniform or one-point), random reassignment of a few genes, and a
// load-aware move of one task off the machine that finishes last. Stops after
// `generations`, after `stall_generations` without improvement, or at the time
// limit.
//
// Determinism: every random draw is Philox4x32-10 keyed by (seed, generation,
// individual, stream); the fitness is integer (ticks) except F and L, which are
// summed in a fixed order without FMA contraction. Hence the CPU backend with
// any thread count and the CUDA backend give bit-identical best chromosomes and
// histories (the time limit aside, which stops at a wall-clock-dependent
// generation).
#include <cstdint>
#include <string>
#include <vector>

#include "policies/ga/etc_instance.h"
#include "policies/ga/fitness.h"

namespace fastgpu::ga {

enum class Backend : std::uint8_t { automatic, cpu, cuda };
const char* to_string(Backend b);      // "auto", "cpu", "cuda"
Backend parse_backend(const std::string& s);  // throws std::invalid_argument

struct GaParams {
  std::uint32_t population = 256;
  std::uint32_t generations = 500;        // breeding steps
  std::uint32_t stall_generations = 0;    // stop after this many without improvement; 0 = never
  double time_limit_seconds = 0;          // wall clock for the generations; 0 = none
  double cpu_time_limit_seconds = 0;      // process CPU time (all threads) for the generations; 0 = none;
                                          // CPU backend only (it measures what a loaded machine really gave)
  std::uint32_t tournament_size = 2;
  std::uint32_t elites = 2;               // copied unchanged; >= 1 keeps the best cost from rising
  double crossover_rate = 0.9;            // probability a child is a crossover (else a copy of parent 1)
  double uniform_crossover_share = 0.5;   // of crossovers: uniform (else one-point)
  double mutation_rate = 0.5;             // probability a child gets random reassignment ...
  std::uint32_t mutation_genes = 2;       // ... of 1..mutation_genes genes
  double load_move_rate = 0.5;            // probability of the load-aware move
  bool seed_min_min = true;               // individual 0 = Min-Min
  bool seed_least_loaded = true;          // next individual = least-loaded (OLB)
  // Warm start: further individuals of generation 0, after the two above
  // (each a valid assignment; as many as fit in the population).
  std::vector<std::vector<std::uint32_t>> initial_assignments;
  // The memetic parts (docs/ga.md). Off by default: that is the plain GA the
  // online `ga` policy runs; memetic_params() turns them on.
  std::uint32_t local_search_steps = 0;   // move/swap descent steps per child; 0 = none. Applied only when
                                          // every task has width 1 and may run on every machine
  bool ejection_chains = false;           // the descent also tries two-task chains (local_search.h)
  std::uint32_t islands = 1;              // equal islands (population % islands == 0); parents from the child's island
  std::uint32_t migration_interval = 0;   // every this many generations parent 2 comes from the previous island
  bool replace_if_better = false;         // child k replaces individual k only if its cost is not higher
  double perturbed_seeds = 0;             // share of the population seeded with Min-Min, each gene then ...
  double perturb_rate = 0.05;             // ... reassigned to a random allowed slot with this probability
  bool perturb_initial = false;           // perturbed copies start from initial_assignments[0] instead of Min-Min
  std::uint64_t seed = 1;
  // Cost weights (see fitness.h); references are Min-Min's values.
  double w_makespan = 1.0;
  double w_flowtime = 0.0;
  double w_F = 0.0;
  double w_variance = 0.1;
  double alpha = 0.5;                     // alpha of the responsiveness F
  Backend backend = Backend::automatic;
  unsigned threads = 0;                   // CPU backend: 0 = hardware concurrency

  void validate() const;                  // throws std::invalid_argument naming the parameter
};

// Best individual of one generation.
struct GenerationRecord {
  double cost = 0;
  Ticks makespan = 0;
  Ticks flowtime = 0;
  double F = 0;    // 0 unless w_F != 0
  double L = 0;
};

enum class StopReason : std::uint8_t { generations, stall, time_limit };
const char* to_string(StopReason r);

struct GaResult {
  std::vector<std::uint32_t> assignment;  // best chromosome: slot per task
  Fitness fitness;                        // of the best, every term computed
  Fitness reference;                      // Min-Min's (the cost references)
  CostModel cost_model;
  std::vector<GenerationRecord> history;  // generation 0 .. generations_run
  std::uint32_t generations_run = 0;
  StopReason stop = StopReason::generations;
  Backend backend = Backend::cpu;         // the one that ran
  std::string device;                     // "cpu, 2 threads" or the GPU's name
  double setup_seconds = 0;               // Min-Min, seeding, uploads
  double loop_seconds = 0;                // generation 0 evaluation + breeding
  double wall_seconds = 0;                // everything
};

GaResult run_ga(const EtcInstance& inst, const GaParams& params);

// The memetic GA's settings for makespan minimisation (`fastgpu solve`'s
// default): small islands, local search on every child, replace-if-better,
// cost = makespan only. The caller sets seed, budget, backend and threads.
GaParams memetic_params();

// CUDA availability at run time (false when built without CUDA).
bool cuda_built();
int cuda_device_count();
std::string cuda_device_description(int device = 0);  // name, SMs, memory bandwidth

// Peak memory bandwidth of a CUDA device in bytes/s (0 without CUDA).
double cuda_peak_bandwidth(int device = 0);

}  // namespace fastgpu::ga
