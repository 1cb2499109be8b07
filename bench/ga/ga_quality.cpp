// GA quality benchmark: the memetic GA against Min-Min and the
// iterated local search on Braun et al.'s 512 x 16 ETC instances, the shared
// ones (when present) and generated ones of all twelve classes
// (policies/ga/braun_etc.h). Standard library + the GA core only.
//
//   bench_ga_quality [--data DIR] [--classes all|none|u_c_hihi,...] [--instance-seeds 1,2]
//                    [--seeds 1,2,3] [--generations G] [--seconds S] [--cpu-seconds S] [--checkpoints C,...] [--threads N]
//                    [--ils] [--lp-seed] [--milp-seconds S] [--convergence FILE.csv] [--backend cpu|cuda]
//                    [--set NAME=VALUE ...]
//
// --set changes one parameter of memetic_params() (population, islands,
// migration_interval, elites, tournament_size, crossover_rate,
// uniform_crossover_share, mutation_rate, mutation_genes, load_move_rate,
// local_search_steps, ejection_chains, replace_if_better, perturbed_seeds, perturb_rate).
// Per instance and GA seed: the GA runs up to G generations or S seconds of
// wall time (--cpu-seconds S: of process CPU time, every thread's, the LP
// seed's included), whichever first; the row gives its makespan, its gap to the
// reference, generations, wall and process CPU seconds, and t1%: the loop
// seconds until the best was within 1% of the reference (generations taken as
// equally long; "-" if never). With --ils the
// iterated local search (one thread) then runs for the GA's CPU seconds with
// the same seed, so both had the same processor time. --lp-seed (only in the
// main build, which has Clp) starts both from the schedule rounded from the LP
// relaxation (policies/bound/lp_seed.h): the GA gets it as an initial
// assignment and perturbs it instead of Min-Min; the ILS starts from it. The reference is the
// best schedule an exact MILP solver found in 120 s for the shared instances
// (from the issue), else a valid lower bound from the assignment LP's dual
// (lagrangian_bound below; in the main build the Clp LP bound, which is at
// least as high; labelled "bound"). --convergence writes the
// GA's best makespan per generation (with its wall second) of every run.
// --checkpoints C,... adds the GA's gap after C process CPU seconds of the
// same run (generations taken as equally long), so one run gives the 1 s /
// 5 s / 10 s columns. --milp-seconds S (main build with Cbc) also runs the
// MILP (policies/bound/milp_bound.h) for S seconds per instance, started from
// the best GA schedule. Each instance ends with a summary line: the best
// proven bound (the LP bound, or Cbc's when higher), the best known schedule
// (the lowest of every GA run, ILS run and Cbc's) and every run's gap to
// both.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "policies/ga/braun_etc.h"
#include "policies/ga/etc_heuristics.h"
#include "policies/ga/etc_io.h"
#include "policies/ga/ga.h"
#include "policies/ga/ils.h"
#if defined(FASTGPU_BENCH_LP_SEED)
#include "policies/bound/lp_bound.h"
#include "policies/bound/lp_seed.h"
#include "policies/bound/milp_bound.h"
#endif

using namespace fastgpu::ga;

namespace {

struct Options {
  std::string data = "../shared/data/braun-etc";
  std::vector<std::string> classes;  // empty = all twelve
  bool no_generated = false;
  std::vector<std::uint64_t> instance_seeds{1};
  std::vector<std::uint64_t> seeds{1, 2, 3};
  std::uint32_t generations = 1000000;
  double seconds = 5;
  double cpu_seconds = 0;                 // > 0: the GA's budget in process CPU seconds instead of wall seconds
  std::vector<double> checkpoints;        // process CPU seconds at which to report the GA's best
  unsigned threads = 2;
  bool ils = false;
  bool lp_seed = false;
  double milp_seconds = 0;                // > 0: Cbc per instance (main build)
  Backend backend = Backend::cpu;
  std::string convergence;
  std::vector<std::string> sets;  // name=value overrides of memetic_params()
};


[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "bench_ga_quality: %s\nusage: bench_ga_quality [--data DIR] [--classes all|none|NAME,...] "
               "[--instance-seeds S,...] [--seeds S,...] [--generations G] [--seconds S] [--cpu-seconds S] [--checkpoints C,...] [--threads N] [--ils] [--lp-seed] "
               "[--convergence FILE.csv] [--backend cpu|cuda] [--set NAME=VALUE ...]\n",
               why);
  std::exit(2);
}

// --set NAME=VALUE: one GaParams field changed from memetic_params().
void apply_set(GaParams& p, const std::string& kv) {
  const std::size_t eq = kv.find('=');
  if (eq == std::string::npos) usage(("--set expects NAME=VALUE, got " + kv).c_str());
  const std::string k = kv.substr(0, eq);
  const double v = std::strtod(kv.c_str() + eq + 1, nullptr);
  const auto u = static_cast<std::uint32_t>(v);
  if (k == "population") p.population = u;
  else if (k == "islands") p.islands = u;
  else if (k == "migration_interval") p.migration_interval = u;
  else if (k == "elites") p.elites = u;
  else if (k == "tournament_size") p.tournament_size = u;
  else if (k == "crossover_rate") p.crossover_rate = v;
  else if (k == "uniform_crossover_share") p.uniform_crossover_share = v;
  else if (k == "mutation_rate") p.mutation_rate = v;
  else if (k == "mutation_genes") p.mutation_genes = u;
  else if (k == "load_move_rate") p.load_move_rate = v;
  else if (k == "local_search_steps") p.local_search_steps = u;
  else if (k == "ejection_chains") p.ejection_chains = v != 0;
  else if (k == "replace_if_better") p.replace_if_better = v != 0;
  else if (k == "perturbed_seeds") p.perturbed_seeds = v;
  else if (k == "perturb_rate") p.perturb_rate = v;
  else usage(("--set: unknown parameter " + k).c_str());
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t c = s.find(',', start);
    out.push_back(s.substr(start, c == std::string::npos ? std::string::npos : c - start));
    if (c == std::string::npos) return out;
    start = c + 1;
  }
}

std::uint64_t to_u64(const std::string& s) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0') usage(("not a non-negative integer: " + s).c_str());
  return v;
}

std::vector<std::uint64_t> to_u64s(const std::string& s) {
  std::vector<std::uint64_t> out;
  for (const std::string& x : split(s)) out.push_back(to_u64(x));
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + a).c_str());
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::printf("usage: bench_ga_quality [--data DIR] [--classes all|none|NAME,...] [--instance-seeds S,...] "
                  "[--seeds S,...] [--generations G] [--seconds S] [--cpu-seconds S] [--checkpoints C,...] [--threads N] [--ils] [--lp-seed] [--milp-seconds S] "
                  "[--convergence FILE.csv] [--backend cpu|cuda] [--set NAME=VALUE ...]\n");
      std::exit(0);
    }
    if (a == "--data") o.data = value();
    else if (a == "--classes") {
      const std::string v = value();
      if (v == "none") o.no_generated = true;
      else if (v != "all") o.classes = split(v);
    } else if (a == "--instance-seeds") o.instance_seeds = to_u64s(value());
    else if (a == "--seeds") o.seeds = to_u64s(value());
    else if (a == "--generations") o.generations = static_cast<std::uint32_t>(to_u64(value()));
    else if (a == "--seconds") o.seconds = std::strtod(value().c_str(), nullptr);
    else if (a == "--cpu-seconds") o.cpu_seconds = std::strtod(value().c_str(), nullptr);
    else if (a == "--checkpoints")
      for (const std::string& x : split(value())) o.checkpoints.push_back(std::strtod(x.c_str(), nullptr));
    else if (a == "--threads") o.threads = static_cast<unsigned>(to_u64(value()));
    else if (a == "--ils") o.ils = true;
    else if (a == "--lp-seed") {
#if defined(FASTGPU_BENCH_LP_SEED)
      o.lp_seed = true;
#else
      usage("--lp-seed needs the LP solver (Clp): this bench_ga_quality was built without it");
#endif
    }
    else if (a == "--milp-seconds") {
      o.milp_seconds = std::strtod(value().c_str(), nullptr);
#if defined(FASTGPU_BENCH_LP_SEED)
      if (!fastgpu::bound::milp_available()) usage("--milp-seconds: this build has no COIN-OR Cbc");
#else
      usage("--milp-seconds needs Cbc: this bench_ga_quality was built without the bound library");
#endif
    }
    else if (a == "--backend") {
      try {
        o.backend = parse_backend(value());
      } catch (const std::exception& e) {
        usage(e.what());
      }
    }
    else if (a == "--convergence") o.convergence = value();
    else if (a == "--set") o.sets.push_back(value());
    else usage(("unknown option " + a).c_str());
  }
  for (const std::string& c : o.classes) try {
      parse_braun_class(c);
    } catch (const std::exception& e) {
      usage(e.what());
    }
  return o;
}

struct Instance {
  std::string name;
  EtcInstance inst;
  double reference = 0;        // time units
  const char* reference_kind;  // "MILP best" or "bound"
};

// A lower bound on the optimal makespan from the dual of the assignment LP
// (min C: each task fully assigned, each machine's load <= C): for any
// weights lambda_m >= 0 summing to 1, sum_t min_m lambda_m ETC(t,m) <= C*
// (weight the machine constraints by lambda and relax the rest). Uniform
// weights give sum_t min_m ETC / M; multiplicative-weights ascent (weights of
// overloaded machines grow) raises it; every iterate is valid, the best is
// kept. Also max_t min_m ETC(t,m) is a bound (some machine runs each task).
double lagrangian_bound(const EtcInstance& inst, unsigned iterations = 2000) {
  const std::uint32_t T = inst.tasks, M = inst.machines;
  std::vector<double> lambda(M, 1.0 / M), load(M);
  double best = 0, largest = 0;
  for (std::uint32_t t = 0; t < T; ++t) {
    double lo = inst.to_time(inst.etc_at(t, 0));
    for (std::uint32_t m = 1; m < M; ++m) lo = std::min(lo, inst.to_time(inst.etc_at(t, m)));
    largest = std::max(largest, lo);
  }
  for (unsigned it = 0; it < iterations; ++it) {
    std::fill(load.begin(), load.end(), 0.0);
    double value = 0;
    for (std::uint32_t t = 0; t < T; ++t) {
      std::uint32_t arg = 0;
      double v = lambda[0] * inst.to_time(inst.etc_at(t, 0));
      for (std::uint32_t m = 1; m < M; ++m) {
        const double x = lambda[m] * inst.to_time(inst.etc_at(t, m));
        if (x < v) v = x, arg = m;
      }
      value += v;
      load[arg] += inst.to_time(inst.etc_at(t, arg));
    }
    best = std::max(best, value);
    double mean = 0;
    for (double l : load) mean += l / M;
    if (mean <= 0) break;
    const double step = 0.5 / std::sqrt(1.0 + it);
    double sum = 0;
    for (std::uint32_t m = 0; m < M; ++m) sum += (lambda[m] *= std::exp(step * (load[m] / mean - 1.0)));
    for (double& l : lambda) l /= sum;
  }
  return std::max(best, largest);
}

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::vector<Instance> instances;
  const std::map<std::string, double> milp_best{{"u_c_hihi.0", 7358942.8}, {"u_i_lolo.0", 2535.9}};
  for (const auto& [name, best] : milp_best) {
    const std::string path = o.data + "/" + name;
    if (!std::filesystem::exists(path)) {
      std::printf("# %s: not found under %s, skipped\n", name.c_str(), o.data.c_str());
      continue;
    }
    EtcFile f = read_braun(path);
    instances.push_back({name, make_instance(f.spec), best, "MILP best"});
  }
  if (!o.no_generated) {
    std::vector<BraunClass> classes;
    if (o.classes.empty()) classes = braun_classes();
    for (const std::string& c : o.classes) classes.push_back(parse_braun_class(c));
    for (const BraunClass& c : classes)
      for (std::uint64_t s : o.instance_seeds) {
        Instance in{c.name() + ".gen" + std::to_string(s), make_instance(512, 16, braun_etc(c, s)), 0, "bound"};
        in.reference = lagrangian_bound(in.inst);
#if defined(FASTGPU_BENCH_LP_SEED)
        // The main build has Clp: the LP bound itself (the Lagrangian one is
        // within about 0.002% of it, from below).
        in.reference = std::max(in.reference, fastgpu::bound::lp_makespan_bound(in.inst).value);
#endif
        instances.push_back(std::move(in));
      }
  }

  std::ofstream conv;
  if (!o.convergence.empty()) {
    conv.open(o.convergence);
    if (!conv) usage(("cannot write " + o.convergence).c_str());
    conv << "instance,seed,generation,seconds,makespan,reference\n";
  }
  std::printf("# GA: memetic_params()%s, %u threads, at most %u generations or %.3g s %s; ILS: 1 thread for the "
              "GA's CPU seconds%s; @C: GA gap%% after C process CPU seconds\n",
              o.lp_seed ? " + LP seed" : "", o.threads, o.generations, o.cpu_seconds > 0 ? o.cpu_seconds : o.seconds,
              o.cpu_seconds > 0 ? "process CPU" : "wall", o.lp_seed ? ", from the LP seed" : "");
  std::printf("%-16s %-9s %14s %14s %4s %14s %7s %6s %7s %7s %7s", "instance", "reference", "value", "min-min", "seed",
              "ga", "gap%", "gens", "wall_s", "cpu_s", "t1%_s");
  for (double c : o.checkpoints) std::printf(" %8s", ("@" + std::to_string(c).substr(0, 5)).c_str());
  std::printf(" %14s %7s %7s\n", "ils", "gap%", "kicks");
  for (const Instance& in : instances) {
    std::printf("# %s: dual bound %.1f\n", in.name.c_str(), lagrangian_bound(in.inst));
    const double mm = in.inst.to_time(evaluate(in.inst, min_min(in.inst).assignment, CostModel{}).makespan);
    std::vector<std::uint32_t> start;  // empty: Min-Min
    double lp_cpu = 0;
#if defined(FASTGPU_BENCH_LP_SEED)
    if (o.lp_seed) {
      const double c0 = cpu_seconds();
      start = fastgpu::bound::lp_rounded_assignment(in.inst).assignment;
      lp_cpu = cpu_seconds() - c0;
      std::printf("# %s: LP-rounded seed %.1f (%.3f%% above the reference), %.2f CPU s\n", in.name.c_str(),
                  in.inst.to_time(evaluate(in.inst, start, CostModel{}).makespan),
                  100.0 * (in.inst.to_time(evaluate(in.inst, start, CostModel{}).makespan) / in.reference - 1.0),
                  lp_cpu);
    }
#endif
    std::vector<std::pair<std::string, double>> runs;  // (label, makespan) of this instance's runs
    std::vector<std::uint32_t> best_ga;                // the best GA schedule (Cbc's start)
    double best_ga_makespan = 0;
    for (std::uint64_t seed : o.seeds) {
      GaParams p = memetic_params();
      for (const std::string& kv : o.sets) apply_set(p, kv);
      p.seed = seed;
      p.generations = o.generations;
      p.time_limit_seconds = o.cpu_seconds > 0 ? 0.0 : o.seconds;
      p.cpu_time_limit_seconds = std::max(0.0, o.cpu_seconds - lp_cpu);
      p.threads = o.threads;
      p.backend = o.backend;
      if (!start.empty()) {
        p.initial_assignments = {start};
        p.perturb_initial = true;
      }
      const double c0 = cpu_seconds();
      const GaResult r = run_ga(in.inst, p);
      const double cpu = cpu_seconds() - c0 + lp_cpu;  // the LP's time counts against the GA
      const double ga = in.inst.to_time(r.fitness.makespan);
      runs.push_back({"GA seed " + std::to_string(seed), ga});
      if (best_ga.empty() || ga < best_ga_makespan) best_ga = r.assignment, best_ga_makespan = ga;
      std::string t1 = "-";
      for (std::size_t g = 0; g < r.history.size(); ++g)
        if (in.inst.to_time(r.history[g].makespan) <= 1.01 * in.reference) {
          t1 = std::to_string(r.loop_seconds * double(g + 1) / double(r.history.size())).substr(0, 6);
          break;
        }
      std::printf("%-16s %-9s %14.1f %14.1f %4llu %14.1f %7.3f %6u %7.2f %7.2f %7s", in.name.c_str(), in.reference_kind,
                  in.reference, mm, static_cast<unsigned long long>(seed), ga, 100.0 * (ga / in.reference - 1.0),
                  r.generations_run, r.wall_seconds, cpu, t1.c_str());
      // The best after c CPU seconds, the generations taken as equally long
      // (the LP's time first): the budgets of shorter runs, from this one.
      for (double c : o.checkpoints) {
        const double per_gen = (cpu - lp_cpu) / double(r.history.size());
        if (c > cpu * 1.0001 || c < lp_cpu + per_gen) {
          std::printf(" %8s", "-");
          continue;
        }
        const auto g = std::min(r.history.size() - 1, static_cast<std::size_t>((c - lp_cpu) / per_gen) - 1);
        std::printf(" %8.3f", 100.0 * (in.inst.to_time(r.history[g].makespan) / in.reference - 1.0));
      }
      if (o.ils) {
        IlsParams ip;
        ip.seed = seed;
        ip.iterations = 0xFFFFFFFFu;
        ip.cpu_time_limit_seconds = std::max(cpu - lp_cpu, 0.01);
        ip.start = start;
        const IlsResult ir = run_ils(in.inst, ip);
        const double ils = in.inst.to_time(ir.makespan);
        runs.push_back({"ILS seed " + std::to_string(seed), ils});
        std::printf(" %14.1f %7.3f %7u", ils, 100.0 * (ils / in.reference - 1.0), ir.iterations);
      }
      std::printf("\n");
      std::fflush(stdout);
      if (conv) {
        const double per_gen = r.history.size() > 1 ? r.loop_seconds / double(r.history.size()) : 0.0;
        for (std::size_t g = 0; g < r.history.size(); ++g)
          conv << in.name << ',' << seed << ',' << g << ',' << per_gen * double(g + 1) << ','
               << in.inst.to_time(r.history[g].makespan) << ',' << in.reference << '\n';
      }
    }
    if (!runs.empty()) {
      // The summary: best proven bound (reference bound, or Cbc's when run)
      // and best known schedule of this instance over every run.
      double bound = in.reference_kind == std::string("bound") ? in.reference : 0.0;
#if defined(FASTGPU_BENCH_LP_SEED)
      bound = std::max(bound, fastgpu::bound::lp_makespan_bound(in.inst).value);
      if (o.milp_seconds > 0) {
        const fastgpu::bound::MilpResult milp = fastgpu::bound::solve_milp(in.inst, o.milp_seconds, best_ga);
        bound = std::max(bound, milp.lower_bound);
        const double cbc = milp.has_solution ? in.inst.to_time(evaluate(in.inst, milp.assignment, CostModel{}).makespan) : 0.0;
        if (milp.has_solution) runs.push_back({"Cbc", cbc});
        std::printf("# %s: MILP (Cbc, %.0f s wall, %d nodes%s): bound %.1f, best integer %.1f\n", in.name.c_str(),
                    milp.seconds, milp.nodes, milp.proven_optimal ? ", optimal" : "", milp.lower_bound, cbc);
      }
#endif
      const auto best = std::min_element(runs.begin(), runs.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
      std::printf("# %s: best proven bound %.1f, best known %.1f (%s); gap%% to bound / to best known:", in.name.c_str(),
                  bound, best->second, best->first.c_str());
      for (const auto& [label, mk] : runs)
        std::printf(" %s %.3f/%.3f", label.c_str(), bound > 0 ? 100.0 * (mk / bound - 1.0) : 0.0,
                    100.0 * (mk / best->second - 1.0));
      std::printf("\n");
      std::fflush(stdout);
    }
  }
  return 0;
}
