// libFuzzer harness: the ETC instance readers of `fastgpu solve`. Option
// byte: bit 0 picks the format (0 braun, 1 csv); for braun, bits 1-3 and 4-6
// give the task and machine counts (0 = inferred), as --tasks/--machines do.
#include <cstddef>
#include <cstdint>

#include "fuzz/memory_file.h"
#include "policies/ga/etc_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fastgpu::fuzz::MemoryFile file;
  std::string_view text = fastgpu::fuzz::as_text(data, size);
  const std::uint8_t option = fastgpu::fuzz::take_option_byte(text);
  const std::string& path = file.write(text);
  try {
    if (option & 1) {
      fastgpu::ga::read_etc_csv(path);
    } else {
      fastgpu::ga::read_braun(path, (option >> 1) & 7u, (option >> 4) & 7u);
    }
  } catch (const fastgpu::ga::EtcParseError&) {
  }
  return 0;
}
