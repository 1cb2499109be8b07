// [policies.<label>] tables, and the order in which the policies run.
#include <algorithm>
#include <set>

#include "config/sections.h"

namespace fastgpu::config_reader {

namespace {

// One [policies.<label>] table: `policy` names the registry entry, every other
// key is a parameter of that policy (checked later against its declaration).
PolicyConfig read_policy_table(ReadContext& ctx, const std::string& label, const toml::node& node) {
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

void check_label(const std::string& label, const SourceLocation& where) {
  if (label.empty() || label.find('/') != std::string::npos) {
    throw InputError(where, fmt::format("policy label '{}' must be non-empty and contain no '/'", label));
  }
}

}  // namespace

void read_policies(TableReader t, ExperimentConfig& cfg, const PolicyList& listed, ReadContext& ctx) {
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
  std::set<std::string> done;  // labels of experiment.policies, read first and in that order
  if (listed.given) {
    for (const auto& [label, where] : listed.labels) {
      check_label(label, where);
      if (!done.insert(label).second) {
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
    if (done.count(label)) continue;
    check_label(label, ctx.at(node->source(), "policies." + label));
    (listed.given ? cfg.other_policies : cfg.policies).push_back(read_policy_table(ctx, label, *node));
  }
}

}  // namespace fastgpu::config_reader
