#pragma once
// The body of fuzz_baseline (and of its corpus replay in tests/): the
// regression-baseline reader of `fastgpu regress` (parse_baseline). A baseline
// it accepts must round-trip exactly through format_baseline, as
// experiments/regression.h promises; a failure traps.
#include <cstddef>
#include <cstdint>
#include <string>

#include "experiments/regression.h"
#include "fuzz/memory_file.h"

namespace fastgpu::fuzz {

inline int run_baseline_reader(const std::uint8_t* data, std::size_t size) {
  const std::string text(as_text(data, size));
  Baseline baseline;
  try {
    baseline = parse_baseline(text, "fuzz-baseline.toml");
  } catch (const InputError&) {
    return 0;
  }
  const std::string once = format_baseline(baseline);
  const std::string twice = format_baseline(parse_baseline(once, "round-trip.toml"));
  if (once != twice) __builtin_trap();
  return 0;
}

}  // namespace fastgpu::fuzz
