#pragma once
// Command-line overrides ("dotted.key=value", from --set and sweep points)
// applied to a parsed TOML document before it is read. Internal to config/.
#include <string>

#include <toml++/toml.h>

namespace fastgpu::config_reader {

struct AppliedOverride {
  std::string key;    // normalised: a.b[2].c
  std::string value;  // the text after '=', trimmed
};

// Sets `text` ("a.b[2].c=value" or "a.b.2.c=value") in `root`, creating
// missing tables; an index may be one past the end of an array to append. The
// value is TOML (`3`, `2.5`, `true`, `["a", "b"]`, `"text"`) or else taken as
// a bare string. The inserted value has no source position (line 0), which is
// how the readers tell it came from the command line.
AppliedOverride apply_override(toml::table& root, const std::string& text);

}  // namespace fastgpu::config_reader
