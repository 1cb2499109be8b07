#pragma once
// A TOML document parsed from text, with a syntax error reported as an
// InputError naming the file and line. Shared by the config reader and the
// regression baseline reader, the two TOML inputs.
#include <string>

#include <toml++/toml.h>

namespace fastgpu {

toml::table parse_toml_document(const std::string& text, const std::string& path);

}  // namespace fastgpu
