#pragma once
// The body of fuzz_packing (and of its corpus replay in tests/): the openb
// node and pod lists of `fastgpu pack` (read_packing_nodes, then
// read_packing_pods). The input is the node list, a NUL byte, the pod list;
// without a NUL only the node list is read. An InputError is the expected
// answer to bad input; a workload it returns must keep the promises the
// packing engine relies on (every index in range, GPUs per node within
// kMaxPackingGpusPerNode, every pod of the list counted once), else the
// harness traps.
#include <cstddef>
#include <cstdint>
#include <numeric>

#include "fuzz/memory_file.h"
#include "sim/error.h"
#include "workloads/packing_workload.h"

namespace fastgpu::fuzz {

inline int run_packing_reader(const std::uint8_t* data, std::size_t size) {
  static MemoryFile nodes, pods;
  const std::string_view text = as_text(data, size);
  const std::size_t cut = text.find('\0');
  PackingWorkload w;
  try {
    read_packing_nodes(nodes.write(text.substr(0, cut)), w);
    if (cut != text.npos) read_packing_pods(pods.write(text.substr(cut + 1)), w);
  } catch (const InputError&) {
    return 0;
  }
  for (const PackingNode& n : w.nodes)
    if (n.gpus > kMaxPackingGpusPerNode || (n.gpus > 0 && n.model >= w.models.size())) __builtin_trap();
  if (w.models.size() > 64) __builtin_trap();  // PodRequest::models has a bit per model
  if (w.request_pods.size() != w.requests.size()) __builtin_trap();
  for (std::uint32_t r : w.pods)
    if (r >= w.requests.size()) __builtin_trap();
  if (std::accumulate(w.request_pods.begin(), w.request_pods.end(), std::uint64_t{0}) != w.pods.size())
    __builtin_trap();
  for (const PodRequest& r : w.requests)
    if (r.num_gpu > 0 && (r.gpu_milli == 0 || r.gpu_milli > 1000)) __builtin_trap();
  return 0;
}

}  // namespace fastgpu::fuzz
