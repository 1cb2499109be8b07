// GA benchmark: generations/s and gene-evaluations/s of the GA's
// backends on random ETC instances, and for CUDA the effective memory
// bandwidth against the device's peak. Standard library + the GA core only, so
// it builds on a machine without the project's Debian packages
// (bench/ga/CMakeLists.txt is a standalone project).
//
//   bench_ga [--sizes 512x16,16384x512] [--populations 256,4096]
//            [--generations G] [--seconds S] [--repeats R] [--threads N]
//            [--backends cpu1,cpu,cuda]
//   bench_ga --check [--sizes ...] [--populations ...] [--generations G]
//
// --check runs the CPU (all threads) and CUDA backends for G generations
// (default 50) on each instance and population and compares the best
// chromosome and the whole fitness history bit for bit (exit 1 on a
// difference): the equivalence test of tests/test_ga_cuda.cpp for a machine
// without doctest.
//
// A "generation" is breeding + scoring the whole population; generation 0
// (scoring the initial population) counts as one. gene-evaluations/s =
// generations/s x population x tasks. Each row is the median of R runs (by
// generations/s). Setup (Min-Min, seeding) is done once per instance, reported
// apart and excluded. The CUDA bandwidth is a model: bytes a generation must
// move per gene (see bytes_per_gene) x genes / time; "% peak" divides by
// 2 x memory clock x bus width from the device attributes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "policies/ga/etc_instance.h"
#include "policies/ga/ga.h"
#include "policies/ga/ga_internal.h"
#include "policies/ga/ga_math.h"

using namespace fastgpu::ga;

namespace {

struct Size {
  std::uint32_t tasks, machines;
};

struct Options {
  std::vector<Size> sizes{{512, 16}, {16384, 512}};
  std::vector<std::uint32_t> populations{256, 4096};
  std::uint32_t generations = 200;   // at most this many per measurement ...
  double seconds = 3.0;              // ... or until this wall time
  unsigned repeats = 3;              // runs per row; the median is printed
  unsigned threads = 0;              // "all threads" (0 = hardware concurrency)
  std::vector<std::string> backends{"cpu1", "cpu", "cuda"};
  bool check = false;
  bool generations_given = false;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "bench_ga: %s\nusage: bench_ga [--sizes TxM,...] [--populations P,...] [--generations G] "
               "[--seconds S] [--repeats R] [--threads N] [--backends cpu1,cpu,cuda]\n"
               "       bench_ga --check [--sizes TxM,...] [--populations P,...] [--generations G]\n",
               why);
  std::exit(2);
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t c = s.find(',', start);
    out.push_back(s.substr(start, c == std::string::npos ? std::string::npos : c - start));
    if (c == std::string::npos) return out;
    start = c + 1;
  }
}

unsigned long parse_ul(const std::string& s) {
  char* end = nullptr;
  unsigned long v = std::strtoul(s.c_str(), &end, 10);
  if (s.empty() || *end) usage(("not a number: " + s).c_str());
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value for " + a).c_str());
      return argv[++i];
    };
    if (a == "--sizes") {
      o.sizes.clear();
      for (const std::string& s : split(value())) {
        std::size_t x = s.find('x');
        if (x == std::string::npos) usage("sizes are TxM");
        o.sizes.push_back({static_cast<std::uint32_t>(parse_ul(s.substr(0, x))),
                           static_cast<std::uint32_t>(parse_ul(s.substr(x + 1)))});
      }
    } else if (a == "--populations") {
      o.populations.clear();
      for (const std::string& s : split(value())) o.populations.push_back(static_cast<std::uint32_t>(parse_ul(s)));
    } else if (a == "--generations") {
      o.generations = static_cast<std::uint32_t>(parse_ul(value()));
      o.generations_given = true;
    } else if (a == "--check") {
      o.check = true;
    } else if (a == "--seconds") {
      o.seconds = std::atof(value().c_str());
    } else if (a == "--repeats") {
      o.repeats = static_cast<unsigned>(parse_ul(value()));
      if (o.repeats == 0) usage("--repeats must be at least 1");
    } else if (a == "--threads") {
      o.threads = static_cast<unsigned>(parse_ul(value()));
    } else if (a == "--backends") {
      o.backends = split(value());
    } else if (a == "--help" || a == "-h") {
      usage("help");
    } else {
      usage(("unknown option " + a).c_str());
    }
  }
  return o;
}

// Braun-style inconsistent high/high instance: task baseline U[1, 3000) x
// machine factor U[1, 1000), from Philox so it is the same everywhere.
EtcInstance make_random(Size s) {
  std::vector<double> etc(std::size_t(s.tasks) * s.machines);
  const fastgpu::PhiloxKey key = fastgpu::philox_key(20240601);
  for (std::uint32_t t = 0; t < s.tasks; ++t) {
    const double base = 1 + 2999.0 * (philox_block(key, t, 0, 100, 0).v[0] / 4294967296.0);
    for (std::uint32_t m = 0; m < s.machines; ++m) {
      const std::uint32_t r = philox_block(key, t, 1, 100, m >> 2).v[m & 3];
      etc[std::size_t(t) * s.machines + m] = base * (1 + 999.0 * (r / 4294967296.0));
    }
  }
  return make_instance(s.tasks, s.machines, std::move(etc));
}

// Bytes a generation has to move per gene on the device (a lower bound used
// for the bandwidth model): crossover reads two parents and writes the child
// (12 B); each decode reads the gene, the task's width and one ETC entry
// (16 B) -- one decode always, one more before the load-aware move, plus the
// move's two scans of genes and widths (16 B) when it fires.
double bytes_per_gene(const GaParams& p) {
  double b = 12 + 16 + p.load_move_rate * (16 + 16);
  if (p.w_F != 0) b += 16;
  return b;
}

struct Row {
  std::string instance, backend;
  std::uint32_t population = 0, generations = 0;
  double loop = 0, gens_per_s = 0, genes_per_s = 0, gbs = 0, peak_fraction = -1;
};

// One measurement: the backend's loop on a prepared setup (population and
// budget set by the caller).
Row measure(const GaSetup& setup, const GaParams& p, const std::string& label, std::uint32_t tasks) {
  const GaResult r = p.backend == Backend::cuda ? run_cuda(setup, p) : run_cpu(setup, p);
  Row row;
  row.backend = label;
  row.population = p.population;
  row.generations = r.generations_run;
  row.loop = r.loop_seconds;
  row.gens_per_s = (r.generations_run + 1) / r.loop_seconds;
  row.genes_per_s = row.gens_per_s * double(p.population) * tasks;
  if (p.backend == Backend::cuda) {
    row.gbs = row.genes_per_s * bytes_per_gene(p) / 1e9;
    const double peak = cuda_peak_bandwidth(0);
    if (peak > 0) row.peak_fraction = row.gbs * 1e9 / peak;
  }
  return row;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      const std::size_t c = line.find(':');
      return c == std::string::npos ? line : line.substr(c + 2);
    }
  return "unknown CPU";
}

bool same_result(const GaResult& a, const GaResult& b, std::string& why) {
  if (a.generations_run != b.generations_run) return why = "generations run differ", false;
  if (a.history.size() != b.history.size()) return why = "history lengths differ", false;
  for (std::size_t g = 0; g < a.history.size(); ++g) {
    const GenerationRecord &x = a.history[g], &y = b.history[g];
    if (x.cost != y.cost || x.makespan != y.makespan || x.flowtime != y.flowtime || x.F != y.F || x.L != y.L)
      return why = "history differs at generation " + std::to_string(g), false;
  }
  if (a.assignment != b.assignment) return why = "best chromosomes differ", false;
  return true;
}

// CPU vs CUDA, bit for bit, with the default cost and with F and flowtime in it.
int run_check(const Options& o) {
  if (cuda_device_count() == 0) {
    std::printf("--check: no CUDA device (%s)\n", cuda_built() ? "built with CUDA" : "built without CUDA");
    return 2;
  }
  std::printf("CPU vs CUDA equivalence on %s\n", cuda_device_description(0).c_str());
  int failures = 0;
  for (Size s : o.sizes) {
    const EtcInstance inst = make_random(s);
    for (std::uint32_t pop : o.populations) {
      for (int variant = 0; variant < 2; ++variant) {
        GaParams p;
        p.population = pop;
        p.generations = o.generations_given ? o.generations : 50;
        p.seed = 7;
        if (variant == 1) p.w_F = 0.3, p.w_flowtime = 0.2, p.stall_generations = 15;
        p.backend = Backend::cpu;
        p.threads = o.threads;
        const GaResult c = run_ga(inst, p);
        p.backend = Backend::cuda;
        const GaResult g = run_ga(inst, p);
        std::string why;
        const bool ok = same_result(c, g, why);
        failures += ok ? 0 : 1;
        std::printf("%ux%u pop %u %-22s %u generations: %s%s\n", s.tasks, s.machines, pop,
                    variant ? "(w_F, w_flowtime, stall)" : "(default cost)", c.generations_run,
                    ok ? "bit-identical" : "DIFFERENT: ", ok ? "" : why.c_str());
        std::fflush(stdout);
      }
    }
  }
  std::printf("%s\n", failures ? "equivalence: FAILED" : "equivalence: OK");
  return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (o.check) return run_check(o);
  const unsigned all = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  const bool have_cuda = cuda_device_count() > 0;
  std::printf("GA benchmark: %s, %u hardware threads; CUDA %s\n", cpu_model().c_str(),
              std::thread::hardware_concurrency(),
              have_cuda ? cuda_device_description(0).c_str() : (cuda_built() ? "built, no device" : "not built"));
  std::printf("budget per run: %u generations or %.1f s; each row: median of %u runs by gens/s\n\n", o.generations,
              o.seconds, o.repeats);
  std::printf("%-11s %6s  %-14s %6s %9s %10s %14s %9s %7s\n", "instance", "pop", "backend", "gens", "loop s",
              "gens/s", "gene-evals/s", "GB/s", "% peak");
  for (Size s : o.sizes) {
    const EtcInstance inst = make_random(s);
    const std::string name = std::to_string(s.tasks) + "x" + std::to_string(s.machines);
    GaParams base;
    base.seed = 1;
    const auto t0 = std::chrono::steady_clock::now();
    GaSetup setup = prepare_ga(inst, base);  // Min-Min (references, seed) once per instance
    std::printf("%-11s setup (Min-Min, seeding) %.2f s\n", name.c_str(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    for (std::uint32_t pop : o.populations) {
      double cpu1_rate = 0;
      for (const std::string& b : o.backends) {
        GaParams p = base;
        p.population = pop;
        p.generations = o.generations;
        p.time_limit_seconds = o.seconds;
        std::string label;
        if (b == "cpu1") {
          p.backend = Backend::cpu;
          p.threads = 1;
          label = "cpu 1 thread";
        } else if (b == "cpu") {
          p.backend = Backend::cpu;
          p.threads = all;
          label = "cpu " + std::to_string(all) + " threads";
        } else if (b == "cuda") {
          if (!have_cuda) continue;
          p.backend = Backend::cuda;
          label = "cuda";
        } else {
          usage(("unknown backend " + b).c_str());
        }
        p.validate();
        setup.cfg.P = pop;
        setup.generations = p.generations;
        setup.time_limit = p.time_limit_seconds;
        std::vector<Row> runs;
        for (unsigned i = 0; i < o.repeats; ++i) runs.push_back(measure(setup, p, label, s.tasks));
        std::sort(runs.begin(), runs.end(), [](const Row& x, const Row& y) { return x.gens_per_s < y.gens_per_s; });
        const Row& row = runs[runs.size() / 2];
        if (b == "cpu1") cpu1_rate = row.gens_per_s;
        std::printf("%-11s %6u  %-14s %6u %9.2f %10.2f %14.3e", name.c_str(), pop, row.backend.c_str(),
                    row.generations, row.loop, row.gens_per_s, row.genes_per_s);
        if (b == "cuda") {
          std::printf(" %9.1f %6.1f%%", row.gbs, 100 * row.peak_fraction);
          if (cpu1_rate > 0) std::printf("  (%.0fx cpu 1 thread)", row.gens_per_s / cpu1_rate);
        } else {
          std::printf(" %9s %7s", "-", "-");
          if (b == "cpu" && cpu1_rate > 0) std::printf("  (%.1fx cpu 1 thread)", row.gens_per_s / cpu1_rate);
        }
        std::printf("\n");
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
