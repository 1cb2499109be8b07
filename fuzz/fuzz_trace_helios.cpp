// libFuzzer harness: the helios trace reader (read_trace("helios", ...)).
#include "fuzz/trace_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_trace_reader("helios", data, size);
}
