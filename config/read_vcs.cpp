// [[cluster.vcs]]: virtual clusters, each a name and a share of whole nodes,
// given as node ranges (nodes = "0-7,12") or as GPUs per type
// (gpus = { V100 = 16 }: the first whole nodes of that type no VC has taken,
// after every VC given by node ranges); and cluster.vc_lending.
#include <algorithm>

#include "config/sections.h"
#include "sim/parse_number.h"

namespace fastgpu::config_reader {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "0-7,12" -> 0..7, 12; every node must exist and be named once.
std::vector<NodeIndex> parse_node_ranges(const std::string& text, std::uint32_t num_nodes, const std::string& key,
                                         const ReadContext& ctx) {
  std::vector<NodeIndex> nodes;
  auto number = [&](std::string_view s) {
    s = trim(s);
    std::uint64_t v = 0;
    ctx.check(parse_number(s, v) == NumberError::none, key,
              fmt::format("'{}' is not a node number (expected ranges like \"0-7,12\")", s));
    ctx.check(v < num_nodes, key,
              fmt::format("node {} does not exist: the cluster has {} nodes (0-{})", v, num_nodes, num_nodes - 1));
    return static_cast<NodeIndex>(v);
  };
  std::string_view rest = text;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view part = rest.substr(0, comma);
    const std::size_t dash = part.find('-');
    const NodeIndex first = number(part.substr(0, dash));
    const NodeIndex last = dash == std::string_view::npos ? first : number(part.substr(dash + 1));
    ctx.check(first <= last, key, fmt::format("range '{}' runs backwards", trim(part)));
    for (NodeIndex n = first; n <= last; ++n) nodes.push_back(n);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  std::sort(nodes.begin(), nodes.end());
  const auto dup = std::adjacent_find(nodes.begin(), nodes.end());
  ctx.check(dup == nodes.end(), key, fmt::format("node {} is named twice", dup == nodes.end() ? 0 : *dup));
  return nodes;
}

}  // namespace

void read_vcs(TableReader& t, ClusterSpec& cluster, ReadContext& ctx) {
  t.read("vc_lending", cluster.vc_lending);
  std::vector<TableReader> entries = t.table_array("vcs");
  const std::uint32_t num_nodes = cluster.num_nodes();
  // Node numbers follow [[cluster.nodes]] order, group after group.
  std::vector<TypeIndex> node_type;
  std::vector<std::uint32_t> node_gpus;
  for (const NodeGroup& g : cluster.node_groups) {
    node_type.insert(node_type.end(), g.count, g.gpu_type);
    node_gpus.insert(node_gpus.end(), g.count, g.gpus_per_node);
  }
  std::vector<std::int64_t> owner(num_nodes, -1);
  struct ByType {
    std::size_t vc;
    std::string key;
    std::vector<std::pair<TypeIndex, std::uint32_t>> gpus;
  };
  std::vector<ByType> by_type;
  cluster.vcs.clear();
  for (std::size_t v = 0; v < entries.size(); ++v) {
    TableReader& e = entries[v];
    VirtualCluster vc;
    const bool named = e.read("name", vc.name);
    ctx.check(named && !vc.name.empty(), e.key("name"), "a virtual cluster needs a non-empty name");
    ctx.check(vc.name.size() < 256, e.key("name"), "a virtual cluster name is at most 255 bytes");
    for (const VirtualCluster& other : cluster.vcs)
      ctx.check(other.name != vc.name, e.key("name"), fmt::format("virtual cluster '{}' is defined twice", vc.name));
    std::string ranges;
    const bool has_nodes = e.read("nodes", ranges);
    TableReader gpus = e.table("gpus");
    ctx.check(has_nodes != gpus.present(), e.key(has_nodes ? "gpus" : "name"),
              fmt::format("virtual cluster '{}' needs its share as either nodes = \"0-7,12\" or gpus = {{ TYPE = N }}",
                          vc.name));
    if (has_nodes) {
      vc.nodes = parse_node_ranges(ranges, num_nodes, e.key("nodes"), ctx);
      for (NodeIndex n : vc.nodes) {
        ctx.check(owner[n] < 0, e.key("nodes"),
                  fmt::format("node {} is already in virtual cluster '{}'", n,
                              owner[n] < 0 ? "" : cluster.vcs[static_cast<std::size_t>(owner[n])].name));
        owner[n] = static_cast<std::int64_t>(v);
      }
    } else {
      ByType share{v, e.key("gpus"), {}};
      for (const auto& [k, node] : *gpus.raw()) {
        const std::string type(k.str());
        std::uint32_t count = 0;
        gpus.read(type, count);
        const int t = cluster.find_type(type);
        ctx.check(t >= 0, gpus.key(type), fmt::format("unknown GPU type '{}'", type));
        ctx.check(count > 0, gpus.key(type), "must be >= 1 GPUs");
        share.gpus.emplace_back(static_cast<TypeIndex>(t), count);
      }
      ctx.check(!share.gpus.empty(), share.key, "names no GPU type");
      gpus.finish();
      by_type.push_back(std::move(share));
    }
    e.finish();
    cluster.vcs.push_back(std::move(vc));
  }
  // Shares by type take the first whole nodes left, in node order.
  for (ByType& share : by_type) {
    VirtualCluster& vc = cluster.vcs[share.vc];
    for (const auto& [t, count] : share.gpus) {
      const std::string key = fmt::format("{}.{}", share.key, cluster.gpu_types[t].name);
      std::uint32_t got = 0, left = 0;
      for (NodeIndex n = 0; n < num_nodes; ++n)
        if (owner[n] < 0 && node_type[n] == t) left += node_gpus[n];
      ctx.check(count <= left, key,
                fmt::format("virtual cluster '{}' asks for {} {} GPUs, but only {} are left after the VCs before it "
                            "(the cluster has {} nodes)",
                            vc.name, count, cluster.gpu_types[t].name, left, num_nodes));
      for (NodeIndex n = 0; n < num_nodes && got < count; ++n) {
        if (owner[n] >= 0 || node_type[n] != t) continue;
        ctx.check(got + node_gpus[n] <= count, key,
                  fmt::format("{} {} GPUs is not a whole number of nodes (the next free node has {} GPUs, {} taken so "
                              "far): a virtual cluster holds whole nodes",
                              count, cluster.gpu_types[t].name, node_gpus[n], got));
        owner[n] = static_cast<std::int64_t>(share.vc);
        vc.nodes.push_back(n);
        got += node_gpus[n];
      }
    }
    std::sort(vc.nodes.begin(), vc.nodes.end());
  }
  if (cluster.vc_lending)
    ctx.check(!cluster.vcs.empty(), t.key("vc_lending"), "vc_lending needs [[cluster.vcs]]");
}

}  // namespace fastgpu::config_reader
