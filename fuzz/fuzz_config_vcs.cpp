// libFuzzer harness: the TOML config reader on configs with virtual clusters
// ([[cluster.vcs]]): the body of fuzz_config, started from a corpus of VC
// configs (fuzz/corpus/config_vcs/) so that mutations stay near that table.
#include "fuzz/config_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fastgpu::fuzz::run_config_reader(data, size);
}
