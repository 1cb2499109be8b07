// libFuzzer harness: the alibaba2020 trace reader, two files (tasks, then jobs,
// split at the first NUL byte).
#include "fuzz/trace_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_trace_reader("alibaba2020", data, size, 2);
}
