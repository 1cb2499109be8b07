// libFuzzer harness: the regression-baseline reader (parse_baseline).
#include "fuzz/baseline_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_baseline_reader(data, size);
}
