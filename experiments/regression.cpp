#include "experiments/regression.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "config/toml_document.h"
#include "experiments/statistics.h"
#include "sim/metrics.h"
#include "sim/output_file.h"

namespace fastgpu {

namespace {

const std::set<std::string>& known_metrics() {
  static const std::set<std::string> names = [] {
    std::set<std::string> s;
    for (const auto& [name, value] : summary_fields(Summary{})) s.insert(name);
    return s;
  }();
  return names;
}

// --- reading ---------------------------------------------------------------------

struct Reader {
  std::string path;

  SourceLocation at(const toml::node& n, const std::string& key) const {
    return {path, static_cast<std::size_t>(n.source().begin.line), key};
  }
  SourceLocation at(const toml::key& k, const std::string& key) const {
    return {path, static_cast<std::size_t>(k.source().begin.line), key};
  }
  [[noreturn]] void fail(const toml::node& n, const std::string& key, const std::string& what) const {
    throw InputError(at(n, key), what);
  }

  double number(const toml::node& n, const std::string& key) const {
    if (n.is_integer()) return static_cast<double>(n.as_integer()->get());
    if (n.is_floating_point()) return n.as_floating_point()->get();
    fail(n, key, "expected a number");
  }
  double tolerance(const toml::node& n, const std::string& key) const {
    const double v = number(n, key);
    if (!(v >= 0) || std::isinf(v)) fail(n, key, fmt::format("a tolerance must be a finite number >= 0, got {}", v));
    return v;
  }
  Direction direction(const toml::node& n, const std::string& key) const {
    if (!n.is_string()) fail(n, key, "expected a string: \"lower-is-better\", \"higher-is-better\" or \"either\"");
    const auto d = parse_direction(n.as_string()->get());
    if (!d) {
      fail(n, key, fmt::format("unknown direction \"{}\" (lower-is-better, higher-is-better or either)",
                               n.as_string()->get()));
    }
    return *d;
  }
  const toml::table& table(const toml::node& n, const std::string& key) const {
    if (!n.is_table()) fail(n, key, "expected a table");
    return *n.as_table();
  }
  void check_metric(const toml::key& k, const std::string& key) const {
    if (!known_metrics().count(current_metric_name(k.str()))) {
      throw InputError(at(k, key), fmt::format("unknown metric '{}' (the metrics are the columns of /summary: {})",
                                               k.str(), fmt::join(known_metrics(), ", ")));
    }
  }
};

// Entries of a table in the order they were written (toml++ sorts keys).
std::vector<std::pair<const toml::key*, const toml::node*>> in_file_order(const toml::table& t) {
  std::vector<std::pair<const toml::key*, const toml::node*>> out;
  for (auto&& [k, v] : t) out.emplace_back(&k, &v);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.first->source().begin.line < b.first->source().begin.line;
  });
  return out;
}

std::string dotted(const std::string& a, std::string_view b) { return a + "." + std::string(b); }

void read_defaults(const Reader& r, const toml::table& t, Baseline& b) {
  for (auto&& [k, v] : t) {
    const std::string key = dotted("defaults", k.str());
    if (k == "tolerance") {
      b.tolerance = r.tolerance(v, key);
    } else if (k == "absolute_tolerance") {
      b.absolute_tolerance = r.tolerance(v, key);
    } else if (k == "metrics") {
      if (!v.is_array()) r.fail(v, key, "expected an array of metric names");
      b.metrics.clear();
      for (const toml::node& m : *v.as_array()) {
        if (!m.is_string()) r.fail(m, key, "expected a metric name (a string)");
        const std::string name = current_metric_name(m.as_string()->get());  // older baselines: seed_F, seed_L
        if (!known_metrics().count(name)) r.fail(m, key, fmt::format("unknown metric '{}'", name));
        b.metrics.push_back(name);
      }
    } else {
      throw InputError(r.at(k, key), fmt::format("unknown key '{}' in [defaults] (tolerance, absolute_tolerance, "
                                                 "metrics)", k.str()));
    }
  }
}

BaselineCheck read_check(const Reader& r, const Baseline& b, const toml::key& k, const toml::node& v,
                         const std::string& key) {
  BaselineCheck c;
  c.metric = current_metric_name(k.str());
  c.where = r.at(v, key);
  c.tolerance = b.tolerance;
  c.absolute_tolerance = b.absolute_tolerance;
  c.direction = metric_direction(c.metric);
  if (!v.is_table()) {
    c.value = r.number(v, key);
    return c;
  }
  c.inline_table = true;
  bool has_value = false;
  for (auto&& [ik, iv] : *v.as_table()) {
    const std::string ikey = dotted(key, ik.str());
    if (ik == "value") {
      c.value = r.number(iv, ikey);
      has_value = true;
    } else if (ik == "tolerance") {
      c.tolerance = r.tolerance(iv, ikey);
    } else if (ik == "absolute_tolerance") {
      c.absolute_tolerance = r.tolerance(iv, ikey);
    } else if (ik == "direction") {
      c.direction = r.direction(iv, ikey);
    } else {
      throw InputError(r.at(ik, ikey), fmt::format("unknown key '{}' (value, tolerance, absolute_tolerance, "
                                                   "direction)", ik.str()));
    }
  }
  if (!has_value) r.fail(v, key, "needs a value");
  return c;
}

BaselineRun read_run(const Reader& r, const Baseline& b, const std::string& policy, const std::string& workload,
                     const toml::node& node, const std::string& key) {
  BaselineRun run;
  run.policy = policy;
  run.workload = workload;
  run.where = r.at(node, key);
  bool has_seeds = false;
  for (const auto& [k, v] : in_file_order(r.table(node, key))) {
    const std::string mkey = dotted(key, k->str());
    if (*k == "seeds") {
      if (!v->is_array() || v->as_array()->empty()) r.fail(*v, mkey, "expected a non-empty array of seeds");
      for (const toml::node& s : *v->as_array()) {
        if (!s.is_integer() || s.as_integer()->get() < 0) r.fail(s, mkey, "a seed is an integer >= 0");
        run.seeds.push_back(static_cast<std::uint64_t>(s.as_integer()->get()));
      }
      std::sort(run.seeds.begin(), run.seeds.end());
      if (std::adjacent_find(run.seeds.begin(), run.seeds.end()) != run.seeds.end())
        r.fail(*v, mkey, "a seed is listed twice");
      has_seeds = true;
      continue;
    }
    r.check_metric(*k, mkey);
    run.checks.push_back(read_check(r, b, *k, *v, mkey));
  }
  if (!has_seeds) r.fail(node, key, "needs `seeds`: the seeds the values are means over");
  return run;
}

}  // namespace

std::vector<std::string> default_regression_metrics() {
  return {"jobs_total",    "jobs_completed", "jobs_rejected",         "makespan",       "jct_mean",
          "jct_p50",       "jct_p90",        "jct_p99",               "wait_mean",      "wait_p99",
          "bounded_slowdown_mean", "utilisation", "load_variance_mean", "deadline_miss_rate", "fairness_jain",
          "energy_kwh",    "cost",           "preemptions",           "migrations"};
}

Baseline parse_baseline(const std::string& text, const std::string& path) {
  toml::table root = parse_toml_document(text, path);
  const Reader r{path};
  Baseline b;
  b.metrics = default_regression_metrics();
  for (auto&& [k, v] : root) {
    if (k != "defaults" && k != "runs") {
      throw InputError(r.at(k, std::string(k.str())),
                       fmt::format("unknown key '{}' at the top level (defaults, runs)", k.str()));
    }
  }
  // Defaults first: bare values of the runs use them, wherever [defaults] is.
  if (const toml::node* d = root.get("defaults")) read_defaults(r, r.table(*d, "defaults"), b);
  if (const toml::node* runs = root.get("runs")) {
    for (const auto& [pk, pv] : in_file_order(r.table(*runs, "runs"))) {
      const std::string pkey = dotted("runs", pk->str());
      for (const auto& [wk, wv] : in_file_order(r.table(*pv, pkey))) {
        b.runs.push_back(read_run(r, b, std::string(pk->str()), std::string(wk->str()), *wv, dotted(pkey, wk->str())));
      }
    }
  }
  return b;
}

Baseline read_baseline(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLocation{path, 0, ""}, "cannot open the baseline file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(SourceLocation{path, 0, ""}, "cannot read the baseline file");
  return parse_baseline(text.str(), path);
}

// --- writing ---------------------------------------------------------------------

namespace {

std::string toml_key(const std::string& s) {
  const bool bare = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (bare) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Shortest text that reads back as the same double; nan/inf are TOML too.
// -0 is written as 0: "-0" reads back as the integer 0, which would format
// as "0" and break the round trip; both compare equal anyway.
std::string toml_number(double v) {
  if (std::isnan(v)) return "nan";
  if (v == 0) v = 0.0;
  return fmt::format("{}", v);
}

}  // namespace

std::string format_baseline(const Baseline& b, const std::vector<std::string>& comment) {
  std::string out;
  for (const std::string& line : comment) out += line.empty() ? "#\n" : "# " + line + "\n";
  if (!comment.empty()) out += "\n";
  out += "[defaults]\n";
  out += fmt::format("tolerance = {}            # relative: |current - value| <= tolerance x |value| ...\n",
                     toml_number(b.tolerance));
  out += fmt::format("absolute_tolerance = {}   # ... or <= absolute_tolerance\n", toml_number(b.absolute_tolerance));
  std::vector<std::string> quoted;
  for (const std::string& m : b.metrics) quoted.push_back(fmt::format("\"{}\"", m));
  out += fmt::format("metrics = [{}]\n", fmt::join(quoted, ", "));
  for (const BaselineRun& run : b.runs) {
    out += fmt::format("\n[runs.{}.{}]\n", toml_key(run.policy), toml_key(run.workload));
    out += fmt::format("seeds = [{}]\n", fmt::join(run.seeds, ", "));
    for (const BaselineCheck& c : run.checks) {
      if (c.inline_table) {
        out += fmt::format("{} = {{ value = {}, tolerance = {}, absolute_tolerance = {}, direction = \"{}\" }}\n",
                           c.metric, toml_number(c.value), toml_number(c.tolerance),
                           toml_number(c.absolute_tolerance), to_string(c.direction));
      } else {
        out += fmt::format("{} = {}\n", c.metric, toml_number(c.value));
      }
    }
  }
  return out;
}

void write_baseline(const std::string& path, const Baseline& baseline, const std::vector<std::string>& comment) {
  write_output_file(path, format_baseline(baseline, comment));
}

// --- checking ----------------------------------------------------------------------

namespace {

// The rows of each (policy, workload), sorted by seed, in order of first appearance.
struct RunRows {
  std::string policy, workload;
  std::vector<const SummaryRow*> rows;
  std::vector<std::uint64_t> seeds() const {
    std::vector<std::uint64_t> s;
    for (const SummaryRow* r : rows) s.push_back(r->seed);
    return s;
  }
};

std::vector<RunRows> group_rows(const std::vector<SummaryRow>& rows) {
  std::vector<RunRows> out;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (const SummaryRow& row : rows) {
    auto [it, added] = index.try_emplace({row.policy, row.workload}, out.size());
    if (added) out.push_back(RunRows{row.policy, row.workload, {}});
    out[it->second].rows.push_back(&row);
  }
  for (RunRows& g : out) {
    std::stable_sort(g.rows.begin(), g.rows.end(), [](const SummaryRow* a, const SummaryRow* b) { return a->seed < b->seed; });
  }
  return out;
}

double metric_mean(const RunRows& g, const std::string& metric, const std::string& results_path,
                   const SourceLocation& where) {
  std::vector<double> values;
  for (const SummaryRow* r : g.rows) {
    auto it = r->metrics.find(metric);
    if (it == r->metrics.end()) {
      throw InputError(where, fmt::format("metric '{}' is not a column of /summary in '{}'", metric, results_path));
    }
    values.push_back(it->second);
  }
  return mean(values);
}

const RunRows* find_rows(const std::vector<RunRows>& groups, const std::string& policy, const std::string& workload) {
  for (const RunRows& g : groups) {
    if (g.policy == policy && g.workload == workload) return &g;
  }
  return nullptr;
}

}  // namespace

std::string to_string(CheckStatus s) {
  switch (s) {
    case CheckStatus::unchanged: return "unchanged";
    case CheckStatus::within_tolerance: return "within tolerance";
    case CheckStatus::better: return "better";
    case CheckStatus::worse: return "WORSE";
  }
  return "WORSE";
}

std::size_t RegressionReport::count(CheckStatus s) const {
  return static_cast<std::size_t>(
      std::count_if(outcomes.begin(), outcomes.end(), [&](const CheckOutcome& o) { return o.status == s; }));
}

CheckStatus classify(const BaselineCheck& check, double current) {
  const double old = check.value;
  if (std::isnan(old) || std::isnan(current)) {
    return std::isnan(old) && std::isnan(current) ? CheckStatus::unchanged : CheckStatus::worse;
  }
  if (current == old) return CheckStatus::unchanged;
  const double delta = current - old;
  const double allowed = std::max(check.tolerance * std::fabs(old), check.absolute_tolerance);
  if (std::fabs(delta) <= allowed) return CheckStatus::within_tolerance;
  switch (check.direction) {
    case Direction::lower_is_better: return delta > 0 ? CheckStatus::worse : CheckStatus::better;
    case Direction::higher_is_better: return delta < 0 ? CheckStatus::worse : CheckStatus::better;
    case Direction::either: return CheckStatus::worse;
  }
  return CheckStatus::worse;
}

RegressionReport check_regressions(const Baseline& baseline, const std::vector<SummaryRow>& rows,
                                   const std::string& results_path) {
  const std::vector<RunRows> groups = group_rows(rows);
  RegressionReport report;
  std::set<std::pair<std::string, std::string>> checked;
  for (const BaselineRun& run : baseline.runs) {
    const RunRows* g = find_rows(groups, run.policy, run.workload);
    if (!g) {
      throw InputError(run.where, fmt::format("no run of policy '{}' on workload '{}' in '{}'", run.policy,
                                              run.workload, results_path));
    }
    if (g->seeds() != run.seeds) {
      throw InputError(run.where, fmt::format("policy '{}' on '{}': the baseline is over seeds [{}], '{}' has [{}]",
                                              run.policy, run.workload, fmt::join(run.seeds, ", "), results_path,
                                              fmt::join(g->seeds(), ", ")));
    }
    checked.emplace(run.policy, run.workload);
    for (const BaselineCheck& c : run.checks) {
      CheckOutcome o{run.policy, run.workload, c, metric_mean(*g, c.metric, results_path, c.where), {}};
      o.status = classify(c, o.current);
      report.outcomes.push_back(std::move(o));
    }
  }
  for (const RunRows& g : groups) {
    if (!checked.count({g.policy, g.workload})) report.not_in_baseline.emplace_back(g.policy, g.workload);
  }
  return report;
}

Baseline update_baseline(const Baseline& previous, const std::vector<SummaryRow>& rows,
                         const std::string& results_path) {
  Baseline b;
  b.tolerance = previous.tolerance;
  b.absolute_tolerance = previous.absolute_tolerance;
  b.metrics = previous.metrics.empty() ? default_regression_metrics() : previous.metrics;
  const SourceLocation where{results_path, 0, ""};
  for (const RunRows& g : group_rows(rows)) {
    BaselineRun run;
    run.policy = g.policy;
    run.workload = g.workload;
    run.seeds = g.seeds();
    std::sort(run.seeds.begin(), run.seeds.end());
    const BaselineRun* old = nullptr;
    for (const BaselineRun& r : previous.runs) {
      if (r.policy == g.policy && r.workload == g.workload) old = &r;
    }
    if (old) {
      for (BaselineCheck c : old->checks) {
        c.value = metric_mean(g, c.metric, results_path, c.where);
        run.checks.push_back(std::move(c));
      }
    } else {
      for (const std::string& m : b.metrics) {
        BaselineCheck c;
        c.metric = m;
        c.tolerance = b.tolerance;
        c.absolute_tolerance = b.absolute_tolerance;
        c.direction = metric_direction(m);
        c.value = metric_mean(g, m, results_path, where);
        run.checks.push_back(std::move(c));
      }
    }
    b.runs.push_back(std::move(run));
  }
  return b;
}

}  // namespace fastgpu
