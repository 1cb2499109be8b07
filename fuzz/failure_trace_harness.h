#pragma once
// The body of fuzz_failure_trace (and of its corpus replay in tests/): the
// failure-trace reader ([failures] trace = "FILE": time,node,gpu,duration)
// against a cluster picked by the option byte: bits 0-2 + 1 nodes of bits
// 3-5 + 1 GPUs each, and with bit 6 a second group of 2 nodes of 4 GPUs. The
// rest is the file. An InputError is the expected answer to bad input; an
// outage list it returns must keep the reader's promises (sorted by time,
// every outage on GPUs of one node, duration > 0, no two overlapping on a
// GPU), else the harness traps.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <vector>

#include "fuzz/memory_file.h"
#include "sim/error.h"
#include "workloads/failure_trace.h"

namespace fastgpu::fuzz {

inline int run_failure_trace_reader(const std::uint8_t* data, std::size_t size) {
  static MemoryFile file;
  std::string_view text = as_text(data, size);
  const std::uint8_t option = take_option_byte(text);
  ClusterSpec cluster;
  cluster.gpu_types = {GpuType{}};
  cluster.node_groups = {NodeGroup{.name = "a", .count = (option & 7u) + 1u, .gpus_per_node = ((option >> 3) & 7u) + 1u}};
  if (option & 64) cluster.node_groups.push_back(NodeGroup{.name = "b", .count = 2, .gpus_per_node = 4});
  // [first GPU, end) of every node, as the engine numbers them.
  std::map<GpuIndex, GpuIndex> node_end;
  GpuIndex next = 0;
  for (const NodeGroup& g : cluster.node_groups)
    for (std::uint32_t n = 0; n < g.count; ++n) node_end[next] = next + g.gpus_per_node, next += g.gpus_per_node;
  std::vector<Outage> outages;
  try {
    outages = read_failure_trace(file.write(text), cluster);
  } catch (const InputError&) {
    return 0;
  }
  std::map<GpuIndex, double> free_from;  // per GPU: when its latest outage so far ends
  for (std::size_t i = 0; i < outages.size(); ++i) {
    const Outage& o = outages[i];
    if (i > 0 && outages[i - 1].time > o.time) __builtin_trap();
    if (!(o.duration > 0) || !(o.time >= 0) || o.gpus == 0) __builtin_trap();
    auto node = node_end.upper_bound(o.first_gpu);  // the node after o's
    if (node == node_end.begin() || o.first_gpu + o.gpus > std::prev(node)->second) __builtin_trap();
    for (GpuIndex g = o.first_gpu; g < o.first_gpu + o.gpus; ++g) {
      auto [it, fresh] = free_from.try_emplace(g, o.time + o.duration);
      if (!fresh) {
        if (o.time < it->second) __builtin_trap();  // the list is by start time: overlap with the previous one
        it->second = o.time + o.duration;
      }
    }
  }
  return 0;
}

}  // namespace fastgpu::fuzz
