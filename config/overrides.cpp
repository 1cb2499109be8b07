#include "config/overrides.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "config/toml_table.h"
#include "sim/error.h"
#include "sim/parse_number.h"

namespace fastgpu::config_reader {

namespace {

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "a.b[2].c" and "a.b.2.c" -> {"a", "b", "2", "c"}.
std::vector<std::string> split_key(const std::string& key, const std::string& override_text) {
  std::vector<std::string> parts;
  std::string cur;
  auto bad = [&] {
    throw InputError(SourceLocation{kOverrideFile, 0, key}, fmt::format("malformed key in override '{}'", override_text));
  };
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (c == '.') {
      if (cur.empty() && (parts.empty() || key[i - 1] != ']')) bad();
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else if (c == '[') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
      const auto close = key.find(']', i);
      if (close == std::string::npos) bad();
      std::string index = key.substr(i + 1, close - i - 1);
      if (!all_digits(index)) bad();
      parts.push_back(index);
      i = close;
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  if (parts.empty() || key.back() == '.') bad();
  return parts;
}

}  // namespace

AppliedOverride apply_override(toml::table& root, const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) {
    throw InputError(SourceLocation{kOverrideFile, 0, ""}, fmt::format("override '{}' must look like key=value", text));
  }
  const std::string key = trim(std::string_view(text).substr(0, eq));
  const std::string value = trim(std::string_view(text).substr(eq + 1));
  const std::vector<std::string> parts = split_key(key, text);

  toml::table parsed;
  bool is_toml = false;
  try {
    parsed = toml::parse(std::string_view("v = " + value), std::string_view(kOverrideFile));
    is_toml = parsed.size() == 1 && parsed.contains("v");
  } catch (const toml::parse_error&) {
  }
  toml::value<std::string> bare(value);
  const toml::node& new_value = is_toml ? *parsed.get("v") : static_cast<const toml::node&>(bare);

  toml::node* cur = &root;
  std::string path;  // normalised: a.b[2].c
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    const bool last = i + 1 == parts.size();
    const std::string parent = path;
    if (cur->is_array()) {
      toml::array& arr = *cur->as_array();
      if (!all_digits(part)) {
        throw InputError(SourceLocation{kOverrideFile, 0, key},
                         fmt::format("override '{}': '{}' is an array, index it with [n]", text, parent));
      }
      // An index too large for size_t is past the end like any other.
      std::size_t idx = 0;
      const bool fits = parse_number(part, idx) == NumberError::none;
      if (!fits || idx > arr.size() || (!last && idx == arr.size())) {
        throw InputError(SourceLocation{kOverrideFile, 0, key},
                         fmt::format("override '{}': index {} is past the end of '{}' ({} entries)", text, part,
                                     parent, arr.size()));
      }
      path += fmt::format("[{}]", idx);
      if (last) {
        if (idx == arr.size()) {
          arr.push_back(new_value);
        } else {
          arr.replace(arr.cbegin() + static_cast<std::ptrdiff_t>(idx), new_value);
        }
      } else {
        cur = arr.get(idx);
      }
    } else if (cur->is_table()) {
      toml::table& tbl = *cur->as_table();
      path += path.empty() ? part : "." + part;
      if (last) {
        tbl.insert_or_assign(part, new_value);
      } else {
        if (!tbl.contains(part)) tbl.insert(part, toml::table{});
        cur = tbl.get(part);
      }
    } else {
      throw InputError(SourceLocation{kOverrideFile, 0, key},
                       fmt::format("override '{}': '{}' is {}, not a table", text, parent, type_name(cur->type())));
    }
  }
  return {path, value};
}

}  // namespace fastgpu::config_reader
