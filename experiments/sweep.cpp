#include "experiments/sweep.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/error.h"

namespace fastgpu::experiments {

namespace {

struct AxisValue {
  std::string display;    // as shown in labels and /summary ("0.7", "las", "true")
  std::string toml;       // as a --set override value ("0.7", "\"las\"")
  ParamValue param;       // for policy parameters
  SourceLocation where;
};

struct Axis {
  std::string key;        // "workload.load", "policies.las.interval"
  std::string label;      // policy axes: the label ("las"); empty otherwise
  std::string param;      // policy axes: the parameter ("interval")
  std::vector<AxisValue> values;
  SourceLocation where;
  bool is_policy() const { return !label.empty(); }
  // "load" for workload keys (the workload is already in the name), else the key.
  std::string short_key() const {
    if (is_policy()) return param;
    return key.rfind("workload.", 0) == 0 ? key.substr(9) : key;
  }
};

struct SweepTable {
  std::vector<Axis> axes;
  std::vector<std::string> labels;
  std::vector<std::uint64_t> seeds;
  bool has_labels = false, has_seeds = false;
};

SourceLocation at(const ExperimentConfig& c, const toml::node& n, const std::string& key) {
  return {c.path, static_cast<std::size_t>(n.source().begin.line), key};
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
      out += fmt::format("\\u{:04X}", static_cast<unsigned char>(ch));
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

AxisValue axis_value(const ExperimentConfig& c, const toml::node& n, const std::string& key, bool policy) {
  AxisValue v;
  v.where = at(c, n, key);
  if (n.is_boolean()) {
    const bool b = n.as_boolean()->get();
    v.display = v.toml = b ? "true" : "false";
    v.param = b;
  } else if (n.is_integer()) {
    const std::int64_t i = n.as_integer()->get();
    v.display = v.toml = std::to_string(i);
    v.param = i;
  } else if (n.is_floating_point()) {
    const double d = n.as_floating_point()->get();
    v.display = v.toml = fmt::format("{}", d);  // shortest text that reads back as d
    v.param = d;
  } else if (n.is_string()) {
    v.display = n.as_string()->get();
    v.toml = quote(v.display);
    v.param = v.display;
  } else if (!policy && n.is_array()) {
    // An array value (e.g. workload.gpu_counts): TOML text for both.
    std::ostringstream os;
    os << *n.as_array();
    v.display = v.toml = os.str();
  } else {
    throw InputError(v.where, policy ? "a policy parameter value is a boolean, integer, number or string"
                                     : "a sweep value is a boolean, integer, number, string or array");
  }
  return v;
}

Axis read_axis(const ExperimentConfig& c, const std::string& key, const toml::node& n,
               const std::vector<std::string>& known_roots) {
  Axis a;
  a.key = key;
  a.where = at(c, n, "sweep." + key);
  const std::string root = key.substr(0, key.find_first_of(".["));
  if (root == "policies") {
    const std::size_t last = key.rfind('.');
    if (last <= 9 || last + 1 >= key.size()) {
      throw InputError(a.where, fmt::format("sweep key '{}': a policy parameter is written policies.<label>.<param>", key));
    }
    a.label = key.substr(9, last - 9);
    a.param = key.substr(last + 1);
  } else if (std::find(known_roots.begin(), known_roots.end(), root) == known_roots.end()) {
    throw InputError(a.where, fmt::format("sweep key '{}': a sweep varies workload.*, cluster.*, engine.* or "
                                          "policies.<label>.<param> keys (and lists policies and seeds)",
                                          key));
  }
  if (!n.is_array() || n.as_array()->empty()) {
    throw InputError(a.where, fmt::format("sweep key '{}': expected a non-empty array of the values to try", key));
  }
  std::set<std::string> seen;
  const toml::array& arr = *n.as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    AxisValue v = axis_value(c, arr[i], fmt::format("sweep.{}[{}]", key, i), a.is_policy());
    if (!seen.insert(v.display).second) throw InputError(v.where, fmt::format("value {} is listed twice", v.display));
    a.values.push_back(std::move(v));
  }
  return a;
}

// Entries of a table in the order they were written (toml++ sorts keys).
std::vector<std::pair<std::string, const toml::node*>> in_file_order(const toml::table& t) {
  std::vector<std::pair<std::string, const toml::node*>> out;
  for (auto&& [k, v] : t) out.emplace_back(std::string(k.str()), &v);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    const auto la = a.second->source().begin, lb = b.second->source().begin;
    return la.line != lb.line ? la.line < lb.line : la.column < lb.column;
  });
  return out;
}

void flatten(const ExperimentConfig& c, const toml::table& t, const std::string& prefix, SweepTable& out) {
  static const std::vector<std::string> roots{"workload", "cluster", "engine"};
  for (const auto& [k, node] : in_file_order(t)) {
    const std::string key = prefix.empty() ? k : prefix + "." + k;
    if (prefix.empty() && k == "policies" && node->is_array()) {
      const toml::array& arr = *node->as_array();
      for (std::size_t i = 0; i < arr.size(); ++i) {
        if (!arr[i].is_string()) throw InputError(at(c, arr[i], fmt::format("sweep.policies[{}]", i)), "expected a policy label");
        out.labels.push_back(arr[i].as_string()->get());
      }
      if (out.labels.empty()) throw InputError(at(c, *node, "sweep.policies"), "the list of policies is empty");
      out.has_labels = true;
    } else if (prefix.empty() && k == "seeds") {
      const SourceLocation where = at(c, *node, "sweep.seeds");
      if (node->is_integer()) {
        const std::int64_t n = node->as_integer()->get();
        if (n < 1 || n > 1000000) throw InputError(where, fmt::format("the number of seeds must be in [1, 1000000], got {}", n));
        for (std::int64_t s = 1; s <= n; ++s) out.seeds.push_back(static_cast<std::uint64_t>(s));
      } else if (node->is_array() && !node->as_array()->empty()) {
        for (const toml::node& s : *node->as_array()) {
          if (!s.is_integer() || s.as_integer()->get() < 0) throw InputError(where, "a seed is an integer >= 0");
          out.seeds.push_back(static_cast<std::uint64_t>(s.as_integer()->get()));
        }
      } else {
        throw InputError(where, "expected an integer (seeds 1..N) or a non-empty array of seeds");
      }
      out.has_seeds = true;
    } else if (node->is_table()) {
      flatten(c, *node->as_table(), key, out);
    } else {
      out.axes.push_back(read_axis(c, key, *node, roots));
    }
  }
}

// The cross product of `axes` as index tuples, last axis fastest.
std::vector<std::vector<std::size_t>> cross_product(const std::vector<const Axis*>& axes) {
  std::vector<std::vector<std::size_t>> out{{}};
  for (const Axis* a : axes) {
    std::vector<std::vector<std::size_t>> next;
    for (const auto& prefix : out) {
      for (std::size_t i = 0; i < a->values.size(); ++i) {
        next.push_back(prefix);
        next.back().push_back(i);
      }
    }
    out = std::move(next);
  }
  return out;
}

std::string suffix(const std::vector<const Axis*>& axes, const std::vector<std::size_t>& point) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < axes.size(); ++i) parts.push_back(axes[i]->short_key() + "=" + axes[i]->values[point[i]].display);
  return parts.empty() ? std::string() : "[" + fmt::format("{}", fmt::join(parts, ",")) + "]";
}

// The config of one non-policy point: the file re-read with the point's values as overrides.
std::shared_ptr<const ExperimentConfig> point_config(const ExperimentConfig& base, const std::vector<std::string>& overrides,
                                                     const std::vector<const Axis*>& axes,
                                                     const std::vector<std::size_t>& point) {
  std::vector<std::string> all = overrides;
  for (std::size_t i = 0; i < axes.size(); ++i) all.push_back(axes[i]->key + "=" + axes[i]->values[point[i]].toml);
  ExperimentConfig c;
  try {
    c = parse_config(base.text, base.path, all);
  } catch (const InputError& e) {
    // Name the sweep value that made the config invalid, where it was written.
    SourceLocation where{base.path, 0, "sweep"};
    for (std::size_t i = 0; i < axes.size(); ++i) {
      if (e.where().field == axes[i]->key || e.where().field.rfind(axes[i]->key + "[", 0) == 0 ||
          e.where().field.rfind(axes[i]->key + ".", 0) == 0) {
        where = axes[i]->values[point[i]].where;
      }
    }
    throw InputError(where, fmt::format("the sweep point {} gives an invalid config: {}", suffix(axes, point), e.what()));
  }
  c.engine.check_invariants = base.engine.check_invariants;
  c.text = base.text;
  c.workload.name += suffix(axes, point);
  return std::make_shared<const ExperimentConfig>(std::move(c));
}

}  // namespace

ExperimentPlan plan_experiment(const ExperimentConfig& config, const std::vector<std::string>& overrides,
                               const std::vector<std::string>& labels, const std::vector<std::uint64_t>& seeds) {
  // [sweep] is read from the config's text (parse_config accepts and skips it).
  toml::table root;
  try {
    root = toml::parse(std::string_view(config.text), std::string_view(config.path));
  } catch (const toml::parse_error& e) {
    throw InputError(SourceLocation{config.path, static_cast<std::size_t>(e.source().begin.line), ""},
                     fmt::format("invalid TOML: {}", e.description()));
  }
  const toml::node* node = root.get("sweep");
  ExperimentPlan plan;
  if (!node) {
    plan.runs = plan_runs(config, labels, seeds);
    return plan;
  }
  if (!node->is_table()) throw InputError(at(config, *node, "sweep"), "expected a table ([sweep])");
  SweepTable sweep;
  flatten(config, *node->as_table(), "", sweep);

  const std::vector<std::string>& use_labels = !labels.empty() ? labels : sweep.labels;
  const std::vector<std::uint64_t>& use_seeds = !seeds.empty() ? seeds : sweep.seeds;
  std::vector<const Axis*> point_axes;
  std::map<std::string, std::vector<const Axis*>> policy_axes;  // by label
  for (const Axis& a : sweep.axes) {
    plan.axes.push_back(a.key);
    (a.is_policy() ? policy_axes[a.label] : point_axes).push_back(&a);
  }
  // Every policy axis must name a label that runs.
  {
    const std::vector<RunSpec> base = plan_runs(config, use_labels, use_seeds);
    std::set<std::string> run_labels;
    for (const RunSpec& r : base) run_labels.insert(r.label);
    for (const auto& [label, axes] : policy_axes) {
      if (!run_labels.count(label)) {
        throw InputError(axes.front()->where,
                         fmt::format("sweep key '{}': policy '{}' is not one of the policies run ({})", axes.front()->key,
                                     label, fmt::join(run_labels, ", ")));
      }
    }
  }

  const bool has_grid = !sweep.axes.empty();
  const auto points = cross_product(point_axes);
  plan.points = points.size();
  for (const auto& point : points) {
    std::shared_ptr<const ExperimentConfig> cfg;
    if (!point_axes.empty()) cfg = point_config(config, overrides, point_axes, point);
    const std::vector<RunSpec> base = plan_runs(cfg ? *cfg : config, use_labels, use_seeds);
    // plan_runs is label-major with seeds inner: expand each label's block.
    for (std::size_t b = 0; b < base.size();) {
      std::size_t e = b;
      while (e < base.size() && base[e].label == base[b].label) ++e;
      const std::string& label = base[b].label;
      const std::vector<const Axis*>& axes = policy_axes[label];
      for (const auto& q : cross_product(axes)) {
        for (std::size_t k = b; k < e; ++k) {
          RunSpec run = base[k];
          run.config = cfg;
          run.label = label + suffix(axes, q);
          for (std::size_t i = 0; i < axes.size(); ++i) {
            const AxisValue& v = axes[i]->values[q[i]];
            run.extra_params[axes[i]->param] = RawParam{v.param, v.where};
          }
          if (has_grid) {
            run.sweep["policy"] = label;
            for (std::size_t i = 0; i < point_axes.size(); ++i) run.sweep[point_axes[i]->key] = point_axes[i]->values[point[i]].display;
            for (std::size_t i = 0; i < axes.size(); ++i) run.sweep[axes[i]->key] = axes[i]->values[q[i]].display;
          }
          plan.runs.push_back(std::move(run));
        }
      }
      b = e;
    }
  }
  return plan;
}

}  // namespace fastgpu::experiments
