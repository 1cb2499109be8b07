#include "workloads/workload_loader.h"

#include <algorithm>
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
    TraceReadReport local;
    TraceReadReport& r = report ? *report : local;
    w = read_trace(spec.format, spec.trace_paths, options, &r);
    require_jobs_kept(w, spec.format, spec.trace_paths, r);
    require_known_vcs(w, cluster, spec.trace_paths);
    w.name = std::filesystem::path(spec.trace_paths.front()).stem().string();
  } else {
    throw InputError(SourceLocation{"", 0, "workload.kind"},
                     fmt::format("unknown workload kind '{}' (synthetic, trace)", spec.kind));
  }
  if (!spec.name.empty()) w.name = spec.name;
  return w;
}

void require_known_vcs(const Workload& w, const ClusterSpec& cluster, const std::vector<std::string>& paths) {
  if (cluster.vcs.empty() || w.vcs.empty()) return;  // without [[cluster.vcs]] a trace's VCs are not used
  std::vector<std::string> defined;
  for (const VirtualCluster& vc : cluster.vcs) defined.push_back(vc.name);
  for (std::size_t k = 0; k < w.vcs.size(); ++k) {
    if (std::find(defined.begin(), defined.end(), w.vcs[k]) != defined.end()) continue;
    const auto job = std::find_if(w.jobs.begin(), w.jobs.end(), [&](const Job& j) { return j.vc == k + 1; });
    const std::string source =
        paths.size() == 1 ? paths.front() : fmt::format("{} (+{} more)", paths.front(), paths.size() - 1);
    throw InputError(SourceLocation{source, 0, "vc"},
                     fmt::format("virtual cluster '{}' (job id {}) is not defined in [[cluster.vcs]] (defined: {})",
                                 w.vcs[k], job == w.jobs.end() ? -1 : job->id, fmt::join(defined, ", ")));
  }
}

void require_jobs_kept(const Workload& w, const std::string& format, const std::vector<std::string>& paths,
                       const TraceReadReport& report) {
  if (!w.jobs.empty()) return;
  const std::string source =
      paths.size() == 1 ? paths.front() : fmt::format("{} (+{} more)", paths.front(), paths.size() - 1);
  if (report.rows == 0)
    throw InputError(SourceLocation{source, 0, ""}, fmt::format("no data rows: no job to simulate (format '{}')", format));
  std::string why;
  for (const auto& [reason, count] : report.skipped)
    why += fmt::format("{}{} {}", why.empty() ? "" : ", ", count, reason);
  throw InputError(SourceLocation{source, 0, ""},
                   fmt::format("0 of {} data rows kept as jobs (format '{}'; skipped: {}): no job to simulate",
                               report.rows, format, why.empty() ? "none" : why));
}

}  // namespace fastgpu
