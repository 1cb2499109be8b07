// bench_packing [POD_LIST] [SEEDS]: wall time of one packing run to 1.3 x the
// GPU capacity of openb's 1,213 GPU nodes, per placement, on one thread (the
// target is <= 1 s per run). POD_LIST defaults to the shared
// openb_pod_list_default.csv, else the shipped cut in data/openb/.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "policies/packing_placements.h"
#include "sim/packing_run.h"
#include "workloads/packing_workload.h"

// CPU seconds of this thread: on a shared machine the wall time also counts
// the time other processes held the core.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

int main(int argc, char** argv) {
  using namespace fastgpu;
  const std::string shared = std::string(FASTGPU_SHARED_DATA_DIR) + "/alibaba-gpu-v2023/";
  const std::string shipped = std::string(FASTGPU_SOURCE_DIR) + "/data/openb/";
  std::string pods = argc > 1 ? argv[1] : shared + "openb_pod_list_default.csv";
  if (argc <= 1 && !std::filesystem::exists(pods)) pods = shipped + "openb_pod_list_default_every8.csv";
  const std::string nodes = shipped + "openb_node_list_gpu_node.csv";
  const int seeds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  const PackingWorkload w = load_packing_workload(pods, nodes);
  const PodShapes shapes = pod_shapes(w);
  fmt::print("{}: {} pods ({} distinct requests), {} nodes, {} GPUs, to 1.3 x capacity, {} seeds, 1 thread\n",
             w.name, w.pods.size(), w.requests.size(), w.nodes.size(), w.gpu_capacity_milli() / 1000, seeds);
  fmt::print("{:<15} {:>14} {:>14} {:>14} {:>8}\n", "placement", "wall mean (s)", "wall max (s)", "CPU mean (s)",
             "pods");
  for (const std::string& name : packing_placement_names()) {
    double total = 0, worst = 0, cpu = 0, pods_run = 0;
    for (int s = 1; s <= seeds; ++s) {
      auto p = make_packing_placement(name, w, shapes, static_cast<std::uint64_t>(s));
      PackingRunOptions o;
      o.seed = static_cast<std::uint64_t>(s);
      const double cpu_start = thread_cpu_seconds();
      const PackingRunResult r = run_packing(w, shapes, *p, o);
      cpu += thread_cpu_seconds() - cpu_start;
      total += r.wall_seconds;
      worst = std::max(worst, r.wall_seconds);
      pods_run = r.end.pods;
    }
    fmt::print("{:<15} {:>14.3f} {:>14.3f} {:>14.3f} {:>8.0f}\n", name, total / seeds, worst, cpu / seeds, pods_run);
  }
  return 0;
}
