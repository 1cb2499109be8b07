#include "config/config.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/error.h"

namespace fastgpu {

const PolicyConfig& ExperimentConfig::policy(const std::string& label) const {
  for (const auto* list : {&policies, &other_policies}) {
    for (const PolicyConfig& p : *list) {
      if (p.label == label) return p;
    }
  }
  std::vector<std::string> known;
  for (const PolicyConfig& p : policies) known.push_back(p.label);
  for (const PolicyConfig& p : other_policies) known.push_back(p.label);
  throw InputError(SourceLocation{path, 0, "experiment.policies"},
                   fmt::format("no policy labelled '{}' in the config (known: {})", label,
                               known.empty() ? std::string("none") : fmt::format("{}", fmt::join(known, ", "))));
}

namespace {

// Values inserted by --set overrides are copies, and toml++ does not copy
// source positions: line 0 therefore means "came from the command line".
constexpr const char* kOverrideFile = "--set";

// Remembers where every key was written, so that checks made after reading
// (cross-field rules, ClusterSpec::validate) can still name the file and line.
struct Context {
  std::string path;
  std::filesystem::path dir;                          // relative trace paths start here
  std::map<std::string, SourceLocation> seen;         // dotted key -> where it was written
  std::map<std::string, std::string> override_text;   // dotted key -> raw --set value

  SourceLocation at(const toml::source_region& src, const std::string& key) const {
    if (src.begin.line == 0) return {kOverrideFile, 0, key};
    return {path, static_cast<std::size_t>(src.begin.line), key};
  }
  SourceLocation where(const std::string& key) const {
    auto it = seen.find(key);
    return it != seen.end() ? it->second : SourceLocation{path, 0, key};
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const { throw InputError(where(key), what); }
  void check(bool ok, const std::string& key, const std::string& what) const {
    if (!ok) fail(key, what);
  }
};

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

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// --- conversions of one TOML value; each names the key on a type mismatch ---

[[noreturn]] void type_error(const Context& ctx, const toml::node& n, const std::string& key, const std::string& expected) {
  throw InputError(ctx.at(n.source(), key), fmt::format("expected {}, got {}", expected, type_name(n.type())));
}

void convert(const Context& ctx, const toml::node& n, const std::string& key, bool& out) {
  if (!n.is_boolean()) type_error(ctx, n, key, "a boolean (true or false)");
  out = n.as_boolean()->get();
}

void convert(const Context& ctx, const toml::node& n, const std::string& key, std::string& out) {
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

void convert(const Context& ctx, const toml::node& n, const std::string& key, double& out) {
  if (n.is_integer()) {
    out = static_cast<double>(n.as_integer()->get());
  } else if (n.is_floating_point()) {
    out = n.as_floating_point()->get();
  } else {
    type_error(ctx, n, key, "a number");
  }
  if (std::isnan(out)) throw InputError(ctx.at(n.source(), key), "must be a number, got nan");
}

template <typename Int>
void convert_int(const Context& ctx, const toml::node& n, const std::string& key, Int& out) {
  if (!n.is_integer()) type_error(ctx, n, key, "an integer");
  const std::int64_t v = n.as_integer()->get();
  const auto lo = static_cast<std::int64_t>(std::numeric_limits<Int>::min());
  if (v < lo) throw InputError(ctx.at(n.source(), key), fmt::format("must be >= {}, got {}", lo, v));
  if (static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(std::numeric_limits<Int>::max())) {
    throw InputError(ctx.at(n.source(), key), fmt::format("must be <= {}, got {}", std::numeric_limits<Int>::max(), v));
  }
  out = static_cast<Int>(v);
}
void convert(const Context& c, const toml::node& n, const std::string& k, std::uint32_t& o) { convert_int(c, n, k, o); }
void convert(const Context& c, const toml::node& n, const std::string& k, std::uint64_t& o) { convert_int(c, n, k, o); }
void convert(const Context& c, const toml::node& n, const std::string& k, std::int32_t& o) { convert_int(c, n, k, o); }

template <typename T>
void convert(const Context& ctx, const toml::node& n, const std::string& key, std::vector<T>& out) {
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
  TableReader(Context& ctx, const toml::table* table, std::string prefix)
      : ctx_(ctx), table_(table), prefix_(std::move(prefix)) {}

  std::string key(std::string_view k) const { return prefix_.empty() ? std::string(k) : prefix_ + "." + std::string(k); }
  bool present() const { return table_ != nullptr; }

  // The node at `k`, or null; records the key as known and where it was written.
  const toml::node* node(std::string_view k) {
    known_.emplace(k);
    const toml::node* n = table_ ? table_->get(k) : nullptr;
    if (n) ctx_.seen[key(k)] = ctx_.at(n->source(), key(k));
    return n;
  }

  template <typename T>
  bool read(std::string_view k, T& out) {
    const toml::node* n = node(k);
    if (n) convert(ctx_, *n, key(k), out);
    return n != nullptr;
  }

  TableReader table(std::string_view k) {
    const toml::node* n = node(k);
    if (n && !n->is_table()) type_error(ctx_, *n, key(k), "a table");
    return TableReader(ctx_, n ? n->as_table() : nullptr, key(k));
  }

  // [[k]] entries; `present` tells whether the key was written at all.
  std::vector<TableReader> table_array(std::string_view k, bool* present = nullptr) {
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

  const toml::table* raw() const { return table_; }

  // Throws on the first (by line) key that nobody asked for.
  void finish() const {
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

 private:
  Context& ctx_;
  const toml::table* table_;
  std::string prefix_;
  std::set<std::string> known_;
};

// --- overrides ---------------------------------------------------------------

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

// Applies "dotted.key=value" to the parsed document. The value is TOML
// (`3`, `2.5`, `true`, `["a", "b"]`, `"text"`) or else taken as a bare string.
void apply_override(toml::table& root, const std::string& text, Context& ctx) {
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
      const std::size_t idx = std::stoul(part);
      path += fmt::format("[{}]", idx);
      if (idx > arr.size() || (!last && idx == arr.size())) {
        throw InputError(SourceLocation{kOverrideFile, 0, key},
                         fmt::format("override '{}': index {} is past the end of '{}' ({} entries)", text, idx,
                                     parent, arr.size()));
      }
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
  ctx.override_text[path] = value;
}

// --- sections ------------------------------------------------------------------

std::string resolve_path(const Context& ctx, const std::string& key, const std::string& p) {
  // Paths written in the file are relative to the file; paths given with --set
  // are relative to the working directory, where the user typed them.
  std::filesystem::path fp(p);
  if (fp.is_absolute() || ctx.where(key).file == kOverrideFile) return p;
  return (ctx.dir / fp).lexically_normal().string();
}

void read_experiment(TableReader t, ExperimentConfig& cfg, std::vector<std::pair<std::string, SourceLocation>>& labels,
                     bool& labels_given, Context& ctx) {
  t.read("name", cfg.name);
  if (const toml::node* n = t.node("seeds")) {
    const std::string key = t.key("seeds");
    if (n->is_integer()) {
      std::uint64_t count = 0;
      convert(ctx, *n, key, count);
      ctx.check(count >= 1 && count <= 1000000, key, fmt::format("the number of seeds must be in [1, 1000000], got {}", count));
      cfg.seeds.clear();
      for (std::uint64_t s = 1; s <= count; ++s) cfg.seeds.push_back(s);
    } else if (n->is_array()) {
      convert(ctx, *n, key, cfg.seeds);
      ctx.check(!cfg.seeds.empty(), key, "the list of seeds is empty");
      std::set<std::uint64_t> unique(cfg.seeds.begin(), cfg.seeds.end());
      ctx.check(unique.size() == cfg.seeds.size(), key, "a seed is listed twice");
    } else {
      type_error(ctx, *n, key, "an integer (seeds 1..N) or an array of integer seeds");
    }
  }
  t.read("output", cfg.output);
  t.read("threads", cfg.threads);
  std::vector<std::string> names;
  labels_given = t.read("policies", names);
  if (labels_given) {
    const toml::array& arr = *t.raw()->get("policies")->as_array();
    for (std::size_t i = 0; i < names.size(); ++i) {
      labels.emplace_back(names[i], ctx.at(arr[i].source(), fmt::format("{}[{}]", t.key("policies"), i)));
    }
  }
  t.finish();
}

void validate_experiment(const ExperimentConfig& cfg, const Context& ctx) {
  ctx.check(!cfg.name.empty() && cfg.name.find('/') == std::string::npos, "experiment.name",
            "must be a non-empty name without '/' (it names the default output file)");
}

void read_cluster(TableReader t, ClusterSpec& cluster, Context& ctx) {
  t.read("nodes_per_switch", cluster.nodes_per_switch);
  TableReader slow = t.table("slowdown");
  slow.read("same_node", cluster.slowdown.same_node);
  slow.read("same_switch", cluster.slowdown.same_switch);
  slow.read("cross_switch", cluster.slowdown.cross_switch);
  slow.finish();

  bool types_given = false;
  std::vector<TableReader> types = t.table_array("gpu_types", &types_given);
  if (types_given) cluster.gpu_types.clear();
  for (TableReader& g : types) {
    GpuType type;
    g.read("name", type.name);
    g.read("speed", type.speed);
    g.read("memory_gb", type.memory_gb);
    g.read("idle_watts", type.idle_watts);
    g.read("busy_watts", type.busy_watts);
    g.read("price_per_hour", type.price_per_hour);
    g.finish();
    cluster.gpu_types.push_back(type);
  }

  bool nodes_given = false;
  std::vector<TableReader> groups = t.table_array("nodes", &nodes_given);
  if (nodes_given) cluster.node_groups.clear();
  for (TableReader& g : groups) {
    NodeGroup group;
    g.read("name", group.name);
    g.read("count", group.count);
    g.read("gpus_per_node", group.gpus_per_node);
    std::string type_name_;
    const std::string type_key = g.key("gpu_type");
    if (g.read("gpu_type", type_name_)) {
      const int idx = cluster.find_type(type_name_);
      if (idx < 0) {
        std::vector<std::string> names;
        for (const GpuType& gt : cluster.gpu_types) names.push_back(gt.name);
        ctx.fail(type_key, fmt::format("unknown GPU type '{}' (defined in [[cluster.gpu_types]]: {})", type_name_,
                                       fmt::join(names, ", ")));
      }
      group.gpu_type = static_cast<TypeIndex>(idx);
    } else if (cluster.gpu_types.size() > 1) {
      ctx.fail(g.key("gpu_type"), "gpu_type is required when the cluster defines several GPU types");
    }
    g.finish();
    cluster.node_groups.push_back(group);
  }
  t.finish();
}

void read_workload(TableReader t, WorkloadSpec& w, Context& ctx) {
  const bool kind_given = t.read("kind", w.kind);
  t.read("name", w.name);
  if (const toml::node* n = t.node("trace")) {
    const std::string key = t.key("trace");
    if (n->is_string()) {
      std::string p;
      convert(ctx, *n, key, p);
      w.trace_paths = {p};
    } else if (n->is_array()) {
      convert(ctx, *n, key, w.trace_paths);
    } else {
      type_error(ctx, *n, key, "a string or an array of strings (trace file paths)");
    }
    for (std::string& p : w.trace_paths) p = resolve_path(ctx, key, p);
    if (!kind_given) w.kind = "trace";
  }
  t.read("format", w.format);
  t.read("skip_bad_rows", w.skip_bad_rows);
  t.read("gpus_per_proc", w.gpus_per_proc);

  SyntheticSpec& s = w.synthetic;
  t.read("jobs", s.jobs);
  t.read("arrival", s.arrival);
  t.read("rate", s.rate);
  t.read("load", s.load);
  t.read("burst_factor", s.burst_factor);
  t.read("burst_fraction", s.burst_fraction);
  t.read("burst_period", s.burst_period);
  t.read("diurnal_amplitude", s.diurnal_amplitude);
  t.read("diurnal_period", s.diurnal_period);
  // A list of choices without weights means equally likely choices.
  const bool counts = t.read("gpu_counts", s.gpu_counts);
  if (!t.read("gpu_count_weights", s.gpu_count_weights) && counts) s.gpu_count_weights.assign(s.gpu_counts.size(), 1.0);
  t.read("duration", s.duration);
  t.read("duration_median", s.duration_median);
  t.read("duration_sigma", s.duration_sigma);
  t.read("duration_min", s.duration_min);
  t.read("duration_max", s.duration_max);
  if (t.read("duration_trace", s.duration_trace)) s.duration_trace = resolve_path(ctx, t.key("duration_trace"), s.duration_trace);
  const bool prios = t.read("priorities", s.priorities);
  if (!t.read("priority_weights", s.priority_weights) && prios) s.priority_weights.assign(s.priorities.size(), 1.0);
  t.read("deadline_fraction", s.deadline_fraction);
  t.read("deadline_slack_min", s.deadline_slack_min);
  t.read("deadline_slack_max", s.deadline_slack_max);
  t.read("window_fraction", s.window_fraction);
  t.read("window_delay_max", s.window_delay_max);
  t.read("users", s.users);
  t.read("user_zipf", s.user_zipf);
  t.read("share_fraction", s.share_fraction);
  t.read("preemptible_fraction", s.preemptible_fraction);
  t.read("gpu_type_choices", s.gpu_type_choices);
  t.read("gpu_type_fraction", s.gpu_type_fraction);
  t.finish();
}

void check_weights(const Context& ctx, const std::string& key, const std::vector<double>& weights, std::size_t n,
                   const std::string& of) {
  ctx.check(weights.size() == n, key,
            fmt::format("has {} weights but {} has {} entries; give one weight per entry", weights.size(), of, n));
  double sum = 0;
  for (double x : weights) {
    ctx.check(std::isfinite(x) && x >= 0, key, fmt::format("weights must be finite and >= 0, got {}", x));
    sum += x;
  }
  ctx.check(sum > 0, key, "the weights sum to 0");
}

void validate_workload(WorkloadSpec& w, const ClusterSpec& cluster, const Context& ctx) {
  auto k = [](const char* name) { return std::string("workload.") + name; };
  ctx.check(w.kind == "synthetic" || w.kind == "trace", k("kind"),
            fmt::format("must be \"synthetic\" or \"trace\", got \"{}\"", w.kind));
  if (w.kind == "trace") {
    ctx.check(!w.trace_paths.empty(), k("trace"), "kind = \"trace\" needs workload.trace (a path or a list of paths)");
    ctx.check(!w.format.empty(), k("format"), "must name a trace format");
  } else {
    ctx.check(w.trace_paths.empty(), k("trace"), "a trace is given but workload.kind = \"synthetic\"");
  }
  ctx.check(std::isfinite(w.gpus_per_proc) && w.gpus_per_proc > 0, k("gpus_per_proc"),
            fmt::format("must be > 0, got {}", w.gpus_per_proc));
  if (w.name.empty()) {
    w.name = w.kind == "trace" ? std::filesystem::path(w.trace_paths.front()).stem().string() : w.kind;
  }
  ctx.check(w.name.find('/') == std::string::npos, k("name"), "must not contain '/' (it names an HDF5 group)");

  const SyntheticSpec& s = w.synthetic;
  auto at_least = [&](double v, double lo, const char* name) {
    ctx.check(std::isfinite(v) && v >= lo, k(name), fmt::format("must be >= {}, got {}", lo, v));
  };
  auto positive = [&](double v, const char* name) {
    ctx.check(std::isfinite(v) && v > 0, k(name), fmt::format("must be > 0, got {}", v));
  };
  auto fraction = [&](double v, const char* name) {
    ctx.check(v >= 0 && v <= 1, k(name), fmt::format("must be a fraction in [0, 1], got {}", v));
  };
  ctx.check(s.jobs >= 1, k("jobs"), "must be >= 1, got 0");
  ctx.check(s.arrival == "poisson" || s.arrival == "bursty" || s.arrival == "diurnal", k("arrival"),
            fmt::format("must be \"poisson\", \"bursty\" or \"diurnal\", got \"{}\"", s.arrival));
  at_least(s.rate, 0, "rate");
  if (s.rate == 0) positive(s.load, "load");
  at_least(s.burst_factor, 1, "burst_factor");
  ctx.check(s.burst_fraction > 0 && s.burst_fraction < 1, k("burst_fraction"),
            fmt::format("must be in (0, 1), got {}", s.burst_fraction));
  positive(s.burst_period, "burst_period");
  fraction(s.diurnal_amplitude, "diurnal_amplitude");
  positive(s.diurnal_period, "diurnal_period");
  ctx.check(!s.gpu_counts.empty(), k("gpu_counts"), "needs at least one GPU count");
  for (std::size_t i = 0; i < s.gpu_counts.size(); ++i) {
    ctx.check(s.gpu_counts[i] >= 1, fmt::format("workload.gpu_counts[{}]", i), "a job needs at least 1 GPU, got 0");
    ctx.check(s.gpu_counts[i] <= cluster.num_gpus(), fmt::format("workload.gpu_counts[{}]", i),
              fmt::format("{} GPUs is more than the cluster has ({})", s.gpu_counts[i], cluster.num_gpus()));
  }
  check_weights(ctx, k("gpu_count_weights"), s.gpu_count_weights, s.gpu_counts.size(), "workload.gpu_counts");
  ctx.check(s.duration == "lognormal" || s.duration == "trace", k("duration"),
            fmt::format("must be \"lognormal\" or \"trace\", got \"{}\"", s.duration));
  if (s.duration == "trace") {
    ctx.check(!s.duration_trace.empty(), k("duration_trace"), "duration = \"trace\" needs workload.duration_trace");
  }
  positive(s.duration_median, "duration_median");
  at_least(s.duration_sigma, 0, "duration_sigma");
  positive(s.duration_min, "duration_min");
  ctx.check(s.duration_max >= s.duration_min, k("duration_max"),
            fmt::format("must be >= duration_min ({}), got {}", s.duration_min, s.duration_max));
  ctx.check(!s.priorities.empty(), k("priorities"), "needs at least one priority");
  check_weights(ctx, k("priority_weights"), s.priority_weights, s.priorities.size(), "workload.priorities");
  fraction(s.deadline_fraction, "deadline_fraction");
  positive(s.deadline_slack_min, "deadline_slack_min");
  ctx.check(s.deadline_slack_max >= s.deadline_slack_min, k("deadline_slack_max"),
            fmt::format("must be >= deadline_slack_min ({}), got {}", s.deadline_slack_min, s.deadline_slack_max));
  fraction(s.window_fraction, "window_fraction");
  at_least(s.window_delay_max, 0, "window_delay_max");
  ctx.check(s.users >= 1, k("users"), "must be >= 1, got 0");
  at_least(s.user_zipf, 0, "user_zipf");
  fraction(s.share_fraction, "share_fraction");
  fraction(s.preemptible_fraction, "preemptible_fraction");
  fraction(s.gpu_type_fraction, "gpu_type_fraction");
  for (std::size_t i = 0; i < s.gpu_type_choices.size(); ++i) {
    ctx.check(cluster.find_type(s.gpu_type_choices[i]) >= 0, fmt::format("workload.gpu_type_choices[{}]", i),
              fmt::format("unknown GPU type '{}'", s.gpu_type_choices[i]));
  }
  ctx.check(s.gpu_type_fraction == 0 || !s.gpu_type_choices.empty(), k("gpu_type_choices"),
            "gpu_type_fraction > 0 needs at least one entry in gpu_type_choices");
}

void read_engine(TableReader t, EngineOptions& e, Context& ctx) {
  std::string estimate;
  if (t.read("estimate", estimate)) {
    try {
      e.estimate = parse_estimate_kind(estimate);
    } catch (const InputError&) {
      ctx.fail(t.key("estimate"), fmt::format("must be one of oracle, noisy, user, none; got \"{}\"", estimate));
    }
  }
  t.read("estimate_sigma", e.estimate_sigma);
  t.read("monitor_interval", e.monitor_interval);
  t.read("checkpoint_seconds", e.checkpoint_seconds);
  t.read("restore_seconds", e.restore_seconds);
  t.read("checkpoint_seconds_per_gb", e.checkpoint_seconds_per_gb);
  if (!t.read("responsiveness_alpha", e.responsiveness_alpha)) t.read("seed_alpha", e.responsiveness_alpha);
  t.read("check", e.check_invariants);
  t.finish();
}

void validate_engine(const EngineOptions& e, const Context& ctx) {
  auto at_least0 = [&](double v, const char* name) {
    ctx.check(std::isfinite(v) && v >= 0, std::string("engine.") + name, fmt::format("must be >= 0, got {}", v));
  };
  at_least0(e.estimate_sigma, "estimate_sigma");
  ctx.check(std::isfinite(e.monitor_interval) && e.monitor_interval > 0, "engine.monitor_interval",
            fmt::format("must be > 0 seconds, got {}", e.monitor_interval));
  at_least0(e.checkpoint_seconds, "checkpoint_seconds");
  at_least0(e.restore_seconds, "restore_seconds");
  at_least0(e.checkpoint_seconds_per_gb, "checkpoint_seconds_per_gb");
  at_least0(e.responsiveness_alpha, "responsiveness_alpha");
}

// One [policies.<label>] table: `policy` names the registry entry, every other
// key is a parameter of that policy (checked later against its declaration).
PolicyConfig read_policy_table(Context& ctx, const std::string& label, const toml::node& node) {
  const std::string prefix = "policies." + label;
  if (!node.is_table()) type_error(ctx, node, prefix, "a table of policy parameters");
  PolicyConfig pc;
  pc.label = label;
  pc.policy = label;
  pc.where = ctx.at(node.source(), prefix);
  for (auto&& [k, v] : *node.as_table()) {
    const std::string key = prefix + "." + std::string(k.str());
    ctx.seen[key] = ctx.at(v.source(), key);
    if (k.str() == "policy") {
      convert(ctx, v, key, pc.policy);
      pc.where = ctx.at(v.source(), key);
      continue;
    }
    RawParam raw;
    raw.where = ctx.at(v.source(), key);
    if (v.is_boolean()) {
      raw.value = v.as_boolean()->get();
    } else if (v.is_integer()) {
      raw.value = v.as_integer()->get();
    } else if (v.is_floating_point()) {
      raw.value = v.as_floating_point()->get();
    } else if (v.is_string()) {
      raw.value = v.as_string()->get();
    } else {
      type_error(ctx, v, key, "a boolean, integer, number or string");
    }
    pc.params.emplace(std::string(k.str()), std::move(raw));
  }
  return pc;
}

void check_label(const Context& ctx, const std::string& label, const SourceLocation& where) {
  if (label.empty() || label.find('/') != std::string::npos) {
    throw InputError(where, fmt::format("policy label '{}' must be non-empty and contain no '/'", label));
  }
}

void read_policies(TableReader t, ExperimentConfig& cfg, const std::vector<std::pair<std::string, SourceLocation>>& labels,
                   bool labels_given, Context& ctx) {
  // Tables in the order they were written (toml++ keeps keys sorted).
  std::vector<std::pair<std::string, const toml::node*>> tables;
  if (t.raw()) {
    for (auto&& [k, v] : *t.raw()) tables.emplace_back(std::string(k.str()), &v);
    std::stable_sort(tables.begin(), tables.end(), [](const auto& a, const auto& b) {
      return a.second->source().begin.line < b.second->source().begin.line;
    });
  }
  auto table_of = [&](const std::string& label) -> const toml::node* {
    for (const auto& [name, node] : tables) {
      if (name == label) return node;
    }
    return nullptr;
  };
  std::set<std::string> listed;
  if (labels_given) {
    for (const auto& [label, where] : labels) {
      check_label(ctx, label, where);
      if (!listed.insert(label).second) {
        throw InputError(where, fmt::format("policy label '{}' is listed twice", label));
      }
      PolicyConfig pc;
      if (const toml::node* node = table_of(label)) {
        pc = read_policy_table(ctx, label, *node);
        if (pc.where.field != "policies." + label + ".policy") pc.where = where;
      } else {
        pc.label = pc.policy = label;
        pc.where = where;
      }
      cfg.policies.push_back(std::move(pc));
    }
  }
  for (const auto& [label, node] : tables) {
    if (listed.count(label)) continue;
    check_label(ctx, label, ctx.at(node->source(), "policies." + label));
    (labels_given ? cfg.other_policies : cfg.policies).push_back(read_policy_table(ctx, label, *node));
  }
}

std::string with_overrides(const std::string& text, const std::vector<std::string>& overrides) {
  if (overrides.empty()) return text;
  // Kept as TOML comments so the stored text still parses and records what ran.
  std::string out = text;
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += "\n# command-line overrides (--set) applied on top of this file:\n";
  for (const std::string& o : overrides) out += "#   " + o + "\n";
  return out;
}

}  // namespace

ExperimentConfig parse_config(const std::string& text, const std::string& path, const std::vector<std::string>& overrides) {
  toml::table root;
  try {
    root = toml::parse(std::string_view(text), std::string_view(path));
  } catch (const toml::parse_error& e) {
    throw InputError(SourceLocation{path, static_cast<std::size_t>(e.source().begin.line), ""},
                     fmt::format("invalid TOML: {}", e.description()));
  }
  Context ctx;
  ctx.path = path;
  ctx.dir = std::filesystem::path(path).parent_path();
  for (const std::string& o : overrides) apply_override(root, o, ctx);

  ExperimentConfig cfg;
  cfg.path = path;
  cfg.text = with_overrides(text, overrides);

  // Read everything first (types, unknown keys), then check ranges, so that a
  // misspelt key is reported before the error it causes elsewhere.
  TableReader top(ctx, &root, "");
  std::vector<std::pair<std::string, SourceLocation>> labels;
  bool labels_given = false;
  read_experiment(top.table("experiment"), cfg, labels, labels_given, ctx);
  read_cluster(top.table("cluster"), cfg.cluster, ctx);
  read_workload(top.table("workload"), cfg.workload, ctx);
  read_engine(top.table("engine"), cfg.engine, ctx);
  read_policies(top.table("policies"), cfg, labels, labels_given, ctx);
  top.node("sweep");  // parameter grids: read by experiments/sweep.cpp
  top.finish();

  validate_experiment(cfg, ctx);
  try {
    cfg.cluster.validate();
  } catch (const InputError& e) {
    // validate() names the key; add the file and line it was written on.
    const std::string what = e.what();
    const std::string prefix = describe(e.where()) + ": ";
    throw InputError(ctx.where(e.where().field), what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what);
  }
  validate_workload(cfg.workload, cfg.cluster, ctx);
  validate_engine(cfg.engine, ctx);
  return cfg;
}

ExperimentConfig load_config(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLocation{path, 0, ""}, "cannot open the config file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(SourceLocation{path, 0, ""}, "cannot read the config file");
  return parse_config(text.str(), path, overrides);
}

}  // namespace fastgpu
