#include "cli/options.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "experiments/plugin_loader.h"
#include "results_io/hdf5_writer.h"
#include "sim/error.h"
#include "sim/parse_number.h"

namespace fastgpu::cli {

CommandLine::CommandLine(std::string name, std::string synopsis, std::string description, unsigned shared)
    : name_(std::move(name)),
      synopsis_(std::move(synopsis)),
      description_(std::move(description)),
      shared_(shared),
      options_("Options") {
  auto add = options_.add_options();
  add("help,h", "print this help and exit");
  if (shared_ & kSet) {
    add("set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
        "override a config key (repeatable), e.g. --set workload.load=0.7; VALUE is TOML or a bare string");
  }
  if (shared_ & kOutput) add("output,o", po::value<std::string>()->value_name("FILE"), "output file");
  if (shared_ & kThreads) {
    add("threads,j", po::value<std::string>()->value_name("N"),
        "run this many simulations at once (default: experiment.threads, 0 = all cores)");
  }
  if (shared_ & kSummaryOnly) {
    add("summary-only",
        "write only the summaries to HDF5 (/summary, run attributes, GPU accounting): no per-job tables or time "
        "series");
  }
  if (shared_ & kDeflate) {
    add("deflate-level", po::value<std::string>()->value_name("N"),
        "deflate level of the HDF5 tables, 0..3 (default 1; 0: not deflated, a faster write of a larger file)");
  }
  if (shared_ & kCheck) add("check", "verify the engine invariants after every instant (slow)");
  if (shared_ & kQuiet) add("quiet,q", "no progress or notes on stderr");
  if (shared_ & kPlugin) {
    add("plugin", po::value<std::vector<std::string>>()->composing()->value_name("PATH.so"),
        "load the policies of this shared object (built against the installed fastgpu; repeatable)");
  }
  if (shared_ & kConfigArg) positional_.add("config", 1);
}

void CommandLine::add_positional(const char* name, int max_count) {
  extra_positionals_.emplace_back(name);
  positional_.add(name, max_count);
}

bool CommandLine::parse(const Args& args) {
  args_ = args;
  po::options_description hidden;
  if (shared_ & kConfigArg) hidden.add_options()("config", po::value<std::string>());
  for (const std::string& n : extra_positionals_) hidden.add_options()(n.c_str(), po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options_).add(hidden);
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional_).run(), vm_);
    if (vm_.count("help")) {
      std::cout << fmt::format("Usage: fastgpu {} {}\n\n{}\n\n", name_, synopsis_, description_) << options_;
      return false;
    }
    po::notify(vm_);
  } catch (const po::error& e) {
    throw InputError(fmt::format("{}: {} (see 'fastgpu {} --help')", name_, e.what(), name_));
  }
  if ((shared_ & kConfigArg) && !vm_.count("config")) {
    throw InputError(fmt::format("{}: missing the CONFIG argument (see 'fastgpu {} --help')", name_, name_));
  }
  return true;
}

ExperimentConfig CommandLine::load_config() const {
  if (vm_.count("plugin")) {
    for (const std::string& path : vm_["plugin"].as<std::vector<std::string>>()) fastgpu::experiments::load_plugin(path);
  }
  std::vector<std::string> sets;
  if (vm_.count("set")) sets = vm_["set"].as<std::vector<std::string>>();
  ExperimentConfig config = fastgpu::load_config(vm_["config"].as<std::string>(), sets);
  if (has("check")) config.engine.check_invariants = true;
  // Keep the command line with the text stored in the results (as a comment).
  if (!config.text.empty() && config.text.back() != '\n') config.text += '\n';
  config.text += "# command line: " + command_text() + "\n";
  return config;
}

std::string CommandLine::output_path(const ExperimentConfig& config) const {
  if (has("output")) return vm_["output"].as<std::string>();
  if (!config.output.empty()) return config.output;
  return "results/" + config.name + ".h5";
}

RunnerOptions CommandLine::runner_options(const ExperimentConfig& config) const {
  RunnerOptions o;
  o.threads = config.threads;
  if (has("threads")) {
    const std::uint64_t j = parse_uint(vm_["threads"].as<std::string>(), "--threads");
    if (j > 4096) throw InputError(fmt::format("--threads: at most 4096, got {}", j));
    o.threads = static_cast<unsigned>(j);
  }
  o.quiet = quiet();
  o.progress = !o.quiet && isatty(fileno(stderr));
  return o;
}

int CommandLine::deflate_level() const {
  if (!has("deflate-level")) return kDefaultDeflateLevel;
  const std::uint64_t level = parse_uint(vm_["deflate-level"].as<std::string>(), "--deflate-level");
  if (level > static_cast<std::uint64_t>(kMaxDeflateLevel))
    throw InputError(fmt::format("--deflate-level: at most {}, got {}", kMaxDeflateLevel, level));
  return static_cast<int>(level);
}

std::string CommandLine::command_text() const {
  std::string out = "fastgpu " + name_;
  for (const std::string& a : args_) {
    const bool plain = a.find_first_of(" \t\"'\\$`") == std::string::npos && !a.empty();
    out += " " + (plain ? a : "'" + a + "'");
  }
  // One comment line: newlines would end it.
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

void add_run_selection(CommandLine& cl, ShortFlags short_flags) {
  const bool singular = short_flags == ShortFlags::singular;
  const std::string policy = singular ? "policy,p" : "policy";
  const std::string policies = singular ? "policies" : "policies,p";
  const std::string seed = singular ? "seed,s" : "seed";
  const std::string seeds = singular ? "seeds" : "seeds,s";
  const char* labels_help =
      "run only this policy label (repeatable, or a,b); a registered policy that the config does not define runs "
      "with its default parameters";
  cl.options().add_options()(policy.c_str(), po::value<std::vector<std::string>>()->composing()->value_name("NAME"),
                             labels_help)(
      policies.c_str(), po::value<std::vector<std::string>>()->composing()->value_name("A,B,..."),
      "the same as --policy")(seed.c_str(), po::value<std::vector<std::string>>()->composing()->value_name("N"),
                              "run only workload seed N (repeatable)")(
      seeds.c_str(), po::value<std::string>()->value_name("N|A,B,..."), "seeds 1..N, or the listed seeds");
}

std::vector<std::string> selected_policies(const CommandLine& cl) {
  std::vector<std::string> labels;
  for (const char* option : {"policy", "policies"}) {
    if (!cl.has(option)) continue;
    for (const std::string& p : cl.vm()[option].as<std::vector<std::string>>()) {
      for (std::string& l : split_list(p, std::string("--") + option)) labels.push_back(std::move(l));
    }
  }
  return labels;
}

std::vector<std::uint64_t> selected_seeds(const CommandLine& cl) {
  std::vector<std::uint64_t> seeds;
  if (cl.has("seed")) {
    for (const std::string& s : cl.vm()["seed"].as<std::vector<std::string>>()) seeds.push_back(parse_uint(s, "--seed"));
  }
  if (cl.has("seeds")) {
    for (std::uint64_t s : parse_seeds(cl.vm()["seeds"].as<std::string>(), "--seeds")) seeds.push_back(s);
  }
  return seeds;
}

std::vector<std::string> split_list(const std::string& text, const std::string& option) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto b = item.find_first_not_of(" \t");
    const auto e = item.find_last_not_of(" \t");
    item = b == std::string::npos ? "" : item.substr(b, e - b + 1);
    if (item.empty()) throw InputError(fmt::format("{}: empty item in list '{}'", option, text));
    out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::uint64_t parse_uint(const std::string& text, const std::string& option) {
  std::uint64_t v = 0;
  if (parse_number(text, v) != NumberError::none) {
    throw InputError(fmt::format("{}: expected a non-negative integer, got '{}'", option, text));
  }
  return v;
}

std::vector<std::uint64_t> parse_seeds(const std::string& text, const std::string& option) {
  std::vector<std::uint64_t> seeds;
  if (text.find(',') == std::string::npos) {
    const std::uint64_t n = parse_uint(text, option);
    if (n < 1 || n > 1000000) throw InputError(fmt::format("{}: the number of seeds must be in [1, 1000000], got {}", option, n));
    for (std::uint64_t s = 1; s <= n; ++s) seeds.push_back(s);
  } else {
    for (const std::string& s : split_list(text, option)) seeds.push_back(parse_uint(s, option));
  }
  return seeds;
}

}  // namespace fastgpu::cli
