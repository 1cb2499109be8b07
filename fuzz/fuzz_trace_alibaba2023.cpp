// libFuzzer harness: the alibaba2023 trace reader (read_trace("alibaba2023", ...)).
#include "fuzz/trace_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_trace_reader("alibaba2023", data, size);
}
