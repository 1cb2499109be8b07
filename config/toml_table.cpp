#include "config/toml_table.h"

#include "sim/nearest_name.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fastgpu::config_reader {

namespace {

template <typename Int>
void convert_int(const ReadContext& ctx, const toml::node& n, const std::string& key, Int& out) {
  if (!n.is_integer()) type_error(ctx, n, key, "an integer");
  const std::int64_t v = n.as_integer()->get();
  const auto lo = static_cast<std::int64_t>(std::numeric_limits<Int>::min());
  if (v < lo) throw InputError(ctx.at(n.source(), key), fmt::format("must be >= {}, got {}", lo, v));
  if (static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(std::numeric_limits<Int>::max())) {
    throw InputError(ctx.at(n.source(), key), fmt::format("must be <= {}, got {}", std::numeric_limits<Int>::max(), v));
  }
  out = static_cast<Int>(v);
}

}  // namespace

// --- ReadContext ---------------------------------------------------------------

SourceLocation ReadContext::at(const toml::source_region& src, const std::string& key) const {
  if (src.begin.line == 0) return {kOverrideFile, 0, key};
  return {path, static_cast<std::size_t>(src.begin.line), key};
}

SourceLocation ReadContext::where(const std::string& key) const {
  if (auto it = seen.find(key); it != seen.end()) return it->second;
  // Entries of a list of values are not recorded one by one: name the list's line.
  if (!key.empty() && key.back() == ']') {
    if (auto it = seen.find(key.substr(0, key.rfind('['))); it != seen.end()) {
      return {it->second.file, it->second.line, key};
    }
  }
  return {path, 0, key};
}

void ReadContext::fail(const std::string& key, const std::string& what) const { throw InputError(where(key), what); }

void ReadContext::fail_at_key(const InputError& e) const {
  // The message starts with the location the validation gave; keep only its text.
  const std::string what = e.what();
  const std::string prefix = describe(e.where()) + ": ";
  throw InputError(where(e.where().field), what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what);
}

// --- conversions -----------------------------------------------------------------

const char* type_name(toml::node_type t) {
  switch (t) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

void type_error(const ReadContext& ctx, const toml::node& n, const std::string& key, const std::string& expected) {
  throw InputError(ctx.at(n.source(), key), fmt::format("expected {}, got {}", expected, type_name(n.type())));
}

void convert(const ReadContext& ctx, const toml::node& n, const std::string& key, bool& out) {
  if (!n.is_boolean()) type_error(ctx, n, key, "a boolean (true or false)");
  out = n.as_boolean()->get();
}

void convert(const ReadContext& ctx, const toml::node& n, const std::string& key, std::string& out) {
  if (n.is_string()) {
    out = n.as_string()->get();
    return;
  }
  // `--set workload.name=123` parses as an integer; the user meant the text.
  auto it = ctx.override_text.find(key);
  if (n.source().begin.line == 0 && it != ctx.override_text.end() && !n.is_array() && !n.is_table()) {
    out = it->second;
    return;
  }
  type_error(ctx, n, key, "a string");
}

void convert(const ReadContext& ctx, const toml::node& n, const std::string& key, double& out) {
  if (n.is_integer()) {
    out = static_cast<double>(n.as_integer()->get());
  } else if (n.is_floating_point()) {
    out = n.as_floating_point()->get();
  } else {
    type_error(ctx, n, key, "a number");
  }
  if (std::isnan(out)) throw InputError(ctx.at(n.source(), key), "must be a number, got nan");
}

void convert(const ReadContext& c, const toml::node& n, const std::string& k, std::uint32_t& o) { convert_int(c, n, k, o); }
void convert(const ReadContext& c, const toml::node& n, const std::string& k, std::uint64_t& o) { convert_int(c, n, k, o); }
void convert(const ReadContext& c, const toml::node& n, const std::string& k, std::int32_t& o) { convert_int(c, n, k, o); }

// --- TableReader -----------------------------------------------------------------

const toml::node* TableReader::node(std::string_view k) {
  known_.emplace(k);
  const toml::node* n = table_ ? table_->get(k) : nullptr;
  if (n) ctx_.seen[key(k)] = ctx_.at(n->source(), key(k));
  return n;
}

TableReader TableReader::table(std::string_view k) {
  const toml::node* n = node(k);
  if (n && !n->is_table()) type_error(ctx_, *n, key(k), "a table");
  return TableReader(ctx_, n ? n->as_table() : nullptr, key(k));
}

std::vector<TableReader> TableReader::table_array(std::string_view k, bool* present) {
  const toml::node* n = node(k);
  if (present) *present = n != nullptr;
  std::vector<TableReader> out;
  if (!n) return out;
  if (!n->is_array()) type_error(ctx_, *n, key(k), "an array of tables ([[" + key(k) + "]])");
  const toml::array& arr = *n->as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string item = fmt::format("{}[{}]", key(k), i);
    if (!arr[i].is_table()) type_error(ctx_, arr[i], item, "a table");
    ctx_.seen[item] = ctx_.at(arr[i].source(), item);
    out.emplace_back(ctx_, arr[i].as_table(), item);
  }
  return out;
}

void TableReader::finish() const {
  if (!table_) return;
  const toml::key* worst = nullptr;
  auto line_of = [](const toml::key& k) {
    return k.source().begin.line == 0 ? std::numeric_limits<std::size_t>::max() : k.source().begin.line;
  };
  for (auto&& [k, v] : *table_) {
    if (known_.count(std::string(k.str()))) continue;
    if (!worst || line_of(k) < line_of(*worst)) worst = &k;
  }
  if (!worst) return;
  const std::string name(worst->str());
  std::string hint;
  std::size_t best = 3;
  for (const std::string& k : known_) {
    const std::size_t d = edit_distance(name, k);
    if (d < best) {
      best = d;
      hint = fmt::format("; did you mean '{}'?", k);
    }
  }
  const std::string section = prefix_.empty() ? "at the top level" : fmt::format("in [{}]", prefix_);
  throw InputError(ctx_.at(worst->source(), key(name)),
                   fmt::format("unknown key '{}' {}{} (known keys: {})", key(name), section, hint,
                               fmt::join(known_, ", ")));
}

}  // namespace fastgpu::config_reader
