// Sweep benchmark: `fastgpu compare` on 8 policies x 5 seeds of a
// 100,000-job synthetic workload, with 1 and 2 worker threads (-j) and, when
// MPI was found at build time, over 2 MPI ranks (rank 0 also simulates, so
// that is 2 workers too). Prints the median wall time of each mode over
// --repeat executions, its spread, and the speedup over -j 1. Target: at
// least 1.8x from 1 to 2 workers. The wall time is the whole command as a
// user sees it: planning, workload generation, the runs, and the one HDF5
// write, which is serial and so bounds the speedup (Amdahl). To show how
// much, the last line compares the -j 1 wall time with the sum of the runs'
// own simulation times recorded in the file (summary wall_seconds).
//
//   build/bench/bench_sweep [--jobs N] [--seeds N] [--repeat R] [--policies a,b,...] [--keep DIR]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench/bench_support.h"
#include "results_io/hdf5_reader.h"

namespace fs = std::filesystem;
using fastgpu::bench::median;
using fastgpu::bench::split_commas;

namespace {

std::string config_text(std::uint64_t jobs, std::uint64_t seeds, const std::vector<std::string>& policies) {
  std::string list;
  for (const std::string& p : policies) list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", p);
  // 512 GPUs (64 nodes x 8) at offered load 0.9: busy enough that policies differ.
  return fmt::format(R"([experiment]
name = "sweep-bench"
policies = [{}]
seeds = {}

[cluster]
nodes_per_switch = 16
[[cluster.gpu_types]]
name = "A100"
memory_gb = 80
[[cluster.nodes]]
count = 64
gpus_per_node = 8
gpu_type = "A100"

[workload]
jobs = {}
load = 0.9
gpu_counts = [1, 2, 4, 8, 16]
gpu_count_weights = [0.55, 0.2, 0.12, 0.1, 0.03]
duration_median = 1800

[policies.least-loaded]   # a label: fifo with the least-loaded placement
policy = "fifo"
placement = "least-loaded"
)",
                     list, seeds, jobs);
}

struct Timing {
  double wall = -1;  // seconds; negative when the command failed
  double cpu = 0;    // user + system seconds of the command and everything it waited for
};

// Runs `command` through /bin/sh and measures it. The CPU time shows how
// busy the machine was: on an idle machine wall ~ cpu / workers.
Timing timed(const std::string& command) {
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (pid < 0 || wait4(pid, &status, 0, &usage) != pid) return {};
  const auto t1 = std::chrono::steady_clock::now();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return {std::chrono::duration<double>(t1 - t0).count(), seconds(usage.ru_utime) + seconds(usage.ru_stime)};
}

struct Mode {
  std::string name;
  int workers;
  std::string command;  // without -o
};

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t jobs = 100'000, seeds = 5;
  int repeat = 3;
  std::string keep;
  std::vector<std::string> policies{"fifo",          "sjf", "srtf",         "easy-backfill",
                                    "las",           "priority", "least-loaded", "load-balance-migrate"};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--jobs") jobs = std::stoull(value);
    else if (flag == "--seeds") seeds = std::stoull(value);
    else if (flag == "--repeat") repeat = std::max(1, std::stoi(value));
    else if (flag == "--keep") keep = value;
    else if (flag == "--policies") {
      policies = split_commas(value);
    } else {
      fmt::print(stderr, "usage: bench_sweep [--jobs N] [--seeds N] [--repeat R] [--policies a,b,...] [--keep DIR]\n");
      return 2;
    }
  }
  if (argc % 2 == 0) {
    fmt::print(stderr, "usage: bench_sweep [--jobs N] [--seeds N] [--repeat R] [--policies a,b,...] [--keep DIR]\n");
    return 2;
  }

  const fs::path dir = keep.empty() ? fs::temp_directory_path() / fmt::format("fastgpu-bench-sweep-{}", ::getpid())
                                    : fs::path(keep);
  fs::create_directories(dir);
  std::ofstream(dir / "sweep.toml") << config_text(jobs, seeds, policies);
  const std::string cli = fmt::format("'{}' compare '{}' -q", FASTGPU_CLI, (dir / "sweep.toml").string());
  std::vector<Mode> modes{{"-j 1", 1, cli + " -j 1"}, {"-j 2", 2, cli + " -j 2"}};
#ifdef FASTGPU_MPIEXEC
  // Open MPI: allowed as root, 2 ranks even on a machine it counts as 1 slot,
  // no single-copy (needs ptrace rights containers often lack).
  modes.push_back({"mpirun -n 2", 2,
                   "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
                   "OMPI_MCA_btl_vader_single_copy_mechanism=none '" FASTGPU_MPIEXEC "' --oversubscribe -n 2 " +
                       cli + " -j 1"});
#endif

  fmt::print("sweep benchmark: {} policies x {} seeds = {} runs of {} jobs on 512 GPUs, median of {} executions\n",
             policies.size(), seeds, policies.size() * seeds, jobs, repeat);
  fmt::print("{:<14} {:>7} {:>9} {:>9} {:>9} {:>9} {:>8} {:>7}\n", "mode", "workers", "wall s", "min s", "max s",
             "cpu s", "speedup", "target");
  double base = 0;
  for (const Mode& m : modes) {
    std::vector<double> walls, cpus;
    for (int r = 0; r < repeat; ++r) {
      const std::string out = (dir / fmt::format("out-{}.h5", m.workers)).string();
      const Timing t = timed(m.command + " -o '" + out + "' > /dev/null");  // the tables: not measured output
      if (t.wall < 0) {
        fmt::print(stderr, "bench_sweep: '{}' failed\n", m.command);
        return 1;
      }
      walls.push_back(t.wall);
      cpus.push_back(t.cpu);
    }
    const double w = median(walls);
    if (m.workers == 1) base = w;
    const double speedup = base / w;
    fmt::print("{:<14} {:>7} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} {:>7.2f}x {:>7}\n", m.name, m.workers, w,
               *std::min_element(walls.begin(), walls.end()), *std::max_element(walls.begin(), walls.end()),
               median(cpus), speedup, m.workers == 1 ? "" : (speedup >= 1.8 ? "ok" : "BELOW"));
    std::fflush(stdout);
  }

  // The serial part: -j 1 wall time minus the simulations' own wall time.
  const auto rows = fastgpu::read_summary_table((dir / "out-1.h5").string());
  double simulated = 0;
  for (const auto& row : rows) simulated += row.metrics.at("wall_seconds");
  fmt::print("sum of the runs' own wall times: {:.2f} s; the rest of a -j 1 execution is workload generation, "
             "the HDF5 write (overlapped with later runs at -j 2) and start-up\n",
             simulated);
  if (keep.empty()) fs::remove_all(dir);
  return 0;
}
