// Engine benchmark: replays a large synthetic workload under several policies
// and prints a table of wall time, simulated jobs/s, events/s and peak RSS.
// Each run is a forked child so that its peak RSS is its own (wait4).
//
//   build/bench/bench_engine [--jobs N] [--nodes N] [--repeat R] [--policies a,b,...]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "policies/builtin.h"
#include "sim/config.h"
#include "sim/engine.h"
#include "workloads/synthetic.h"

using namespace fastgpu;

namespace {

struct Measurement {
  double sim_seconds = 0;   // engine wall time
  double gen_seconds = 0;   // workload generation wall time
  double events = 0;
  double completed = 0;
  double peak_rss_mb = 0;
};

Measurement run_child(const std::string& policy, std::uint64_t jobs, std::uint32_t nodes) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    ClusterSpec cluster;
    cluster.gpu_types = {GpuType{.name = "A100", .speed = 1.0, .memory_gb = 80}};
    cluster.node_groups = {NodeGroup{.name = "node", .count = nodes, .gpus_per_node = 8, .gpu_type = 0}};
    cluster.nodes_per_switch = 16;
    SyntheticSpec spec;
    spec.jobs = jobs;
    spec.load = 0.9;
    auto t0 = std::chrono::steady_clock::now();
    Workload workload = generate_synthetic(spec, cluster, 1);
    auto t1 = std::chrono::steady_clock::now();
    auto instance = builtin_policies().create(policy, {});
    EngineOptions options;
    RunResult r = simulate(workload, cluster, *instance, options, policy);
    auto t2 = std::chrono::steady_clock::now();
    Measurement m;
    m.gen_seconds = std::chrono::duration<double>(t1 - t0).count();
    m.sim_seconds = std::chrono::duration<double>(t2 - t1).count();
    m.events = static_cast<double>(r.summary.events);
    m.completed = static_cast<double>(r.summary.jobs_completed);
    if (write(fds[1], &m, sizeof m) != static_cast<ssize_t>(sizeof m)) _exit(3);
    _exit(0);
  }
  close(fds[1]);
  Measurement m;
  const ssize_t got = read(fds[0], &m, sizeof m);
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  if (got != static_cast<ssize_t>(sizeof m) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(fmt::format("benchmark run of '{}' failed", policy));
  }
  m.peak_rss_mb = usage.ru_maxrss / 1024.0;  // ru_maxrss is in KiB on Linux
  return m;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t jobs = 1'000'000;
  std::uint32_t nodes = 512;
  int repeat = 3;
  std::vector<std::string> policies{"fifo", "least-loaded"};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--jobs") jobs = std::stoull(value);
    else if (flag == "--nodes") nodes = static_cast<std::uint32_t>(std::stoul(value));
    else if (flag == "--repeat") repeat = std::stoi(value);
    else if (flag == "--policies") {
      policies.clear();
      for (std::size_t start = 0; start <= value.size();) {
        const std::size_t end = std::min(value.find(',', start), value.size());
        policies.push_back(value.substr(start, end - start));
        start = end + 1;
      }
    } else {
      fmt::print(stderr, "usage: bench_engine [--jobs N] [--nodes N] [--repeat R] [--policies a,b]\n");
      return 2;
    }
  }
  fmt::print("engine benchmark: {} synthetic jobs, {} GPUs ({} nodes x 8), load 0.9, median of {} runs\n",
             jobs, nodes * 8, nodes, repeat);
  fmt::print("{:<22} {:>10} {:>12} {:>12} {:>14} {:>13} {:>10}\n", "policy", "sim s", "jobs/s", "events/s",
             "peak RSS MB", "generate s", "completed");
  for (const std::string& policy : policies) {
    std::vector<double> sim, gen, rss, events, completed;
    for (int r = 0; r < repeat; ++r) {
      const Measurement m = run_child(policy, jobs, nodes);
      sim.push_back(m.sim_seconds);
      gen.push_back(m.gen_seconds);
      rss.push_back(m.peak_rss_mb);
      events.push_back(m.events);
      completed.push_back(m.completed);
    }
    const double s = median(sim);
    fmt::print("{:<22} {:>10.3f} {:>12.0f} {:>12.0f} {:>14.1f} {:>13.3f} {:>10.0f}\n", policy, s,
               static_cast<double>(jobs) / s, median(events) / s, median(rss), median(gen), median(completed));
  }
  return 0;
}
