// [limits]: the budgets of each run (sim/run_limits.h): simulated time,
// events and time-series memory. The defaults are far above real workloads;
// a run that passes one stops with an error naming the key to raise.
#include <cmath>

#include "config/sections.h"

namespace fastgpu::config_reader {

void read_limits(TableReader t, RunLimits& limits, ReadContext& ctx) {
  t.read("max_simulated_seconds", limits.max_simulated_seconds);
  t.read("max_events", limits.max_events);
  t.read("max_memory_gb", limits.max_memory_gb);
  t.finish();
}

void validate_limits(const RunLimits& limits, const ReadContext& ctx) {
  ctx.check(std::isfinite(limits.max_simulated_seconds) && limits.max_simulated_seconds > 0,
            "limits.max_simulated_seconds", fmt::format("must be > 0 seconds, got {}", limits.max_simulated_seconds));
  ctx.check(limits.max_events > 0, "limits.max_events", "must be > 0");
  ctx.check(std::isfinite(limits.max_memory_gb) && limits.max_memory_gb > 0, "limits.max_memory_gb",
            fmt::format("must be > 0 GB, got {}", limits.max_memory_gb));
}

}  // namespace fastgpu::config_reader
