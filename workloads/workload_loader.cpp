#include "workloads/workload_loader.h"

#include <filesystem>

#include <fmt/format.h>

#include "sim/error.h"
#include "workloads/synthetic.h"

namespace fastgpu {

Workload load_workload(const WorkloadSpec& spec, const ClusterSpec& cluster, std::uint64_t seed,
                       TraceReadReport* report) {
  Workload w;
  if (spec.kind == "synthetic") {
    w = generate_synthetic(spec.synthetic, cluster, seed);
    w.name = "synthetic";
  } else if (spec.kind == "trace") {
    if (spec.trace_paths.empty()) throw InputError(SourceLocation{"", 0, "workload.trace"}, "no trace files given");
    TraceReadOptions options;
    options.skip_bad_rows = spec.skip_bad_rows;
    options.gpus_per_proc = spec.gpus_per_proc;
    options.last_attempt_only = spec.last_attempt_only;
    options.sum_attempts = spec.sum_attempts;
    w = read_trace(spec.format, spec.trace_paths, options, report);
    w.name = std::filesystem::path(spec.trace_paths.front()).stem().string();
  } else {
    throw InputError(SourceLocation{"", 0, "workload.kind"},
                     fmt::format("unknown workload kind '{}' (synthetic, trace)", spec.kind));
  }
  if (!spec.name.empty()) w.name = spec.name;
  return w;
}

}  // namespace fastgpu
