#include "config/toml_document.h"

#include <string_view>

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu {

toml::table parse_toml_document(const std::string& text, const std::string& path) {
  try {
    return toml::parse(std::string_view(text), std::string_view(path));
  } catch (const toml::parse_error& e) {
    throw InputError(SourceLocation{path, static_cast<std::size_t>(e.source().begin.line), ""},
                     fmt::format("invalid TOML: {}", e.description()));
  }
}

}  // namespace fastgpu
