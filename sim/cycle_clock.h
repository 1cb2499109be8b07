#pragma once
// A cheap clock for timing many short intervals (the policy's decisions, two
// clock reads per simulated instant): the processor's time-stamp counter where
// there is one (one instruction, where steady_clock reads the kernel's clock
// page and scales it), steady_clock's count elsewhere. Ticks are turned into
// seconds by the ratio of both clocks over a longer interval (the whole run).
#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace fastgpu {

inline std::uint64_t cycle_clock_now() {
#if defined(__x86_64__) || defined(__i386__)
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

// Seconds of `ticks`, given that `interval_ticks` took `interval_seconds`.
inline double cycle_ticks_to_seconds(std::uint64_t ticks, std::uint64_t interval_ticks, double interval_seconds) {
  if (interval_ticks == 0) return 0;
  return static_cast<double>(ticks) * (interval_seconds / static_cast<double>(interval_ticks));
}

}  // namespace fastgpu
