#include "sim/action_validator.h"

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu {

void ActionValidator::fail(JobIndex j, const std::string& what, Seconds now) const {
  const std::string job = j < workload_.jobs.size() ? fmt::format("job {}", workload_.jobs[j].id) : "no job";
  throw PolicyError(fmt::format("policy '{}' at t={}: {}: {}", policy_name_, now, job, what));
}

void ActionValidator::check_gpus(JobIndex j, std::span<const GpuIndex> gpus, const char* action,
                                 Seconds now) const {
  const Job& job = workload_.jobs[j];
  if (gpus.size() != job.num_gpus) {
    fail(j, fmt::format("{} with {} GPUs, the job needs {}", action, gpus.size(), job.num_gpus), now);
  }
  const std::uint32_t milli = job.milli_per_gpu();
  // A job that may use every type (the common case) needs no per-GPU type check.
  const bool any_type = (allowed_.mask(j) & allowed_.all_types()) == allowed_.all_types();
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    const GpuIndex g = gpus[i];
    if (g >= cluster_.num_gpus()) fail(j, fmt::format("{} on GPU {} which does not exist", action, g), now);
    for (std::size_t k = 0; k < i; ++k) {
      if (gpus[k] == g) fail(j, fmt::format("{} lists GPU {} twice", action, g), now);
    }
    if (cluster_.is_failed(g)) fail(j, fmt::format("{} on GPU {} which is failed (out of service)", action, g), now);
    if (cluster_.used_milli(g) + milli > kMilliPerGpu) {
      fail(j,
           fmt::format("{} on GPU {} which has only {} of {} milli-GPU free", action, g,
                       kMilliPerGpu - cluster_.used_milli(g), milli),
           now);
    }
    if (!any_type && !allowed_.allowed(j, cluster_.type_of(g))) {
      fail(j,
           fmt::format("{} on GPU {} of type '{}' which the job may not use", action, g,
                       cluster_.gpu_type(cluster_.type_of(g)).name),
           now);
    }
  }
}

}  // namespace fastgpu
