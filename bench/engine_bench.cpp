// Engine benchmark: replays a large synthetic workload under several policies
// and prints a table of wall time, simulated jobs/s, events/s, the share of
// the time spent inside the policy, peak RSS and what the policy did
// (preemptions, migrations). Each run is a forked child so that its peak RSS
// is its own (wait4). The last column checks the engine's targets
// (docs/performance.md): every policy at 1 M jobs per CPU second or more, fifo
// at 2 M up to a million jobs, and fifo at a million jobs or more in 150 bytes
// a job (the process's peak RSS, the generated workload included).
//
//   build/bench/bench_engine [--jobs N] [--nodes N] [--repeat R] [--policies a,b,...|all]
//
// `all` is every registered policy except `ga` (its own benchmark is
// bench/ga) and `recorded` (it replays a trace's recorded starts).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench/bench_support.h"
#include "policies/builtin.h"
#include "config/config.h"
#include "sim/engine.h"
#include "workloads/synthetic.h"

using namespace fastgpu;
using fastgpu::bench::median;

namespace {

struct Measurement {
  double sim_seconds = 0;   // engine wall time
  double cpu_seconds = 0;   // engine CPU time (this process): robust on a shared machine
  double gen_seconds = 0;   // workload generation wall time
  double events = 0;
  double completed = 0;
  double scheduler_seconds = 0;  // wall time inside the policy's decision hooks
  double preemptions = 0, migrations = 0;
  double peak_rss_mb = 0;
};

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

Measurement run_child(const std::string& policy, std::uint64_t jobs, std::uint32_t nodes, double load) {
  return bench::measure_in_child<Measurement>([&] {
    ClusterSpec cluster;
    cluster.gpu_types = {GpuType{.name = "A100", .speed = 1.0, .memory_gb = 80}};
    cluster.node_groups = {NodeGroup{.name = "node", .count = nodes, .gpus_per_node = 8, .gpu_type = 0}};
    cluster.nodes_per_switch = 16;
    SyntheticSpec spec;
    spec.jobs = jobs;
    spec.load = load;
    auto t0 = std::chrono::steady_clock::now();
    // Shared, as the experiment runner does: the result reads the jobs' inputs from the workload.
    const auto workload = std::make_shared<const Workload>(generate_synthetic(spec, cluster, 1));
    auto t1 = std::chrono::steady_clock::now();
    const double c1 = process_cpu_seconds();
    auto instance = bench::make_policy(policy);
    EngineOptions options;
    RunResult r = simulate(workload, cluster, *instance, options, policy);
    auto t2 = std::chrono::steady_clock::now();
    const double c2 = process_cpu_seconds();
    Measurement m;
    m.gen_seconds = std::chrono::duration<double>(t1 - t0).count();
    m.sim_seconds = std::chrono::duration<double>(t2 - t1).count();
    m.cpu_seconds = c2 - c1;
    m.events = static_cast<double>(r.summary.events);
    m.completed = static_cast<double>(r.summary.jobs_completed);
    m.scheduler_seconds = r.summary.scheduler_seconds;
    m.preemptions = static_cast<double>(r.summary.preemptions);
    m.migrations = static_cast<double>(r.summary.migrations);
    return m;
  }, fmt::format("benchmark run of '{}' failed", policy));
}

// The engine's targets: jobs per CPU second, and the memory of the engine
// itself (fifo keeps no per-job state of its own) once the per-job tables
// outweigh the process.
bool meets_targets(const std::string& policy, std::uint64_t jobs, double jobs_per_cpu_second, double bytes_a_job) {
  const bool fifo = policy == "fifo";
  const double rate = fifo && jobs <= 1'000'000 ? 2e6 : 1e6;
  return jobs_per_cpu_second >= rate && (!fifo || jobs < 1'000'000 || bytes_a_job <= 150);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t jobs = 1'000'000;
  std::uint32_t nodes = 512;
  int repeat = 3;
  double load = 0.9;
  std::vector<std::string> policies{"fifo", "least-loaded", "easy-backfill", "las", "load-balance-migrate"};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--jobs") jobs = std::stoull(value);
    else if (flag == "--nodes") nodes = static_cast<std::uint32_t>(std::stoul(value));
    else if (flag == "--repeat") repeat = std::stoi(value);
    else if (flag == "--load") load = std::stod(value);
    else if (flag == "--policies") {
      policies = bench::split_commas(value);
    } else {
      fmt::print(stderr, "usage: bench_engine [--jobs N] [--nodes N] [--repeat R] [--load L] [--policies a,b|all]\n");
      return 2;
    }
  }
  if (policies == std::vector<std::string>{"all"}) {
    policies.clear();
    for (const PolicyInfo& info : builtin_policies().all()) {
      if (info.name != "ga" && info.name != "recorded") policies.push_back(info.name);
    }
  }
  fmt::print("engine benchmark: {} synthetic jobs, {} GPUs ({} nodes x 8), load {}, median of {} runs\n", jobs,
             nodes * 8, nodes, load, repeat);
  fmt::print("wall = elapsed time of the simulation, cpu = its CPU time (what a shared machine cannot inflate);\n"
             "sched% = share of the wall time inside the policy;\n"
             "target: >= 1 M jobs per CPU second (fifo up to a million jobs: 2 M), and fifo at a million jobs or more\n"
             "<= 150 B/job (the engine's own state; B/job = the child's peak RSS over the jobs)\n");
  fmt::print("{:<22} {:>7} {:>9} {:>7} {:>9} {:>10} {:>7} {:>7} {:>6} {:>6} {:>9} {:>7} {:>7} {:>6}\n", "policy",
             "wall s", "jobs/s", "cpu s", "jobs/s", "events/s", "sched%", "RSS MB", "B/job", "gen s", "completed",
             "preempt", "migrate", "target");
  for (const std::string& policy : policies) {
    std::vector<double> sim, cpu, gen, rss, events, completed, sched, preempted, migrated;
    for (int r = 0; r < repeat; ++r) {
      const Measurement m = run_child(policy, jobs, nodes, load);
      sim.push_back(m.sim_seconds);
      cpu.push_back(m.cpu_seconds);
      gen.push_back(m.gen_seconds);
      rss.push_back(m.peak_rss_mb);
      events.push_back(m.events);
      completed.push_back(m.completed);
      sched.push_back(m.scheduler_seconds / m.sim_seconds);
      preempted.push_back(m.preemptions);
      migrated.push_back(m.migrations);
    }
    const double wall = median(sim), cpu_s = median(cpu);
    const double n = static_cast<double>(jobs);
    // B/job: the child's peak RSS (MiB) in bytes over the jobs, the generator's workload included.
    const double bytes_a_job = median(rss) * 1048576.0 / n;
    fmt::print("{:<22} {:>7.2f} {:>9.0f} {:>7.2f} {:>9.0f} {:>10.0f} {:>6.1f}% {:>7.1f} {:>6.0f} {:>6.2f} {:>9.0f} {:>7.0f} {:>7.0f} {:>6}\n",
               policy, wall, n / wall, cpu_s, n / cpu_s, median(events) / cpu_s, 100 * median(sched), median(rss),
               bytes_a_job, median(gen), median(completed), median(preempted), median(migrated),
               meets_targets(policy, jobs, n / cpu_s, bytes_a_job) ? "ok" : "MISSED");
    std::fflush(stdout);
  }
  return 0;
}
