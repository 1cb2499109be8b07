#pragma once
// Basic vocabulary of the simulator. Units: time in seconds (double, since the
// first submit of the workload), GPU counts in whole GPUs, memory in GB.
#include <cstdint>
#include <limits>

namespace fastgpu {

using Seconds = double;
using JobIndex = std::uint32_t;   // position of a job in Workload::jobs
using GpuIndex = std::uint32_t;   // global GPU number, 0 .. cluster.num_gpus()-1
using NodeIndex = std::uint32_t;  // global node number
using TypeIndex = std::uint16_t;  // index into ClusterSpec::gpu_types

inline constexpr Seconds kNever = std::numeric_limits<double>::infinity();
inline constexpr JobIndex kNoJob = std::numeric_limits<JobIndex>::max();
inline constexpr NodeIndex kNoNode = std::numeric_limits<NodeIndex>::max();
inline constexpr GpuIndex kNoGpu = std::numeric_limits<GpuIndex>::max();

// GPU capacity is tracked in thousandths so that fractional (shared) GPUs, as
// in the Alibaba 2023 trace's gpu_milli, are exact integers.
inline constexpr std::uint32_t kMilliPerGpu = 1000;

}  // namespace fastgpu
