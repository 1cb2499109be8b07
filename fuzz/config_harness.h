#pragma once
// The body of fuzz_config (and of its corpus replay in tests/): the TOML
// config reader with --set overrides (parse_config). The input is the config
// text; every line after a line "#--set" is one override ("dotted.key=value").
// An InputError is the expected answer to bad input; anything else escaping
// is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "fuzz/memory_file.h"
#include "sim/error.h"

namespace fastgpu::fuzz {

inline int run_config_reader(const std::uint8_t* data, std::size_t size) {
  std::string_view text = as_text(data, size);
  std::vector<std::string> overrides;
  const std::size_t marker = text.find("\n#--set\n");
  std::string_view config = text.substr(0, marker);
  if (marker != text.npos) {
    std::string_view rest = text.substr(marker + 8);
    while (!rest.empty()) {
      const std::size_t nl = rest.find('\n');
      overrides.emplace_back(rest.substr(0, nl));
      rest = nl == rest.npos ? std::string_view{} : rest.substr(nl + 1);
    }
  }
  try {
    parse_config(std::string(config), "fuzz.toml", overrides);
  } catch (const InputError&) {
  }
  return 0;
}

}  // namespace fastgpu::fuzz
