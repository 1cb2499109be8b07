#pragma once
// Schema-checked reading of TOML tables, internal to config/ (it includes
// toml++, which config/config.h keeps away from the other layers).
//
// A section reader asks a TableReader for every key it knows; whatever the
// table holds beyond those is a typo, reported by finish() with a "did you
// mean". Wrong types and out-of-range integers are InputErrors naming the file,
// line and key. The ReadContext remembers where each key was written, so that
// checks made after reading can still name the file and line.
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/error.h"

namespace fastgpu::config_reader {

// Values inserted by --set overrides are copies, and toml++ does not copy
// source positions: line 0 therefore means "came from the command line".
inline constexpr const char* kOverrideFile = "--set";

struct ReadContext {
  std::string path;
  std::filesystem::path dir;                          // relative trace paths start here
  std::map<std::string, SourceLocation> seen;         // dotted key -> where it was written
  std::map<std::string, std::string> override_text;   // dotted key -> raw --set value

  // Where a node at `key` was written (the command line for --set values).
  SourceLocation at(const toml::source_region& src, const std::string& key) const;
  // Where `key` was written; an entry "a.b[2]" of a list falls back to the
  // list "a.b", and a key nobody wrote to the file itself, without a line.
  SourceLocation where(const std::string& key) const;
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  void check(bool ok, const std::string& key, const std::string& what) const {
    if (!ok) fail(key, what);
  }
  // Rethrows an error of a validation that names only the key (ClusterSpec,
  // SyntheticSpec) with the file and line the key was written on.
  [[noreturn]] void fail_at_key(const InputError& e) const;
};

const char* type_name(toml::node_type t);  // "an integer", "a table", ...

[[noreturn]] void type_error(const ReadContext& ctx, const toml::node& n, const std::string& key,
                             const std::string& expected);

// Conversions of one TOML value; each names the key on a type mismatch.
void convert(const ReadContext& ctx, const toml::node& n, const std::string& key, bool& out);
void convert(const ReadContext& ctx, const toml::node& n, const std::string& key, std::string& out);
void convert(const ReadContext& ctx, const toml::node& n, const std::string& key, double& out);
void convert(const ReadContext& ctx, const toml::node& n, const std::string& key, std::uint32_t& out);
void convert(const ReadContext& ctx, const toml::node& n, const std::string& key, std::uint64_t& out);
void convert(const ReadContext& ctx, const toml::node& n, const std::string& key, std::int32_t& out);

template <typename T>
void convert(const ReadContext& ctx, const toml::node& n, const std::string& key, std::vector<T>& out) {
  if (!n.is_array()) type_error(ctx, n, key, "an array");
  std::vector<T> values;
  const toml::array& arr = *n.as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    T v{};
    convert(ctx, arr[i], fmt::format("{}[{}]", key, i), v);
    values.push_back(std::move(v));
  }
  out = std::move(values);
}

// Reads the keys of one TOML table; every key the program knows is asked for,
// so whatever is left at finish() is a typo and an error.
class TableReader {
 public:
  TableReader(ReadContext& ctx, const toml::table* table, std::string prefix)
      : ctx_(ctx), table_(table), prefix_(std::move(prefix)) {}

  // The dotted key of `k` in this table ("cluster.nodes[0].count").
  std::string key(std::string_view k) const { return prefix_.empty() ? std::string(k) : prefix_ + "." + std::string(k); }
  bool present() const { return table_ != nullptr; }

  // The node at `k`, or null; records the key as known and where it was written.
  const toml::node* node(std::string_view k);

  // Converts the value at `k` into `out` if it is there; tells whether it was.
  template <typename T>
  bool read(std::string_view k, T& out) {
    const toml::node* n = node(k);
    if (n) convert(ctx_, *n, key(k), out);
    return n != nullptr;
  }

  TableReader table(std::string_view k);

  // [[k]] entries; `present` tells whether the key was written at all.
  std::vector<TableReader> table_array(std::string_view k, bool* present = nullptr);

  const toml::table* raw() const { return table_; }

  // Throws on the first (by line) key that nobody asked for.
  void finish() const;

 private:
  ReadContext& ctx_;
  const toml::table* table_;
  std::string prefix_;
  std::set<std::string> known_;
};

}  // namespace fastgpu::config_reader
