#pragma once
// The body of fuzz_etc (and of its corpus replay in tests/): the ETC instance
// readers of `fastgpu solve`. Option byte: bit 0 picks the format (0 braun,
// 1 csv); for braun, bits 1-3 and 4-6 give the task and machine counts
// (0 = inferred), as --tasks/--machines do. EtcParseError is the expected
// answer to bad input; anything else escaping is a bug.
#include <cstddef>
#include <cstdint>

#include "fuzz/memory_file.h"
#include "policies/ga/etc_io.h"

namespace fastgpu::fuzz {

inline int run_etc_reader(const std::uint8_t* data, std::size_t size) {
  static MemoryFile file;
  std::string_view text = as_text(data, size);
  const std::uint8_t option = take_option_byte(text);
  const std::string& path = file.write(text);
  try {
    if (option & 1) {
      ga::read_etc_csv(path);
    } else {
      ga::read_braun(path, (option >> 1) & 7u, (option >> 4) & 7u);
    }
  } catch (const ga::EtcParseError&) {
  }
  return 0;
}

}  // namespace fastgpu::fuzz
