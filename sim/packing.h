#pragma once
// A packing workload: pods that arrive one after another and never leave, on
// nodes that have CPU and memory besides GPUs (the experiment of GPU-sharing
// clusters, where the question is how much GPU can be allocated before the
// cluster is full). The pods are requests drawn from a pod list; GPUs are
// shared in thousandths ("milli"), a pod asking num_gpu GPUs of gpu_milli
// each. Plain data; readers are in workloads/packing_workload.h.
#include <cstdint>
#include <string>
#include <vector>

namespace fastgpu {

inline constexpr std::uint32_t kNoModel = 0xffffffffu;   // a node without GPUs
inline constexpr std::uint64_t kAnyModel = ~std::uint64_t{0};
inline constexpr std::uint32_t kMaxPackingGpusPerNode = 64;

struct PackingNode {
  std::string name;
  std::int64_t cpu_milli = 0;     // CPU in thousandths of a core
  std::int64_t memory_mib = 0;
  std::uint32_t gpus = 0;
  std::uint32_t model = kNoModel; // index into PackingWorkload::models
};

// What one pod asks for. A pod with num_gpu = 0 uses CPU and memory only.
struct PodRequest {
  std::int64_t cpu_milli = 0;
  std::int64_t memory_mib = 0;
  std::uint32_t num_gpu = 0;
  std::uint32_t gpu_milli = 0;     // on each of its GPUs (1..1000 when num_gpu > 0)
  std::uint64_t models = kAnyModel;  // bit m: may run on model m (gpu_spec); 0 = on no model of the node list
  std::uint64_t gpu_milli_total() const { return std::uint64_t{num_gpu} * gpu_milli; }
  bool operator==(const PodRequest&) const = default;
};

struct PackingWorkload {
  std::string name;                       // the pod list's file stem
  std::string pod_path, node_path;
  std::vector<std::string> models;        // GPU models met in the node list
  std::vector<PackingNode> nodes;
  std::vector<PodRequest> requests;       // distinct requests of the list
  std::vector<std::uint32_t> request_pods;  // pods of the list with each request
  std::vector<std::uint32_t> pods;        // the list in file order, as indexes into requests

  std::uint64_t gpu_capacity_milli() const {
    std::uint64_t total = 0;
    for (const PackingNode& n : nodes) total += std::uint64_t{n.gpus} * 1000;
    return total;
  }
};

}  // namespace fastgpu
