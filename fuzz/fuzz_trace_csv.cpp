// libFuzzer harness: the canonical CSV trace (read_trace("csv", ...)).
#include "fuzz/trace_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_trace_reader("csv", data, size);
}
