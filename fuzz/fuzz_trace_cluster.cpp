// libFuzzer harness: the cluster descriptions of `fastgpu convert --cluster`.
#include "fuzz/trace_cluster_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_trace_cluster_reader(data, size);
}
