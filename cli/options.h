#pragma once
// The option parsing the subcommands share (Boost.Program_options): usage and
// --help, the CONFIG argument, --set overrides, -o, -j, --check, --quiet, and
// the conversions of their values. Bad usage is an InputError (exit 2).
#include <cstdint>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/commands.h"
#include "experiments/experiment_runner.h"
#include "config/config.h"

namespace fastgpu::cli {

namespace po = boost::program_options;

// Which of the shared options a command takes.
enum SharedOption : unsigned {
  kConfigArg = 1u << 0,  // positional CONFIG (required)
  kSet = 1u << 1,        // --set KEY=VALUE, repeatable
  kOutput = 1u << 2,     // -o/--output FILE
  kThreads = 1u << 3,    // -j/--threads N
  kCheck = 1u << 4,      // --check (EngineOptions::check_invariants)
  kQuiet = 1u << 5,      // -q/--quiet
  kPlugin = 1u << 6,     // --plugin PATH.so, repeatable (policies/plugin.h)
  kSummaryOnly = 1u << 7,  // --summary-only: no per-job tables in the HDF5 output
  kDeflate = 1u << 8,      // --deflate-level N: the HDF5 tables' deflate level
};

class CommandLine {
 public:
  // `name` is the subcommand, `synopsis` its argument summary, `description`
  // a paragraph for --help.
  CommandLine(std::string name, std::string synopsis, std::string description, unsigned shared);

  // Command-specific options; add them before parse().
  po::options_description& options() { return options_; }
  // Extra positional arguments after CONFIG (max_count -1 = any number).
  void add_positional(const char* name, int max_count);

  // Parses `args`. Returns false when --help was given (usage printed on
  // stdout; the command returns 0). Throws InputError on bad usage.
  bool parse(const Args& args);
  const po::variables_map& vm() const { return vm_; }
  bool has(const char* option) const { return vm_.count(option) > 0; }

  // The config named by CONFIG with the --set overrides (and --check)
  // applied, after loading the --plugin policies.
  ExperimentConfig load_config() const;
  // -o, else the config's output, else results/<name>.h5.
  std::string output_path(const ExperimentConfig& config) const;
  // Threads from -j, else the config; progress only on a terminal, unless --quiet.
  RunnerOptions runner_options(const ExperimentConfig& config) const;
  bool quiet() const { return has("quiet"); }
  bool summary_only() const { return has("summary-only"); }
  // --deflate-level, else kDefaultDeflateLevel; InputError outside 0..kMaxDeflateLevel.
  int deflate_level() const;
  // "fastgpu run CONFIG --seed 2", for the record kept with the results.
  std::string command_text() const;

 private:
  std::string name_, synopsis_, description_;
  unsigned shared_;
  po::options_description options_;
  po::positional_options_description positional_;
  std::vector<std::string> extra_positionals_;
  po::variables_map vm_;
  Args args_;
};

// The run selection `run` and `compare` share, under the same names in both:
// --policy NAME / --policies A,B (repeatable, comma lists, one meaning) and
// --seed N (that seed) / --seeds N|A,B (seeds 1..N, or the list). The short
// -p and -s stay what they were in each command: run -p/-s are --policy and
// --seed, compare -p/-s are --policies and --seeds.
enum class ShortFlags { singular, plural };
void add_run_selection(CommandLine& cl, ShortFlags short_flags);
std::vector<std::string> selected_policies(const CommandLine& cl);
std::vector<std::uint64_t> selected_seeds(const CommandLine& cl);

// "a,b, c" -> {"a", "b", "c"}; empty items are an InputError naming `option`.
std::vector<std::string> split_list(const std::string& text, const std::string& option);
// A non-negative integer, or an InputError naming `option`.
std::uint64_t parse_uint(const std::string& text, const std::string& option);
// "N" -> 1..N; "a,b,c" -> {a, b, c}.
std::vector<std::uint64_t> parse_seeds(const std::string& text, const std::string& option);

}  // namespace fastgpu::cli
