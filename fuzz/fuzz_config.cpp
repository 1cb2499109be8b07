// libFuzzer harness: the TOML config reader with --set overrides.
#include "fuzz/config_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_config_reader(data, size);
}
