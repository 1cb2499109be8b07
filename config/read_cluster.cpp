// [cluster]: switch size, slowdowns, [[cluster.gpu_types]], [[cluster.nodes]] and [[cluster.vcs]].
#include "config/sections.h"

namespace fastgpu::config_reader {

void read_cluster(TableReader t, ClusterSpec& cluster, ReadContext& ctx) {
  t.read("nodes_per_switch", cluster.nodes_per_switch);
  TableReader slow = t.table("slowdown");
  slow.read("same_node", cluster.slowdown.same_node);
  slow.read("same_switch", cluster.slowdown.same_switch);
  slow.read("cross_switch", cluster.slowdown.cross_switch);
  slow.finish();

  // A list written in the file replaces the default one rather than extending it.
  bool types_given = false;
  std::vector<TableReader> types = t.table_array("gpu_types", &types_given);
  if (types_given) cluster.gpu_types.clear();
  for (TableReader& g : types) {
    GpuType type;
    g.read("name", type.name);
    g.read("speed", type.speed);
    // The engine's ClusterSpec allows 0 (memory not modelled); a type written
    // in a config must have memory, as documented (> 0).
    if (g.read("memory_gb", type.memory_gb))
      ctx.check(type.memory_gb > 0, g.key("memory_gb"), fmt::format("must be > 0, got {}", type.memory_gb));
    g.read("idle_watts", type.idle_watts);
    g.read("busy_watts", type.busy_watts);
    g.read("price_per_hour", type.price_per_hour);
    g.finish();
    cluster.gpu_types.push_back(type);
  }

  bool nodes_given = false;
  std::vector<TableReader> groups = t.table_array("nodes", &nodes_given);
  if (nodes_given) cluster.node_groups.clear();
  for (TableReader& g : groups) {
    NodeGroup group;
    g.read("name", group.name);
    g.read("count", group.count);
    g.read("gpus_per_node", group.gpus_per_node);
    std::string gpu_type;
    const std::string type_key = g.key("gpu_type");
    if (g.read("gpu_type", gpu_type)) {
      const int idx = cluster.find_type(gpu_type);
      if (idx < 0) {
        std::vector<std::string> names;
        for (const GpuType& gt : cluster.gpu_types) names.push_back(gt.name);
        ctx.fail(type_key, fmt::format("unknown GPU type '{}' (defined in [[cluster.gpu_types]]: {})", gpu_type,
                                       fmt::join(names, ", ")));
      }
      group.gpu_type = static_cast<TypeIndex>(idx);
    } else if (cluster.gpu_types.size() > 1) {
      ctx.fail(type_key, "gpu_type is required when the cluster defines several GPU types");
    }
    g.finish();
    cluster.node_groups.push_back(group);
  }
  read_vcs(t, cluster, ctx);
  t.finish();
}

void validate_cluster(const ClusterSpec& cluster, const ReadContext& ctx) {
  try {
    cluster.validate();
  } catch (const InputError& e) {
    ctx.fail_at_key(e);
  }
}

}  // namespace fastgpu::config_reader
