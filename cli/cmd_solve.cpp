// fastgpu solve: map a static expected-time-to-compute instance (Braun et al.'s
// format or fastgpu's CSV, docs/ga.md) with the GA or a classic heuristic,
// print makespan, flowtime, the responsiveness F and busy variance L,
// generations and wall time, and optionally write the assignment, the schedule
// and the GA's convergence curve to HDF5. --bound adds a lower bound on the
// makespan (policies/bound: the LP relaxation, the parametric LP, or the MILP
// with Cbc) and the gap of the schedule found.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "policies/bound/lp_bound.h"
#include "policies/bound/lp_seed.h"
#include "policies/bound/milp_bound.h"
#include "policies/bound/parametric_bound.h"
#include "policies/ga/etc_heuristics.h"
#include "policies/ga/etc_io.h"
#include "policies/ga/fitness.h"
#include "policies/ga/ga.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "sim/error.h"
#include "results_io/hdf5_file.h"
#include "sim/parse_number.h"
#include "sim/version.h"

namespace fastgpu::cli {

namespace {

namespace fs = std::filesystem;

double parse_number(const std::string& text, const std::string& option, double min, double max) {
  double v = 0;
  if (fastgpu::parse_number(text, v) != NumberError::none || !(v >= min && v <= max))
    throw InputError(fmt::format("{}: expected a number in [{}, {}], got '{}'", option, min, max, text));
  return v;
}

std::uint32_t parse_count(const std::string& text, const std::string& option, std::uint64_t min, std::uint64_t max) {
  const std::uint64_t v = parse_uint(text, option);
  if (v < min || v > max) throw InputError(fmt::format("{}: expected an integer in [{}, {}], got {}", option, min, max, v));
  return static_cast<std::uint32_t>(v);
}

// What was solved and how, for the printout and the HDF5 file.
struct Solution {
  std::string policy;
  std::vector<std::uint32_t> assignment;
  std::vector<double> start, finish;  // time units
  ga::Fitness fitness;
  ga::Fitness reference;              // Min-Min's
  std::vector<ga::GenerationRecord> history;
  std::uint32_t generations = 0;
  std::string stop = "-";
  std::string backend = "-";
  std::string device = "-";
  double wall_seconds = 0;
  std::optional<bound::MakespanBound> bound;  // with --bound (every method): the plain LP part
  std::string bound_method;                   // lp, parametric or milp
  double lower_bound = 0;                     // the bound reported: the strongest of the method's
  std::optional<bound::ParametricBound> parametric;  // parametric and milp
  std::optional<bound::MilpResult> milp;             // milp
  double milp_makespan = 0;                          // the MILP's best assignment, decoded (time units)
};

// One row of /convergence.
struct ConvergenceRow {
  std::uint32_t generation;
  double cost, makespan, flowtime, F, L;
};

void write_h5(const std::string& path, const std::string& command, const std::string& input,
              const std::string& format, const ga::EtcInstance& inst, const ga::GaParams& params,
              const Solution& s) {
  const h5::QuietErrors quiet;
  try {
    h5::AtomicFile file(path);
    using h5::write_attribute;
    write_attribute(file, "fastgpu_version", kVersion);
    write_attribute(file, "git_describe", kGitDescribe);
    write_attribute(file, "command", command);
    write_attribute(file, "instance", input);
    write_attribute(file, "format", format);
    write_attribute(file, "tasks", inst.tasks);
    write_attribute(file, "machines", inst.machines);
    write_attribute(file, "tick", inst.tick);
    write_attribute(file, "policy", s.policy);
    write_attribute(file, "backend", s.backend);
    write_attribute(file, "device", s.device);
    write_attribute(file, "makespan", inst.to_time(s.fitness.makespan));
    write_attribute(file, "flowtime", inst.to_time(s.fitness.flowtime));
    write_attribute(file, "F", s.fitness.F);
    write_attribute(file, "L", s.fitness.L);
    write_attribute(file, "cost", s.fitness.cost);
    write_attribute(file, "min_min_makespan", inst.to_time(s.reference.makespan));
    write_attribute(file, "generations_run", s.generations);
    write_attribute(file, "stop_reason", s.stop);
    write_attribute(file, "wall_seconds", s.wall_seconds);
    write_attribute(file, "seed", static_cast<std::uint64_t>(params.seed));
    write_attribute(file, "population", params.population);
    write_attribute(file, "islands", params.islands);
    write_attribute(file, "local_search_steps", params.local_search_steps);
    write_attribute(file, "ejection_chains", std::string(params.ejection_chains ? "on" : "off"));
    write_attribute(file, "lp_seed", std::string(params.initial_assignments.empty() ? "off" : "on"));
    write_attribute(file, "alpha", params.alpha);
    write_attribute(file, "w_makespan", params.w_makespan);
    write_attribute(file, "w_flowtime", params.w_flowtime);
    write_attribute(file, "w_F", params.w_F);
    write_attribute(file, "w_variance", params.w_variance);
    if (s.bound) {
      write_attribute(file, "lower_bound", s.lower_bound);
      write_attribute(file, "lower_bound_lp", s.bound->lp);
      write_attribute(file, "lower_bound_method", s.bound_method);
      write_attribute(file, "gap", bound::gap(inst.to_time(s.fitness.makespan), s.lower_bound));
    }
    if (s.parametric) write_attribute(file, "lower_bound_parametric", s.parametric->value);
    if (s.milp) {
      write_attribute(file, "lower_bound_milp", s.milp->lower_bound);
      write_attribute(file, "milp_seconds", s.milp->seconds);
      write_attribute(file, "milp_nodes", static_cast<std::uint32_t>(std::max(0, s.milp->nodes)));
      write_attribute(file, "milp_optimal", std::string(s.milp->proven_optimal ? "yes" : "no"));
      if (s.milp->has_solution) write_attribute(file, "milp_makespan", s.milp_makespan);
    }
    h5::write_dataset(file, "assignment", std::span<const std::uint32_t>(s.assignment));
    h5::write_dataset(file, "start", std::span<const double>(s.start));
    h5::write_dataset(file, "finish", std::span<const double>(s.finish));

    std::vector<ConvergenceRow> rows;
    for (std::size_t g = 0; g < s.history.size(); ++g) {
      const ga::GenerationRecord& h = s.history[g];
      rows.push_back({static_cast<std::uint32_t>(g), h.cost, inst.to_time(h.makespan), inst.to_time(h.flowtime), h.F,
                      h.L});
    }
    const hid_t u32 = h5::native_type<std::uint32_t>(), f64 = h5::native_type<double>();
    const h5::Handle type = h5::compound_type(sizeof(ConvergenceRow),
                                              {{"generation", offsetof(ConvergenceRow, generation), u32},
                                               {"cost", offsetof(ConvergenceRow, cost), f64},
                                               {"makespan", offsetof(ConvergenceRow, makespan), f64},
                                               {"flowtime", offsetof(ConvergenceRow, flowtime), f64},
                                               {"F", offsetof(ConvergenceRow, F), f64},
                                               {"L", offsetof(ConvergenceRow, L), f64}});
    h5::write_dataset(file, "convergence", type, rows.data(), rows.size());
    file.commit();
  } catch (const h5::Error& e) {
    // A full disk or a quota: exit 2 like every other unwritable output.
    throw InputError(SourceLocation{path, 0, ""}, fmt::format("cannot write the results file: {}", e.what()));
  }
}

}  // namespace

int solve_command(const Args& args) {
  CommandLine cl("solve", "FILE [--policy ga|min-min|max-min|sufferage|mct|met] [--memetic on|off] [options]",
                 "Maps a static expected-time-to-compute instance: FILE holds T x M times (Braun et al.'s\n"
                 "format: one number per line, task-major; or fastgpu's CSV, docs/ga.md). Prints makespan,\n"
                 "flowtime, the responsiveness F and the busy variance L, the generations run and the wall time; -o writes the\n"
                 "assignment, the schedule and the GA's convergence curve to HDF5. --bound also computes a lower bound on\n"
                 "the makespan (lp: the LP relaxation, COIN-OR Clp; parametric: the LP restricted to the pairs that can\n"
                 "finish in time; milp: the MILP with COIN-OR Cbc for --bound-seconds) and the gap of the schedule found.",
                 kOutput | kQuiet);
  auto add = cl.options().add_options();
  add("format", po::value<std::string>()->value_name("braun|csv"), "input format (default: csv for *.csv, else braun)");
  add("tasks", po::value<std::string>()->value_name("T"), "tasks (braun; default 512 when the file has 8192 values)");
  add("machines", po::value<std::string>()->value_name("M"), "machines (braun; default 16 when the file has 8192 values)");
  add("policy,p", po::value<std::string>()->default_value("ga"), "ga, min-min, max-min, sufferage, mct, met or olb");
  add("backend", po::value<std::string>()->default_value("auto"), "GA backend: auto (CUDA if a GPU is present), cpu, cuda");
  add("memetic", po::value<std::string>()->default_value("on"),
      "on: the memetic GA (islands, local search on every child, makespan only); off: the plain GA of the online policy");
  add("generations,g", po::value<std::string>()->default_value("1000"), "GA generations (breeding steps)");
  add("population", po::value<std::string>()->value_name("P"), "GA population size (default 64 memetic, 256 plain)");
  add("islands", po::value<std::string>()->value_name("N"), "GA islands; must divide the population (default 4 memetic, 1 plain)");
  add("local-search-steps", po::value<std::string>()->value_name("N"),
      "move/swap descent steps per child (default 1000 memetic, 0 plain)");
  add("ejection-chains", po::value<std::string>()->value_name("on|off"),
      "the descent also tries two-task chains (hot -> m1, m1 -> m2) at its local optima (default off)");
  add("seed,s", po::value<std::string>()->default_value("1"), "GA random seed");
  add("time-limit", po::value<std::string>()->value_name("SEC"), "stop the GA after this wall time (seconds)");
  add("cpu-limit", po::value<std::string>()->value_name("SEC"),
      "stop the GA after this much process CPU time, every thread's (seconds; CPU backend)");
  add("stall", po::value<std::string>()->value_name("N"), "stop the GA after N generations without improvement");
  add("threads,j", po::value<std::string>()->value_name("N"), "CPU backend threads (default: all cores)");
  add("elites", po::value<std::string>()->value_name("N"), "GA elites kept per generation (default 2)");
  add("mutation-rate", po::value<std::string>()->value_name("P"), "probability of random reassignment (default 0.5)");
  add("load-move-rate", po::value<std::string>()->value_name("P"), "probability of the load-aware move (default 0.5)");
  add("alpha", po::value<std::string>()->value_name("A"), "alpha of the responsiveness F (default 0.5)");
  add("w-makespan", po::value<std::string>()->value_name("W"), "cost weight of makespan / Min-Min's (default 1)");
  add("w-flowtime", po::value<std::string>()->value_name("W"), "cost weight of flowtime / Min-Min's (default 0)");
  add("w-F", po::value<std::string>()->value_name("W"), "cost weight of -F / Min-Min's F (default 0)");
  add("w-variance", po::value<std::string>()->value_name("W"), "cost weight of L (default 0 memetic, 0.1 plain)");
  add("bound", po::value<std::string>()->implicit_value("lp")->value_name("lp|parametric|milp"),
      "also compute a lower bound on the makespan and the gap above it: lp (the default), parametric, or milp "
      "(COIN-OR Cbc: the best proven bound and the best schedule within --bound-seconds)");
  add("bound-seconds", po::value<std::string>()->value_name("SEC"), "wall-time limit of --bound milp (default 60)");
  add("lp-seed", po::value<std::string>()->default_value("on"),
      "on: seed the GA with the schedule rounded from the LP relaxation (and, memetic, perturbed copies of it); "
      "off: Min-Min seeds only");
  cl.add_positional("file", 1);
  // `--bound METHOD` as two words: the value is optional, so the parser
  // would take METHOD for the file; joined, it is `--bound=METHOD`.
  Args joined;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--bound" && i + 1 < args.size() &&
        (args[i + 1] == "lp" || args[i + 1] == "parametric" || args[i + 1] == "milp")) {
      joined.push_back("--bound=" + args[++i]);
    } else {
      joined.push_back(args[i]);
    }
  }
  if (!cl.parse(joined)) return 0;
  const auto& vm = cl.vm();
  if (!cl.has("file")) throw InputError("solve: missing the FILE argument (see 'fastgpu solve --help')");
  const std::string path = vm["file"].as<std::vector<std::string>>().front();
  auto opt = [&](const char* name) { return vm[name].as<std::string>(); };

  std::string format;
  if (cl.has("format")) {
    format = opt("format");
    if (format != "braun" && format != "csv")
      throw InputError(fmt::format("--format: expected braun or csv, got '{}'", format));
  } else {
    format = fs::path(path).extension() == ".csv" ? "csv" : "braun";
  }
  const std::string policy = opt("policy");
  const std::optional<ga::Heuristic> heuristic = ga::parse_heuristic(policy);
  if (policy != "ga" && !heuristic)
    throw InputError(fmt::format("--policy: unknown '{}' (ga, min-min, max-min, sufferage, mct, met, olb)", policy));

  std::string bound_method;
  double bound_seconds = 60;
  if (cl.has("bound")) {
    bound_method = opt("bound");
    if (bound_method != "lp" && bound_method != "parametric" && bound_method != "milp")
      throw InputError(fmt::format("--bound: expected lp, parametric or milp, got '{}'", bound_method));
    if (bound_method == "milp" && !bound::milp_available())
      throw InputError("--bound milp: this fastgpu was built without COIN-OR Cbc (install coinor-libcbc-dev, which "
                       "scripts/setup does, and rebuild); --bound lp and --bound parametric need only Clp");
  }
  if (cl.has("bound-seconds")) {
    if (bound_method != "milp") throw InputError("--bound-seconds: only with --bound milp");
    bound_seconds = parse_number(opt("bound-seconds"), "--bound-seconds", 0.001, 1e9);
  }
  const std::string lp_seed = opt("lp-seed");
  if (lp_seed != "on" && lp_seed != "off") throw InputError(fmt::format("--lp-seed: expected on or off, got '{}'", lp_seed));
  const std::string memetic = opt("memetic");
  if (memetic != "on" && memetic != "off") throw InputError(fmt::format("--memetic: expected on or off, got '{}'", memetic));
  ga::GaParams params = memetic == "on" ? ga::memetic_params() : ga::GaParams{};
  params.generations = parse_count(opt("generations"), "--generations", 0, 100000000);
  if (cl.has("population")) params.population = parse_count(opt("population"), "--population", 2, 1u << 24);
  if (cl.has("islands")) params.islands = parse_count(opt("islands"), "--islands", 1, params.population / 2);
  if (params.population % params.islands != 0 || params.population / params.islands < 2)
    throw InputError(fmt::format("--islands: {} islands do not divide the population {} into islands of at least 2",
                                 params.islands, params.population));
  if (cl.has("local-search-steps"))
    params.local_search_steps = parse_count(opt("local-search-steps"), "--local-search-steps", 0, 100000000);
  if (cl.has("ejection-chains")) {
    const std::string v = opt("ejection-chains");
    if (v != "on" && v != "off") throw InputError(fmt::format("--ejection-chains: expected on or off, got '{}'", v));
    params.ejection_chains = v == "on";
  }
  params.seed = parse_uint(opt("seed"), "--seed");
  try {
    params.backend = ga::parse_backend(opt("backend"));
  } catch (const std::invalid_argument& e) {
    throw InputError(fmt::format("--backend: {}", e.what()));
  }
  if (cl.has("time-limit")) params.time_limit_seconds = parse_number(opt("time-limit"), "--time-limit", 0, 1e9);
  if (cl.has("cpu-limit")) params.cpu_time_limit_seconds = parse_number(opt("cpu-limit"), "--cpu-limit", 0, 1e9);
  if (cl.has("stall")) params.stall_generations = parse_count(opt("stall"), "--stall", 0, 100000000);
  if (cl.has("threads")) params.threads = parse_count(opt("threads"), "--threads", 0, 4096);
  if (cl.has("elites")) params.elites = parse_count(opt("elites"), "--elites", 1, params.population - 1);
  if (cl.has("mutation-rate")) params.mutation_rate = parse_number(opt("mutation-rate"), "--mutation-rate", 0, 1);
  if (cl.has("load-move-rate")) params.load_move_rate = parse_number(opt("load-move-rate"), "--load-move-rate", 0, 1);
  if (cl.has("alpha")) params.alpha = parse_number(opt("alpha"), "--alpha", 0, 1e12);
  if (cl.has("w-makespan")) params.w_makespan = parse_number(opt("w-makespan"), "--w-makespan", 0, 1e12);
  if (cl.has("w-flowtime")) params.w_flowtime = parse_number(opt("w-flowtime"), "--w-flowtime", 0, 1e12);
  if (cl.has("w-F")) params.w_F = parse_number(opt("w-F"), "--w-F", 0, 1e12);
  if (cl.has("w-variance")) params.w_variance = parse_number(opt("w-variance"), "--w-variance", 0, 1e12);
  if (params.elites >= params.population)
    throw InputError(fmt::format("--elites: must be below the population ({})", params.population));
  if (policy == "ga" && params.cpu_time_limit_seconds > 0 && params.backend == ga::Backend::cuda)
    throw InputError("--cpu-limit: applies to the CPU backend only (use --time-limit with --backend cuda)");
  if (policy == "ga" && params.backend == ga::Backend::cuda && ga::cuda_device_count() == 0)
    throw InputError(ga::cuda_built() ? "--backend cuda: no CUDA device is present"
                                      : "--backend cuda: this fastgpu was built without CUDA");

  // Read the instance; parse errors name file, line and field (exit 2).
  ga::EtcFile file;
  ga::EtcInstance inst;
  try {
    const std::uint32_t tasks = cl.has("tasks") ? parse_count(opt("tasks"), "--tasks", 1, 0xFFFFFFFFu) : 0;
    const std::uint32_t machines = cl.has("machines") ? parse_count(opt("machines"), "--machines", 1, 0xFFFFFFFFu) : 0;
    if (format == "csv" && (tasks || machines))
      throw InputError("--tasks/--machines: only for --format braun (a CSV gives its own shape)");
    file = format == "braun" ? ga::read_braun(path, tasks, machines) : ga::read_etc_csv(path);
    inst = ga::make_instance(file.spec);
  } catch (const ga::EtcParseError& e) {
    throw InputError(SourceLocation{e.file, e.line, e.field}, e.what());
  } catch (const std::invalid_argument& e) {
    throw InputError(SourceLocation{path, 0, ""}, e.what());
  }

  Solution s;
  s.policy = policy;
  const auto t0 = std::chrono::steady_clock::now();
  if (policy == "ga") {
    ga::GaResult r;
    if (lp_seed == "on") {  // its time counts in the wall time printed
      params.initial_assignments.push_back(bound::lp_rounded_assignment(inst).assignment);
      params.perturb_initial = true;
    }
    try {
      r = ga::run_ga(inst, params);
    } catch (const std::invalid_argument& e) {
      throw InputError(e.what());
    }
    s.assignment = r.assignment;
    s.fitness = r.fitness;
    s.reference = r.reference;
    s.history = r.history;
    s.generations = r.generations_run;
    s.stop = ga::to_string(r.stop);
    s.backend = ga::to_string(r.backend);
    s.device = r.device;
    ga::Evaluator ev(inst);
    ev.decode(s.assignment.data());
    for (std::uint32_t t = 0; t < inst.tasks; ++t) {
      s.start.push_back(inst.to_time(ev.start()[t]));
      s.finish.push_back(inst.to_time(ev.completion()[t]));
    }
  } else {
    // A heuristic's own schedule (tasks in the order it mapped them). The
    // cost uses the GA's weights with Min-Min's references, for comparison.
    const ga::HeuristicSchedule h = ga::run_heuristic(*heuristic, inst);
    const ga::HeuristicSchedule mm = ga::min_min(inst);
    ga::CostModel cm;
    cm.w_makespan = params.w_makespan, cm.w_flowtime = params.w_flowtime, cm.w_F = params.w_F;
    cm.w_variance = params.w_variance, cm.alpha = params.alpha, cm.tick = inst.tick;
    const ga::Fitness ref0 = ga::evaluate(inst, mm.assignment, cm);
    cm.ref_makespan = ref0.makespan > 0 ? double(ref0.makespan) : 1.0;
    cm.ref_flowtime = ref0.flowtime > 0 ? double(ref0.flowtime) : 1.0;
    cm.ref_F = ref0.F > 0 ? ref0.F : 1.0;
    s.reference = ga::evaluate(inst, mm.assignment, cm);
    s.assignment = h.assignment;
    s.fitness = ga::evaluate(inst, h.assignment, cm, h.sequence);
    for (std::uint32_t t = 0; t < inst.tasks; ++t) {
      s.start.push_back(inst.to_time(h.start[t]));
      s.finish.push_back(inst.to_time(h.finish[t]));
    }
  }
  s.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!bound_method.empty()) {
    s.bound_method = bound_method;
    if (bound_method == "lp") {
      s.bound = bound::lp_makespan_bound(inst);
      s.lower_bound = s.bound->value;
    } else {
      s.parametric = bound::parametric_makespan_bound(inst);
      s.bound = s.parametric->plain;
      s.lower_bound = s.parametric->value;
    }
    if (bound_method == "milp") {
      // The schedule found is Cbc's incumbent from the start.
      s.milp = bound::solve_milp(inst, bound_seconds, s.assignment);
      s.lower_bound = std::max(s.lower_bound, s.milp->lower_bound);
      if (s.milp->has_solution) s.milp_makespan = inst.to_time(ga::evaluate(inst, s.milp->assignment, {}).makespan);
    }
  }

  const double makespan = inst.to_time(s.fitness.makespan);
  const double ref = inst.to_time(s.reference.makespan);
  fmt::print("instance     {} ({}, {} tasks x {} machines)\n", path, format, inst.tasks, inst.machines);
  if (policy == "ga")
    fmt::print("policy       ga (backend {}: {}; {}, population {}, seed {}, LP seed {})\n", s.backend, s.device,
               memetic == "on" ? "memetic" : "plain", params.population, params.seed, lp_seed);
  else
    fmt::print("policy       {}\n", policy);
  fmt::print("makespan     {:.10g}\n", makespan);
  fmt::print("flowtime     {:.10g}\n", inst.to_time(s.fitness.flowtime));
  fmt::print("F            {:.6g}   (alpha {})\n", s.fitness.F, params.alpha);
  fmt::print("L            {:.6g}\n", s.fitness.L);
  fmt::print("cost         {:.6g}\n", s.fitness.cost);
  fmt::print("generations  {}   (stop: {})\n", s.generations, s.stop);
  fmt::print("wall time    {:.3f} s\n", s.wall_seconds);
  fmt::print("min-min      {:.10g}   (makespan; {:+.2f}% vs min-min)\n", ref,
             ref > 0 ? 100.0 * (makespan - ref) / ref : 0.0);
  if (s.bound_method == "lp") {
    fmt::print("lower bound  {:.10g}   (LP relaxation, {} simplex iterations)\n", s.lower_bound, s.bound->iterations);
  } else if (s.bound_method == "parametric") {
    fmt::print("lower bound  {:.10g}   (parametric LP: {} LPs, {} simplex iterations; plain LP {:.10g})\n",
               s.lower_bound, s.parametric->solves, s.parametric->iterations, s.bound->value);
  } else if (s.bound_method == "milp") {
    fmt::print("lower bound  {:.10g}   (MILP, COIN-OR Cbc: {:.1f} s, {} nodes{}; parametric LP {:.10g}, plain LP {:.10g})\n",
               s.lower_bound, s.milp->seconds, s.milp->nodes, s.milp->proven_optimal ? ", optimal" : "",
               s.parametric->value, s.bound->value);
    if (s.milp->has_solution)
      fmt::print("milp best    {:.10g}   (Cbc's best schedule, started from this one; {:+.3f}% above the bound)\n",
                 s.milp_makespan, 100.0 * bound::gap(s.milp_makespan, s.lower_bound));
  }
  if (s.bound)
    fmt::print("gap          {:.3f}%   (makespan above the lower bound)\n", 100.0 * bound::gap(makespan, s.lower_bound));
  if (cl.has("output")) {
    const std::string out = vm["output"].as<std::string>();
    write_h5(out, cl.command_text(), path, format, inst, params, s);
    if (!cl.quiet()) fmt::print(stderr, "wrote {}\n", out);
  }
  return 0;
}

}  // namespace fastgpu::cli
