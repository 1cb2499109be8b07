// The GA's entry point: parameter checks, backend choice, the setup both
// backends share (Min-Min reference and seeds) and the wrap-up.
#include "policies/ga/ga.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <stdexcept>

#include "policies/ga/etc_heuristics.h"
#include "policies/ga/ga_internal.h"

namespace fastgpu::ga {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void check(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("GA parameter " + what);
}

bool finite_nonneg(double x) { return x >= 0 && x <= 1e300; }

}  // namespace

const char* to_string(Backend b) {
  switch (b) {
    case Backend::automatic: return "auto";
    case Backend::cpu: return "cpu";
    case Backend::cuda: return "cuda";
  }
  return "?";
}

Backend parse_backend(const std::string& s) {
  if (s == "auto") return Backend::automatic;
  if (s == "cpu") return Backend::cpu;
  if (s == "cuda") return Backend::cuda;
  throw std::invalid_argument("unknown GA backend '" + s + "' (auto, cpu, cuda)");
}

const char* to_string(StopReason r) {
  switch (r) {
    case StopReason::generations: return "generations";
    case StopReason::stall: return "stall";
    case StopReason::time_limit: return "time-limit";
  }
  return "?";
}

void GaParams::validate() const {
  check(population >= 2, "population must be at least 2");
  check(elites >= 1 && elites < population, "elites must be in 1 .. population-1");
  check(tournament_size >= 1, "tournament_size must be at least 1");
  check(mutation_genes >= 1, "mutation_genes must be at least 1");
  check(crossover_rate >= 0 && crossover_rate <= 1, "crossover_rate must be in [0, 1]");
  check(uniform_crossover_share >= 0 && uniform_crossover_share <= 1, "uniform_crossover_share must be in [0, 1]");
  check(mutation_rate >= 0 && mutation_rate <= 1, "mutation_rate must be in [0, 1]");
  check(load_move_rate >= 0 && load_move_rate <= 1, "load_move_rate must be in [0, 1]");
  check(finite_nonneg(time_limit_seconds), "time_limit must be >= 0");
  check(finite_nonneg(cpu_time_limit_seconds), "cpu_time_limit must be >= 0");
  check(finite_nonneg(w_makespan) && finite_nonneg(w_flowtime) && finite_nonneg(w_F) && finite_nonneg(w_variance),
        "weights must be finite and >= 0");
  check(finite_nonneg(alpha), "alpha must be finite and >= 0");
  check(perturbed_seeds >= 0 && perturbed_seeds <= 1, "perturbed_seeds must be in [0, 1]");
  check(perturb_rate >= 0 && perturb_rate <= 1, "perturb_rate must be in [0, 1]");
  check(islands >= 1 && population % islands == 0 && population / islands >= 2,
        "islands must divide the population into islands of at least 2");
}

GaParams memetic_params() {
  GaParams p;
  p.population = 64;
  p.islands = 4;
  p.migration_interval = 10;
  p.elites = 1;
  p.tournament_size = 2;
  p.crossover_rate = 0.9;
  p.uniform_crossover_share = 1.0;
  p.mutation_rate = 0.5;
  p.mutation_genes = 4;
  p.load_move_rate = 0.0;
  p.local_search_steps = 1000;
  p.perturbed_seeds = 1.0;
  p.perturb_rate = 0.05;
  p.replace_if_better = true;
  p.w_makespan = 1.0;
  p.w_variance = 0.0;
  return p;
}

namespace {

// The local search assumes width-1 tasks each allowed on every machine.
bool local_search_applies(const EtcInstance& inst) {
  for (std::uint32_t t = 0; t < inst.tasks; ++t)
    if (inst.width[t] != 1 || inst.slots(t).size() != inst.machines) return false;
  return true;
}

}  // namespace

GaSetup prepare_ga(const EtcInstance& inst, const GaParams& params) {
  GaSetup setup;
  setup.inst = &inst;
  HeuristicSchedule mm = min_min(inst);

  CostModel cost;
  cost.w_makespan = params.w_makespan;
  cost.w_flowtime = params.w_flowtime;
  cost.w_F = params.w_F;
  cost.w_variance = params.w_variance;
  cost.alpha = params.alpha;
  cost.tick = inst.tick;
  Fitness ref = evaluate(inst, mm.assignment, cost);
  cost.ref_makespan = ref.makespan > 0 ? static_cast<double>(ref.makespan) : 1.0;
  cost.ref_flowtime = ref.flowtime > 0 ? static_cast<double>(ref.flowtime) : 1.0;
  cost.ref_F = ref.F > 0 ? ref.F : 1.0;
  setup.reference = evaluate(inst, mm.assignment, cost);

  GaConfig& cfg = setup.cfg;
  cfg.P = params.population;
  cfg.E = params.elites;
  cfg.tournament = params.tournament_size;
  cfg.mutation_genes = params.mutation_genes;
  cfg.crossover_threshold = probability_threshold(params.crossover_rate);
  cfg.uniform_threshold = probability_threshold(params.uniform_crossover_share);
  cfg.mutation_threshold = probability_threshold(params.mutation_rate);
  cfg.move_threshold = probability_threshold(params.load_move_rate);
  cfg.key = philox_key(params.seed);
  cfg.cost = cost;
  cfg.want_F = params.w_F != 0;
  cfg.ls_steps = local_search_applies(inst) ? params.local_search_steps : 0;
  cfg.ejection_chains = params.ejection_chains;
  cfg.islands = params.islands;
  cfg.island_size = params.population / params.islands;
  cfg.migration_interval = params.migration_interval;
  cfg.replace_if_better = params.replace_if_better;

  if (params.seed_min_min) setup.seeded.push_back(mm.assignment);
  if (params.seed_least_loaded && setup.seeded.size() < params.population)
    setup.seeded.push_back(least_loaded(inst).assignment);
  for (const std::vector<std::uint32_t>& a : params.initial_assignments)
    if (setup.seeded.size() < params.population) setup.seeded.push_back(a);
  // Perturbed copies of Min-Min or of the first initial assignment (drawn on
  // the host, so every backend gets the same individuals): a population that
  // starts near a good schedule.
  const auto perturbed = static_cast<std::uint32_t>(params.perturbed_seeds * params.population);
  const std::uint64_t perturb = probability_threshold(params.perturb_rate);
  const std::vector<std::uint32_t>& base =
      params.perturb_initial && !params.initial_assignments.empty() ? params.initial_assignments.front() : mm.assignment;
  for (std::uint32_t i = 0; i < perturbed && setup.seeded.size() < params.population; ++i) {
    const auto k = static_cast<std::uint32_t>(setup.seeded.size());
    std::vector<std::uint32_t> genes = base;
    Draws d(cfg.key, k, 0, kStreamPerturb);
    for (std::uint32_t t = 0; t < inst.tasks; ++t) {
      const std::uint32_t coin = d.next(), pick = d.next();
      if (chance(coin, perturb)) {
        auto slots = inst.slots(t);
        genes[t] = slots[uniform_index(pick, static_cast<std::uint32_t>(slots.size()))];
      }
    }
    setup.seeded.push_back(std::move(genes));
  }
  setup.stall_limit = params.stall_generations;
  setup.generations = params.generations;
  setup.time_limit = params.time_limit_seconds;
  setup.cpu_time_limit = params.cpu_time_limit_seconds;
  return setup;
}

void rank_population(const double* cost, std::uint32_t P, std::uint32_t E, std::uint32_t* elites) {
  std::vector<std::uint32_t> idx(P);
  std::iota(idx.begin(), idx.end(), 0u);
  std::partial_sort(idx.begin(), idx.begin() + E, idx.end(),
                    [&](std::uint32_t a, std::uint32_t b) { return better(cost[a], a, cost[b], b); });
  std::copy(idx.begin(), idx.begin() + E, elites);
}

void finish_result(const GaSetup& setup, std::vector<std::uint32_t> best, GaResult& out) {
  const EtcInstance& inst = *setup.inst;
  out.assignment = std::move(best);
  out.cost_model = setup.cfg.cost;
  out.reference = setup.reference;
  out.fitness = evaluate(inst, out.assignment, setup.cfg.cost);
  if (!out.history.empty()) {
    const GenerationRecord& last = out.history.back();
    // The backend's own score of its best must agree with the host's.
    if (last.makespan != out.fitness.makespan || last.flowtime != out.fitness.flowtime ||
        last.cost != out.fitness.cost || last.L != out.fitness.L)
      throw std::logic_error(std::string("GA backend ") + to_string(out.backend) +
                             ": the best individual's fitness differs from the host evaluation");
  }
}

GaResult run_ga(const EtcInstance& inst, const GaParams& params) {
  const auto t0 = std::chrono::steady_clock::now();
  params.validate();
  inst.validate();
  for (const std::vector<std::uint32_t>& a : params.initial_assignments)
    check(valid_assignment(inst, a), "initial_assignments: each must give every task one of its allowed slots");

  Backend backend = params.backend;
  if (backend == Backend::automatic) backend = cuda_device_count() > 0 ? Backend::cuda : Backend::cpu;
  if (backend == Backend::cuda) {
    if (!cuda_built()) throw std::runtime_error("GA backend cuda: this build has no CUDA support");
    if (cuda_device_count() == 0) throw std::runtime_error("GA backend cuda: no CUDA device is present");
    check(params.cpu_time_limit_seconds == 0, "cpu_time_limit applies to the CPU backend only (cuda: use time_limit)");
  }

  GaSetup setup = prepare_ga(inst, params);
  const double setup_seconds = seconds_since(t0);
  GaResult result;
  if (inst.tasks == 0) {
    result.backend = Backend::cpu;
    result.device = "none (no tasks)";
    finish_result(setup, {}, result);
    GenerationRecord rec{result.fitness.cost, result.fitness.makespan, result.fitness.flowtime, 0.0, result.fitness.L};
    result.history.push_back(rec);
  } else {
    result = backend == Backend::cuda ? run_cuda(setup, params) : run_cpu(setup, params);
  }
  result.setup_seconds = setup_seconds;
  result.wall_seconds = seconds_since(t0);
  return result;
}

#if !defined(FASTGPU_HAVE_CUDA)
bool cuda_built() { return false; }
int cuda_device_count() { return 0; }
std::string cuda_device_description(int) { return {}; }
double cuda_peak_bandwidth(int) { return 0; }
GaResult run_cuda(const GaSetup&, const GaParams&) {
  throw std::runtime_error("GA backend cuda: this build has no CUDA support");
}
#endif

}  // namespace fastgpu::ga
