#pragma once
// Small helpers to build clusters, workloads and runs in tests.
#include <cmath>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "policies/builtin.h"
#include "sim/engine.h"

namespace fastgpu::testing {

// One GPU type, `nodes` nodes of `gpus_per_node` GPUs.
inline ClusterSpec uniform_cluster(std::uint32_t nodes, std::uint32_t gpus_per_node, double speed = 1.0,
                                   std::uint32_t nodes_per_switch = 8) {
  ClusterSpec c;
  c.gpu_types = {GpuType{.name = "gpu", .speed = speed, .memory_gb = 32, .idle_watts = 50, .busy_watts = 300,
                         .price_per_hour = 2.0}};
  c.node_groups = {NodeGroup{.name = "n", .count = nodes, .gpus_per_node = gpus_per_node, .gpu_type = 0}};
  c.nodes_per_switch = nodes_per_switch;
  return c;
}

// 2 nodes x 4 GPUs in two virtual clusters: "a" = node 0 (GPUs 0-3), "b" =
// node 1 (GPUs 4-7); `lending` lends idle nodes across them.
inline ClusterSpec two_vc_cluster(bool lending) {
  ClusterSpec c = uniform_cluster(2, 4);
  c.vcs = {VirtualCluster{"a", {0}}, VirtualCluster{"b", {1}}};
  c.vc_lending = lending;
  return c;
}

struct JobSpec {
  Seconds submit;
  std::uint32_t gpus;
  double work;
  Seconds recorded_start = NAN;  // NaN = none (only the `recorded` policy reads it)
};

inline Workload make_workload(std::initializer_list<JobSpec> specs) {
  Workload w;
  w.name = "test";
  std::int64_t id = 0;
  for (const JobSpec& s : specs) {
    Job j;
    j.id = id++;
    j.submit = s.submit;
    j.num_gpus = s.gpus;
    j.work = s.work;
    w.push_job(j, {.recorded_start = s.recorded_start});
  }
  w.finalize("test");
  return w;
}

inline RunResult run_policy(const std::string& policy, const Workload& w, const ClusterSpec& c,
                            EngineOptions options = {}, const RawParams& params = {}) {
  options.check_invariants = true;
  auto p = builtin_policies().create(policy, params);
  return simulate(w, c, *p, options, policy);
}

inline std::vector<GpuIndex> gpus(const RunResult& r, JobIndex j) {
  auto s = r.gpus_of(j);
  return {s.begin(), s.end()};
}

}  // namespace fastgpu::testing
