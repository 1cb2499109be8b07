// fastgpu policies: every registered policy with its summary and parameters.
#include <algorithm>

#include <fmt/format.h>

#include "policies/builtin.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "experiments/table.h"

namespace fastgpu::cli {

namespace {

std::string range_text(const ParamSpec& p) {
  switch (p.default_value.index()) {
    case 0: return "true|false";
    case 3: return p.choices.empty() ? "text" : fmt::format("{}", fmt::join(p.choices, "|"));
    default: break;
  }
  const bool lo = p.min > -1e300, hi = p.max < 1e300;
  if (lo && hi) return fmt::format("[{}, {}]", p.min, p.max);
  if (lo) return fmt::format(">= {}", p.min);
  if (hi) return fmt::format("<= {}", p.max);
  return "any";
}

}  // namespace

int policies_command(const Args& args) {
  CommandLine cl("policies", "[NAME...]",
                 "Lists the registered scheduling policies (or the named ones) with their parameters:\n"
                 "name, default, accepted range or choices, and meaning. Set them in a config under\n"
                 "[policies.<label>] (docs/config.md).",
                 0);
  cl.add_positional("name", -1);
  if (!cl.parse(args)) return 0;

  const PolicyRegistry& registry = builtin_policies();
  std::vector<std::string> names = registry.names();
  if (cl.has("name")) {
    names = cl.vm()["name"].as<std::vector<std::string>>();
    for (const std::string& n : names) registry.at(n);  // InputError listing the known names
  }
  bool first = true;
  for (const std::string& name : names) {
    const PolicyInfo& info = registry.at(name);
    if (!first) fmt::print("\n");
    first = false;
    fmt::print("{}: {}\n", info.name, info.summary);
    if (!info.source.empty()) fmt::print("  follows: {}\n", info.source);
    if (info.params.empty()) {
      fmt::print("  parameters: none\n");
      continue;
    }
    Table t;
    t.add_column("parameter", Table::Align::left);
    t.add_column("default", Table::Align::left);
    t.add_column("range", Table::Align::left);
    t.add_column("meaning", Table::Align::left);
    for (const ParamSpec& p : info.params) t.add_row({p.name, to_string(p.default_value), range_text(p), p.help});
    const std::string text = t.render();
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      fmt::print("  {}\n", text.substr(start, end - start));
      start = end + 1;
    }
  }
  return 0;
}

}  // namespace fastgpu::cli
