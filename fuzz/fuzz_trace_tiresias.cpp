// libFuzzer harness: the tiresias trace reader (read_trace("tiresias", ...)).
#include "fuzz/trace_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_trace_reader("tiresias", data, size);
}
