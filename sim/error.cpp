#include "sim/error.h"

#include <fmt/format.h>

namespace fastgpu {

std::string describe(const SourceLocation& where) {
  std::string out = where.file;
  if (where.line > 0) out += fmt::format(":{}", where.line);
  if (!where.field.empty()) out += fmt::format("{}field '{}'", out.empty() ? "" : ": ", where.field);
  return out;
}

InputError::InputError(SourceLocation where, const std::string& what)
    : std::runtime_error([&] {
        std::string loc = describe(where);
        return loc.empty() ? what : loc + ": " + what;
      }()),
      where_(std::move(where)) {}

}  // namespace fastgpu
