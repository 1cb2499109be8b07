#pragma once
// Budgets of one run, so that a hostile or mistaken input (speed = 1e-300,
// monitor_interval = 1e-9, a submit time of 1e23 s) ends with a clear error
// (InputError, exit 2) instead of a run that spins until the machine runs out
// of memory. The defaults are far above any real workload: a century of
// simulated time, ten billion events, 4 GB of time series per run. The
// [limits] table of a config raises or lowers them (docs/config.md).
#include <cstdint>
#include <string>

#include "sim/cluster_spec.h"
#include "sim/types.h"
#include "sim/workload.h"

namespace fastgpu {

// Bytes of one time-series row (TimeSample, sim/run_result.h).
inline constexpr double kSampleBytes = 56;

struct RunLimits {
  Seconds max_simulated_seconds = 3.2e9;       // about 101 years of simulated time
  std::uint64_t max_events = 10'000'000'000;   // events applied (arrivals, finishes, timers, samples)
  double max_memory_gb = 4;                    // the time series a run accumulates (monitor samples)

  // Time-series rows max_memory_gb holds.
  std::uint64_t max_samples() const;

  // Before a run: every job must be able to finish within max_simulated_seconds
  // (its submit or earliest start + work at the fastest GPU type), and the
  // samples every `monitor_interval` seconds up to the last such finish must
  // fit in max_memory_gb. InputError naming the job or engine.monitor_interval
  // and the limit's key otherwise.
  void check_plan(const Workload& workload, const ClusterSpec& cluster, Seconds monitor_interval) const;

  // While a run goes on (once per simulated instant): InputError when the
  // simulated time, the event count or the time-series rows passed a limit.
  void check_progress(Seconds now, std::uint64_t events, std::uint64_t samples) const {
    if (now > max_simulated_seconds || events > max_events ||
        static_cast<double>(samples) * kSampleBytes > max_memory_gb * 1e9) [[unlikely]]
      fail_progress(now, events, samples);
  }

  // Where a trace is converted rather than run (fastgpu convert): the job
  // times themselves (submit, earliest start, work, deadline) must be within
  // max_simulated_seconds. InputError naming `source` (the trace), the job
  // and the field otherwise.
  void check_job_times(const Workload& workload, const std::string& source) const;

 private:
  [[noreturn]] void fail_progress(Seconds now, std::uint64_t events, std::uint64_t samples) const;
};

}  // namespace fastgpu
