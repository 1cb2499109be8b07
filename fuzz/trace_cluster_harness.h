#pragma once
// The body of fuzz_trace_cluster (and of its corpus replay in tests/): the
// cluster descriptions read by `fastgpu convert --cluster` (openb node list,
// Philly machine list, Alea machines file; cluster_from_trace). Option byte:
// bits 0-1 pick the format (0 alibaba2023, 1 philly, 2 swf, 3 swf with
// gpus_per_proc = 0.5), the rest is the file. An InputError is the expected
// answer to bad input; a cluster it returns must be usable (GPU type indexes
// in range, nodes with GPUs) and its TOML form (cluster_to_toml, written by
// --cluster-toml) must read back through the config parser as the same
// cluster, else the harness traps.
#include <cstddef>
#include <cstdint>

#include "config/config.h"
#include "fuzz/memory_file.h"
#include "sim/error.h"
#include "workloads/trace_cluster.h"

namespace fastgpu::fuzz {

inline int run_trace_cluster_reader(const std::uint8_t* data, std::size_t size) {
  static MemoryFile file;
  std::string_view text = as_text(data, size);
  const std::uint8_t option = take_option_byte(text);
  static const char* const formats[] = {"alibaba2023", "philly", "swf", "swf"};
  ClusterSpec cluster;
  try {
    cluster = cluster_from_trace(formats[option & 3], file.write(text), (option & 3) == 3 ? 0.5 : 1.0);
  } catch (const InputError&) {
    return 0;
  }
  for (const NodeGroup& g : cluster.node_groups)
    if (g.gpu_type >= cluster.gpu_types.size() || g.count == 0 || g.gpus_per_node == 0) __builtin_trap();
  ExperimentConfig back;
  try {
    // With jobs of one GPU: the default synthetic workload's two-GPU jobs
    // do not fit a one-GPU cluster.
    back = parse_config(cluster_to_toml(cluster) + "\n[workload]\ngpu_counts = [1]\n", "cluster.toml");
  } catch (const InputError&) {
    __builtin_trap();  // --cluster-toml wrote a table the config reader refuses
  }
  if (back.cluster.num_gpus() != cluster.num_gpus() || back.cluster.gpu_types.size() != cluster.gpu_types.size() ||
      back.cluster.node_groups.size() != cluster.node_groups.size())
    __builtin_trap();
  return 0;
}

}  // namespace fastgpu::fuzz
