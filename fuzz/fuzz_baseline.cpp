// libFuzzer harness: the regression-baseline reader of `fastgpu regress`
// (parse_baseline). A baseline it accepts must round-trip exactly through
// format_baseline, as regression.h promises.
#include <cstddef>
#include <cstdint>
#include <string>

#include "experiments/regression.h"
#include "fuzz/memory_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(fastgpu::fuzz::as_text(data, size));
  fastgpu::Baseline baseline;
  try {
    baseline = fastgpu::parse_baseline(text, "fuzz-baseline.toml");
  } catch (const fastgpu::InputError&) {
    return 0;
  }
  const std::string once = fastgpu::format_baseline(baseline);
  const std::string twice = fastgpu::format_baseline(fastgpu::parse_baseline(once, "round-trip.toml"));
  if (once != twice) __builtin_trap();
  return 0;
}
