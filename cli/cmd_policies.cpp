// fastgpu policies: the registered policies, one line each (wrapped to 100
// columns); with names, each one's source and parameters in detail.
#include <algorithm>

#include <fmt/format.h>

#include "policies/builtin.h"
#include "cli/commands.h"
#include "cli/options.h"

namespace fastgpu::cli {

namespace {

constexpr std::size_t kWidth = 100;

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

// Splits `text` into lines of at most `width` characters, breaking after a
// space (dropped) or after a '|' of a choice list (kept), so that joining
// the lines with " " after a space break and "" after a '|' break gives the
// text back. A word longer than `width` stays whole on its own line.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (text.size() - start > width) {
    std::size_t end = std::string::npos;  // the line is [start, end)
    bool at_space = false;
    for (std::size_t i = start + width; i > start && end == std::string::npos; --i) {
      if (text[i] == ' ') {
        end = i;
        at_space = true;
      } else if (text[i - 1] == '|') {
        end = i;
      }
    }
    if (end == std::string::npos) {  // one long word: break at its first chance after `width`
      end = text.find_first_of(" |", start + width);
      if (end == std::string::npos) break;
      at_space = text[end] == ' ';
      if (!at_space) ++end;
    }
    lines.push_back(text.substr(start, end - start));
    start = at_space ? end + 1 : end;
  }
  lines.push_back(text.substr(start));
  return lines;
}

// "  label    text" with the wrapped continuation lines indented under text.
void print_field(const std::string& indent, const std::string& label, const std::string& text) {
  const std::string head = indent + label;
  const std::size_t column = head.size();
  bool first = true;
  for (const std::string& line : wrap(text, kWidth - column)) {
    fmt::print("{}{}\n", first ? head : std::string(column, ' '), line);
    first = false;
  }
}

void print_list(const PolicyRegistry& registry) {
  std::size_t name_width = 6;
  for (const std::string& n : registry.names()) name_width = std::max(name_width, n.size());
  const std::string rule(name_width, '-');
  fmt::print("{:<{}}  summary\n{}  {}\n", "policy", name_width, rule, std::string(kWidth - name_width - 2, '-'));
  for (const std::string& n : registry.names()) {
    print_field("", fmt::format("{:<{}}  ", n, name_width), registry.at(n).summary);
  }
  fmt::print("\n'fastgpu policies NAME...' shows a policy's source and parameters; docs/policies.md explains each.\n");
}

// name: summary / follows: source / parameters: then per parameter its name
// and indented default, range and meaning lines.
void print_detail(const PolicyInfo& info) {
  print_field("", info.name + ": ", info.summary);
  if (!info.source.empty()) print_field("  ", "follows: ", info.source);
  if (info.params.empty()) {
    fmt::print("  parameters: none\n");
    return;
  }
  fmt::print("  parameters:\n");
  for (const ParamSpec& p : info.params) {
    fmt::print("    {}\n", p.name);
    print_field("      ", "default  ", to_string(p.default_value));
    print_field("      ", "range    ", range_text(p));
    print_field("      ", "meaning  ", p.help);
  }
}

}  // namespace

int policies_command(const Args& args) {
  CommandLine cl("policies", "[NAME...]",
                 "Lists the registered scheduling policies, one line each. With names, shows each one's\n"
                 "source and parameters: name, default, accepted range or choices, and meaning. Set them\n"
                 "in a config under [policies.<label>] (docs/config.md).",
                 0);
  cl.add_positional("name", -1);
  if (!cl.parse(args)) return 0;

  const PolicyRegistry& registry = builtin_policies();
  if (!cl.has("name")) {
    print_list(registry);
    return 0;
  }
  const auto names = cl.vm()["name"].as<std::vector<std::string>>();
  for (const std::string& n : names) registry.at(n);  // InputError with "did you mean" and the known names
  bool first = true;
  for (const std::string& n : names) {
    if (!first) fmt::print("\n");
    first = false;
    print_detail(registry.at(n));
  }
  return 0;
}

}  // namespace fastgpu::cli
