// Orchestration: parse the TOML, apply the --set overrides, read every section,
// then validate them (config/sections.h).
#include "config/config.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "config/overrides.h"
#include "config/sections.h"
#include "config/toml_document.h"
#include "config/toml_table.h"
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
  using namespace config_reader;
  toml::table root = parse_toml_document(text, path);
  ReadContext ctx;
  ctx.path = path;
  ctx.dir = std::filesystem::path(path).parent_path();
  for (const std::string& o : overrides) {
    AppliedOverride applied = apply_override(root, o);
    ctx.override_text[applied.key] = std::move(applied.value);
  }

  ExperimentConfig cfg;
  cfg.path = path;
  cfg.text = with_overrides(text, overrides);

  // Read everything first (types, unknown keys), then check ranges, so that a
  // misspelt key is reported before the error it causes elsewhere.
  TableReader top(ctx, &root, "");
  PolicyList listed;
  read_experiment(top.table("experiment"), cfg, listed, ctx);
  read_cluster(top.table("cluster"), cfg.cluster, ctx);
  read_workload(top.table("workload"), cfg.workload, ctx);
  read_engine(top.table("engine"), cfg.engine, ctx);
  read_limits(top.table("limits"), cfg.engine.limits, ctx);
  read_policies(top.table("policies"), cfg, listed, ctx);
  FailureSettings failures;
  read_failures(top.table("failures"), failures, ctx);
  top.node("sweep");  // parameter grids: read by experiments/sweep.cpp
  top.finish();

  validate_experiment(cfg, ctx);
  validate_cluster(cfg.cluster, ctx);
  validate_workload(cfg.workload, cfg.cluster, ctx);
  validate_engine(cfg.engine, ctx);
  validate_limits(cfg.engine.limits, ctx);
  validate_failures(failures, cfg.cluster, cfg.engine, ctx);
  return cfg;
}

ExperimentConfig load_config(const std::string& path, const std::vector<std::string>& overrides) {
  // A directory opens (and reads as empty) on Linux: refuse anything that is
  // not a file before reading it.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(SourceLocation{path, 0, ""}, "is a directory, not a config file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLocation{path, 0, ""}, "cannot open the config file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(SourceLocation{path, 0, ""}, "cannot read the config file");
  return parse_config(text.str(), path, overrides);
}

}  // namespace fastgpu
