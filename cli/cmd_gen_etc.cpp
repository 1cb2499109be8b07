// fastgpu gen-etc: write an ETC instance of Braun et al.'s range-based family
// (policies/ga/braun_etc.h) in their file format, for `fastgpu solve` and
// bench/ga.
#include <fmt/format.h>

#include <stdexcept>

#include "cli/commands.h"
#include "cli/options.h"
#include "policies/ga/braun_etc.h"
#include "sim/error.h"
#include "sim/output_file.h"

namespace fastgpu::cli {

int gen_etc_command(const Args& args) {
  CommandLine cl("gen-etc", "--class u_X_YYZZ -o FILE [options]",
                 "Writes a T x M expected-time-to-compute instance of Braun et al.'s range-based family: one\n"
                 "value per line, task-major (the format `fastgpu solve` reads by default). Class u_X_YYZZ:\n"
                 "X = c (consistent), s (semi-consistent) or i (inconsistent); YY = task heterogeneity,\n"
                 "ZZ = machine heterogeneity, each hi or lo (docs/ga.md). Same class, seed and size give the\n"
                 "same file.",
                 kOutput | kQuiet);
  auto add = cl.options().add_options();
  add("class", po::value<std::string>()->value_name("u_X_YYZZ"), "instance class, e.g. u_c_hihi or u_i_lolo");
  add("seed,s", po::value<std::string>()->default_value("1"), "random seed");
  add("tasks", po::value<std::string>()->default_value("512"), "tasks T");
  add("machines", po::value<std::string>()->default_value("16"), "machines M");
  if (!cl.parse(args)) return 0;
  const auto& vm = cl.vm();
  if (!cl.has("class")) throw InputError("gen-etc: --class is required (see 'fastgpu gen-etc --help')");
  if (!cl.has("output")) throw InputError("gen-etc: -o FILE is required (see 'fastgpu gen-etc --help')");
  ga::BraunClass cls;
  try {
    cls = ga::parse_braun_class(vm["class"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw InputError(fmt::format("--class: {}", e.what()));
  }
  const std::uint64_t seed = parse_uint(vm["seed"].as<std::string>(), "--seed");
  const std::uint64_t tasks = parse_uint(vm["tasks"].as<std::string>(), "--tasks");
  const std::uint64_t machines = parse_uint(vm["machines"].as<std::string>(), "--machines");
  if (tasks < 1 || tasks > (1u << 24)) throw InputError(fmt::format("--tasks: expected 1 .. {}, got {}", 1u << 24, tasks));
  if (machines < 1 || machines > 4096) throw InputError(fmt::format("--machines: expected 1 .. 4096, got {}", machines));
  if (tasks * machines > (std::uint64_t{1} << 26))
    throw InputError(fmt::format("--tasks x --machines: at most {} values, got {}", std::uint64_t{1} << 26, tasks * machines));
  const std::string output = vm["output"].as<std::string>();
  write_output_file(output, ga::braun_text(ga::braun_etc(cls, seed, static_cast<std::uint32_t>(tasks),
                                                          static_cast<std::uint32_t>(machines))));
  if (!cl.quiet())
    fmt::print(stderr, "wrote {} ({} tasks x {} machines, seed {}) to {}\n", cls.name(), tasks, machines, seed, output);
  return 0;
}

}  // namespace fastgpu::cli
