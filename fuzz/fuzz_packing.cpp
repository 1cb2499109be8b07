// libFuzzer harness: the openb node and pod lists of `fastgpu pack`.
#include "fuzz/packing_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_packing_reader(data, size);
}
