// libFuzzer harness: the failure-trace reader (read_failure_trace).
#include "fuzz/failure_trace_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_failure_trace_reader(data, size);
}
