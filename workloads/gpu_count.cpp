#include "workloads/gpu_count.h"

#include <fmt/format.h>

#include <cmath>

namespace fastgpu::trace {

bool to_gpu_count(double value, std::uint32_t& out) {
  // The comparisons are false for NaN, so NaN is refused with the rest.
  if (!(value >= 0 && value <= static_cast<double>(kMaxGpusPerJob)) || value != std::floor(value)) return false;
  out = static_cast<std::uint32_t>(value);
  return true;
}

bool checked_gpu_count(Issues& issues, const SourceLocation& where, double value, std::uint32_t& out) {
  if (to_gpu_count(value, out)) return true;
  issues.bad_row(where, fmt::format("{} must be a whole number of GPUs in 0..{}, got {:.17g}",
                                    where.field.empty() ? "the GPU count" : where.field, kMaxGpusPerJob, value));
  return false;
}

}  // namespace fastgpu::trace
