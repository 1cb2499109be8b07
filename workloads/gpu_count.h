#pragma once
// The one checked conversion of a trace's GPU count to Job::num_gpus. Traces
// hold GPU counts as text or doubles; a plain cast from double wraps counts
// of 2^32 and more (4,294,967,297 became 1 GPU) and is undefined for 1e23.
// Every reader converts through here so that a count that is not a whole
// number in 0..kMaxGpusPerJob is a malformed row naming file, line and field.
#include <cstdint>

#include "sim/error.h"
#include "workloads/trace_io.h"

namespace fastgpu::trace {

// Far above any cluster fastgpu models (a job larger than the cluster is
// rejected by the engine anyway), and exact as a float (Job::gpu_share math).
inline constexpr std::uint32_t kMaxGpusPerJob = std::uint32_t{1} << 24;

// `value` as a GPU count when it is a whole number in 0..kMaxGpusPerJob
// (NaN and infinities are not); false otherwise.
bool to_gpu_count(double value, std::uint32_t& out);
// The same for a count read as an integer: only its range to check. Inline:
// the canonical CSV reader converts every row's count through it.
inline bool to_gpu_count(std::int64_t value, std::uint32_t& out) {
  if (value < 0 || value > std::int64_t{kMaxGpusPerJob}) return false;
  out = static_cast<std::uint32_t>(value);
  return true;
}

// to_gpu_count, reporting a bad count through Issues::bad_row at `where`
// ("<field> must be a whole number of GPUs in 0..16777216, got <value>").
bool checked_gpu_count(Issues& issues, const SourceLocation& where, double value, std::uint32_t& out);

}  // namespace fastgpu::trace
