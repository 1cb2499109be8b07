// libFuzzer harness: the ETC instance readers (braun, csv).
#include "fuzz/etc_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_etc_reader(data, size);
}
