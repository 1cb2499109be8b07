// libFuzzer harness: the swf trace reader (read_trace("swf", ...)).
#include "fuzz/trace_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_trace_reader("swf", data, size);
}
