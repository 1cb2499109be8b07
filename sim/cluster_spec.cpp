#include "sim/cluster_spec.h"

#include <cmath>
#include <set>

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu {

std::uint32_t ClusterSpec::num_nodes() const {
  std::uint64_t n = 0;
  for (const NodeGroup& g : node_groups) n += g.count;
  return static_cast<std::uint32_t>(n);
}

std::uint32_t ClusterSpec::num_gpus() const {
  std::uint64_t n = 0;
  for (const NodeGroup& g : node_groups) n += static_cast<std::uint64_t>(g.count) * g.gpus_per_node;
  return static_cast<std::uint32_t>(n);
}

int ClusterSpec::find_type(const std::string& name) const {
  for (std::size_t t = 0; t < gpu_types.size(); ++t) {
    if (gpu_types[t].name == name) return static_cast<int>(t);
  }
  return -1;
}

namespace {

[[noreturn]] void fail(const std::string& key, const std::string& what) {
  throw InputError(SourceLocation{"", 0, key}, what);
}

void require(bool ok, const std::string& key, const std::string& what) {
  if (!ok) fail(key, what);
}

}  // namespace

void ClusterSpec::validate() const {
  // The engine keeps the GPU types a job may use as a 64-bit mask.
  require(!gpu_types.empty(), "cluster.gpu_types", "at least one GPU type is required");
  require(gpu_types.size() <= 64, "cluster.gpu_types",
          fmt::format("at most 64 GPU types are supported, got {}", gpu_types.size()));
  std::set<std::string> names;
  for (std::size_t t = 0; t < gpu_types.size(); ++t) {
    const GpuType& g = gpu_types[t];
    const std::string key = fmt::format("cluster.gpu_types[{}]", t);
    require(!g.name.empty(), key + ".name", "a GPU type needs a non-empty name");
    require(names.insert(g.name).second, key + ".name", fmt::format("GPU type '{}' is defined twice", g.name));
    require(std::isfinite(g.speed) && g.speed > 0, key + ".speed", fmt::format("must be > 0, got {}", g.speed));
    require(std::isfinite(g.memory_gb) && g.memory_gb >= 0, key + ".memory_gb",
            fmt::format("must be >= 0, got {}", g.memory_gb));
    require(std::isfinite(g.idle_watts) && g.idle_watts >= 0, key + ".idle_watts",
            fmt::format("must be >= 0, got {}", g.idle_watts));
    require(std::isfinite(g.busy_watts) && g.busy_watts >= 0, key + ".busy_watts",
            fmt::format("must be >= 0, got {}", g.busy_watts));
    require(std::isfinite(g.price_per_hour) && g.price_per_hour >= 0, key + ".price_per_hour",
            fmt::format("must be >= 0, got {}", g.price_per_hour));
  }
  require(!node_groups.empty(), "cluster.nodes", "at least one node group is required");
  std::uint64_t nodes = 0, gpus = 0;
  for (std::size_t i = 0; i < node_groups.size(); ++i) {
    const NodeGroup& g = node_groups[i];
    const std::string key = fmt::format("cluster.nodes[{}]", i);
    require(g.gpus_per_node >= 1, key + ".gpus_per_node", "must be >= 1, got 0");
    require(g.gpu_type < gpu_types.size(), key + ".gpu_type",
            fmt::format("GPU type index {} does not exist ({} types)", g.gpu_type, gpu_types.size()));
    nodes += g.count;
    gpus += static_cast<std::uint64_t>(g.count) * g.gpus_per_node;
  }
  // GpuIndex and NodeIndex are 32-bit.
  require(gpus >= 1, "cluster.nodes", "the cluster has no GPUs (every node group has count = 0)");
  require(gpus < 0xffffffffULL && nodes < 0xffffffffULL, "cluster.nodes",
          fmt::format("the cluster is too large ({} GPUs)", gpus));
  require(nodes_per_switch >= 1, "cluster.nodes_per_switch", "must be >= 1, got 0");
  auto check_slowdown = [](double v, const char* name) {
    require(std::isfinite(v) && v >= 1.0, fmt::format("cluster.slowdown.{}", name),
            fmt::format("a slowdown factor must be >= 1, got {}", v));
  };
  check_slowdown(slowdown.same_node, "same_node");
  check_slowdown(slowdown.same_switch, "same_switch");
  check_slowdown(slowdown.cross_switch, "cross_switch");
  validate_vcs();
}

void ClusterSpec::validate_vcs() const {
  // Job::vc and the per-node owner table are 16-bit, 0xffff meaning none.
  require(vcs.size() < 0xffff, "cluster.vcs", fmt::format("at most 65534 virtual clusters, got {}", vcs.size()));
  std::set<std::string> names;
  std::vector<std::int64_t> owner(num_nodes(), -1);
  for (std::size_t v = 0; v < vcs.size(); ++v) {
    const std::string key = fmt::format("cluster.vcs[{}]", v);
    require(!vcs[v].name.empty(), key + ".name", "a virtual cluster needs a non-empty name");
    require(names.insert(vcs[v].name).second, key + ".name",
            fmt::format("virtual cluster '{}' is defined twice", vcs[v].name));
    require(!vcs[v].nodes.empty(), key, fmt::format("virtual cluster '{}' has no nodes", vcs[v].name));
    for (NodeIndex n : vcs[v].nodes) {
      require(n < owner.size(), key + ".nodes",
              fmt::format("node {} does not exist (the cluster has nodes 0-{})", n, owner.size() - 1));
      require(owner[n] < 0, key + ".nodes",
              fmt::format("node {} is already in virtual cluster '{}'", n, owner[n] < 0 ? "" : vcs[owner[n]].name));
      owner[n] = static_cast<std::int64_t>(v);
    }
  }
}

}  // namespace fastgpu
