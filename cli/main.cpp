// The `fastgpu` executable: dispatches to a subcommand and maps errors to exit
// codes (0 success, 2 bad input, 1 internal error), with one-line messages.
// SIGINT, SIGTERM and SIGHUP end it by the signal itself (after the output
// files' handler removes their temporary files: sim/output_file.cpp), so a
// shell reports 128+N.
#include <algorithm>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "sim/error.h"
#include "sim/nearest_name.h"
#include "sim/version.h"

namespace {

using fastgpu::cli::Args;

struct Command {
  const char* name;
  int (*run)(const Args&);
  const char* summary;
};

// One line per subcommand.
constexpr Command kCommands[] = {
    {"run", fastgpu::cli::run_command, "simulate the policies x seeds of a config, write HDF5"},
    {"compare", fastgpu::cli::compare_command, "compare policies over seeds: ranked table + HDF5"},
    {"gen", fastgpu::cli::gen_command, "write the workload of a config as a CSV trace"},
    {"policies", fastgpu::cli::policies_command, "list the registered policies and their parameters"},
    {"solve", fastgpu::cli::solve_command, "map a static ETC instance (Braun or CSV) with the GA or a heuristic"},
    {"gen-etc", fastgpu::cli::gen_etc_command, "write an ETC instance of Braun et al.'s family (12 classes, seeded)"},
    {"convert", fastgpu::cli::convert_command, "convert a production trace to fastgpu CSV or Batsim JSON"},
    {"pack", fastgpu::cli::pack_command, "pack pods that never leave: placements x pod lists x seeds, curves to HDF5"},
    {"regress", fastgpu::cli::regress_command, "check results against a baseline: exit 1 when a metric got worse"},
    {"export", fastgpu::cli::export_command, "write a results file as tidy CSV tables (summary, jobs, time series)"},
};

void print_usage(std::FILE* out) {
  fmt::print(out, "Usage: fastgpu COMMAND [options]   (fastgpu COMMAND --help for its options)\n\n");
  fmt::print(out, "Discrete-event simulator of GPU-cluster scheduling policies.\n\nCommands:\n");
  std::size_t width = 0;
  for (const Command& c : kCommands) width = std::max(width, std::strlen(c.name));
  for (const Command& c : kCommands) fmt::print(out, "  {:<{}}  {}\n", c.name, width, c.summary);
  fmt::print(out, "\nOptions:\n  -h, --help     print this help\n  --version      print the version\n");
  fmt::print(out,
             "\nExit status: 0 success, 2 bad input (config, trace, options), 1 internal error;\n"
             "128+N when killed by signal N (130 SIGINT, 143 SIGTERM), temporary files removed.\n");
}

// Messages are one line: the first line of a multi-line text, the rest joined.
// A message that quotes a huge damaged field is cut in the middle (at a
// character boundary), so the file, line and field at its start stay readable.
std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  constexpr std::size_t kHead = 600, kTail = 200;
  if (s.size() > kHead + kTail + 100) {
    const auto continuation = [&](std::size_t i) { return (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80; };
    std::size_t head = kHead, tail = s.size() - kTail;
    while (head > 0 && continuation(head)) --head;
    while (tail < s.size() && continuation(tail)) ++tail;
    s = fmt::format("{} [... {} bytes left out ...] {}", s.substr(0, head), tail - head, s.substr(tail));
  }
  return s;
}

int dispatch(const Args& args) {
  if (args.empty()) {
    print_usage(stderr);
    return 2;
  }
  const std::string& cmd = args.front();
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    if (args.size() > 1 && cmd == "help") return dispatch({args[1], "--help"});
    print_usage(stdout);
    return 0;
  }
  if (cmd == "--version") {
    fmt::print("fastgpu {} ({})\n", fastgpu::kVersion, fastgpu::kGitDescribe);
    return 0;
  }
  for (const Command& c : kCommands) {
    if (cmd == c.name) return c.run(Args(args.begin() + 1, args.end()));
  }
  std::vector<std::string> known;
  for (const Command& c : kCommands) known.emplace_back(c.name);
  throw fastgpu::InputError(fmt::format("unknown command '{}'{} (commands: {}; see fastgpu --help)", cmd,
                                        fastgpu::did_you_mean(cmd, known), fmt::join(known, ", ")));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return dispatch(Args(argv + 1, argv + argc));
  } catch (const fastgpu::InputError& e) {
    fmt::print(stderr, "fastgpu: error: {}\n", one_line(e.what()));
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "fastgpu: internal error: {}\n", one_line(e.what()));
    return 1;
  } catch (...) {
    fmt::print(stderr, "fastgpu: internal error: unknown exception\n");
    return 1;
  }
}
