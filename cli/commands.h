#pragma once
// The subcommands of the `fastgpu` executable. Each lives in its own file
// (cmd_<name>.cpp), parses its own options with Boost.Program_options and
// returns the process exit code: 0 success, 2 bad input, 1 internal error.
// `args` excludes the program and subcommand names.
#include <string>
#include <vector>

namespace fastgpu::experiments {}

namespace fastgpu::cli {

// The commands are thin layers over the experiments library.
using namespace fastgpu::experiments;

using Args = std::vector<std::string>;

int run_command(const Args& args);       // fastgpu run CONFIG ...
int compare_command(const Args& args);   // fastgpu compare CONFIG ...
int gen_command(const Args& args);       // fastgpu gen CONFIG -o trace.csv
int policies_command(const Args& args);  // fastgpu policies
int solve_command(const Args& args);     // fastgpu solve ETC_FILE --policy ga|min-min|... (static ETC instance)
int gen_etc_command(const Args& args);   // fastgpu gen-etc --class u_c_hihi -o FILE (Braun et al.'s ETC family)

int convert_command(const Args& args);  // fastgpu convert --format F IN... -o trace.csv
int regress_command(const Args& args);  // fastgpu regress RESULTS.h5 --baseline FILE [--update]
int pack_command(const Args& args);     // fastgpu pack CONFIG (packing workload: placements x pod lists x seeds)
int export_command(const Args& args);   // fastgpu export RESULTS.h5 --to csv DIR

}  // namespace fastgpu::cli
