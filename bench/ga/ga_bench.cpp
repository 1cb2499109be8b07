// GA benchmark (issue 5): generations/s and gene-evaluations/s of the GA's
// backends on random ETC instances, and for CUDA the effective memory
// bandwidth against the device's peak. Standard library + the GA core only, so
// it builds on a machine without the project's Debian packages
// (bench/ga/CMakeLists.txt is a standalone project).
//
//   bench_ga [--sizes 512x16,16384x512] [--populations 256,4096]
//            [--generations G] [--seconds S] [--threads N] [--backends cpu1,cpu,cuda]
//
// A "generation" is breeding + scoring the whole population; generation 0
// (scoring the initial population) counts as one. gene-evaluations/s =
// generations/s x population x tasks. Setup (Min-Min, O(T^2)) is reported
// apart and excluded. The CUDA bandwidth is a model: bytes a generation must
// move per gene (see bytes_per_gene) x genes / time; "% peak" divides by
// 2 x memory clock x bus width from the device attributes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "policies/ga/etc_instance.h"
#include "policies/ga/ga.h"
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
  unsigned threads = 0;              // "all threads" (0 = hardware concurrency)
  std::vector<std::string> backends{"cpu1", "cpu", "cuda"};
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "bench_ga: %s\nusage: bench_ga [--sizes TxM,...] [--populations P,...] [--generations G] "
               "[--seconds S] [--threads N] [--backends cpu1,cpu,cuda]\n",
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
    } else if (a == "--seconds") {
      o.seconds = std::atof(value().c_str());
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
  const RngKey key = make_key(20240601);
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
  std::string instance, backend, device;
  std::uint32_t population = 0, generations = 0;
  double setup = 0, loop = 0, gens_per_s = 0, genes_per_s = 0, gbs = 0, peak_fraction = -1;
};

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const unsigned all = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  const bool have_cuda = cuda_device_count() > 0;
  std::printf("GA benchmark: %u hardware threads; CUDA %s\n", std::thread::hardware_concurrency(),
              have_cuda ? cuda_device_description(0).c_str() : (cuda_built() ? "built, no device" : "not built"));
  std::printf("budget per measurement: %u generations or %.1f s\n\n", o.generations, o.seconds);
  std::printf("%-11s %6s  %-14s %6s %9s %9s %10s %14s %9s %7s\n", "instance", "pop", "backend", "gens", "setup s",
              "loop s", "gens/s", "gene-evals/s", "GB/s", "% peak");
  std::vector<Row> rows;
  for (Size s : o.sizes) {
    const EtcInstance inst = make_random(s);
    for (std::uint32_t pop : o.populations) {
      double cpu1_rate = 0;
      for (const std::string& b : o.backends) {
        GaParams p;
        p.population = pop;
        p.generations = o.generations;
        p.time_limit_seconds = o.seconds;
        p.seed = 1;
        if (b == "cpu1") {
          p.backend = Backend::cpu;
          p.threads = 1;
        } else if (b == "cpu") {
          p.backend = Backend::cpu;
          p.threads = all;
        } else if (b == "cuda") {
          if (!have_cuda) continue;
          p.backend = Backend::cuda;
        } else {
          usage(("unknown backend " + b).c_str());
        }
        GaResult r = run_ga(inst, p);
        Row row;
        row.instance = std::to_string(s.tasks) + "x" + std::to_string(s.machines);
        row.backend = b == "cpu1" ? "cpu 1 thread" : b == "cpu" ? "cpu " + std::to_string(all) + " threads" : "cuda";
        row.population = pop;
        row.generations = r.generations_run;
        row.setup = r.setup_seconds;
        row.loop = r.loop_seconds;
        row.gens_per_s = (r.generations_run + 1) / r.loop_seconds;
        row.genes_per_s = row.gens_per_s * double(pop) * s.tasks;
        if (b == "cpu1") cpu1_rate = row.gens_per_s;
        if (b == "cuda") {
          row.gbs = row.genes_per_s * bytes_per_gene(p) / 1e9;
          const double peak = cuda_peak_bandwidth(0);
          if (peak > 0) row.peak_fraction = row.gbs * 1e9 / peak;
        }
        std::printf("%-11s %6u  %-14s %6u %9.2f %9.2f %10.2f %14.3e", row.instance.c_str(), pop, row.backend.c_str(),
                    row.generations, row.setup, row.loop, row.gens_per_s, row.genes_per_s);
        if (b == "cuda") {
          std::printf(" %9.1f %6.1f%%", row.gbs, 100 * row.peak_fraction);
          if (cpu1_rate > 0) std::printf("  (%.0fx cpu 1 thread)", row.gens_per_s / cpu1_rate);
        } else {
          std::printf(" %9s %7s", "-", "-");
        }
        std::printf("\n");
        std::fflush(stdout);
        rows.push_back(row);
      }
    }
  }
  return 0;
}
