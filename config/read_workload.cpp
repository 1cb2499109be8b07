// [workload]: trace files or the synthetic generator's parameters (the same
// table holds both; the generator's are validated only for kind = "synthetic").
#include <cmath>
#include <filesystem>

#include "config/sections.h"
#include "workloads/synthetic_spec.h"

namespace fastgpu::config_reader {

namespace {

// Paths written in the file are relative to the file; paths given with --set
// are relative to the working directory, where the user typed them.
std::string resolve_path(const ReadContext& ctx, const std::string& key, const std::string& p) {
  std::filesystem::path fp(p);
  if (fp.is_absolute() || ctx.where(key).file == kOverrideFile) return p;
  return (ctx.dir / fp).lexically_normal().string();
}

}  // namespace

void read_workload(TableReader t, WorkloadSpec& w, ReadContext& ctx) {
  const bool kind_given = t.read("kind", w.kind);
  t.read("name", w.name);
  if (const toml::node* n = t.node("trace")) {
    const std::string key = t.key("trace");
    if (n->is_string()) {
      std::string p;
      convert(ctx, *n, key, p);
      w.trace_paths = {p};
    } else if (n->is_array()) {
      convert(ctx, *n, key, w.trace_paths);
    } else {
      type_error(ctx, *n, key, "a string or an array of strings (trace file paths)");
    }
    for (std::string& p : w.trace_paths) p = resolve_path(ctx, key, p);
    if (!kind_given) w.kind = "trace";
  }
  t.read("format", w.format);
  t.read("skip_bad_rows", w.skip_bad_rows);
  t.read("gpus_per_proc", w.gpus_per_proc);
  t.read("last_attempt_only", w.last_attempt_only);
  t.read("sum_attempts", w.sum_attempts);

  SyntheticSpec& s = w.synthetic;
  t.read("jobs", s.jobs);
  t.read("arrival", s.arrival);
  t.read("rate", s.rate);
  t.read("load", s.load);
  t.read("burst_factor", s.burst_factor);
  t.read("burst_fraction", s.burst_fraction);
  t.read("burst_period", s.burst_period);
  t.read("diurnal_amplitude", s.diurnal_amplitude);
  t.read("diurnal_period", s.diurnal_period);
  // A list of choices without weights means equally likely choices.
  const bool counts = t.read("gpu_counts", s.gpu_counts);
  if (!t.read("gpu_count_weights", s.gpu_count_weights) && counts) s.gpu_count_weights.assign(s.gpu_counts.size(), 1.0);
  t.read("duration", s.duration);
  t.read("duration_median", s.duration_median);
  t.read("duration_sigma", s.duration_sigma);
  t.read("duration_min", s.duration_min);
  t.read("duration_max", s.duration_max);
  if (t.read("duration_trace", s.duration_trace)) s.duration_trace = resolve_path(ctx, t.key("duration_trace"), s.duration_trace);
  const bool prios = t.read("priorities", s.priorities);
  if (!t.read("priority_weights", s.priority_weights) && prios) s.priority_weights.assign(s.priorities.size(), 1.0);
  t.read("deadline_fraction", s.deadline_fraction);
  t.read("deadline_slack_min", s.deadline_slack_min);
  t.read("deadline_slack_max", s.deadline_slack_max);
  t.read("window_fraction", s.window_fraction);
  t.read("window_delay_max", s.window_delay_max);
  t.read("users", s.users);
  t.read("user_zipf", s.user_zipf);
  t.read("share_fraction", s.share_fraction);
  t.read("preemptible_fraction", s.preemptible_fraction);
  t.read("gpu_type_choices", s.gpu_type_choices);
  t.read("gpu_type_fraction", s.gpu_type_fraction);
  read_packing(t, w.packing, ctx);
  t.finish();
}

void validate_workload(WorkloadSpec& w, const ClusterSpec& cluster, const ReadContext& ctx) {
  auto k = [](const char* name) { return std::string("workload.") + name; };
  ctx.check(w.kind == "synthetic" || w.kind == "trace" || w.kind == "packing", k("kind"),
            fmt::format("must be \"synthetic\", \"trace\" or \"packing\", got \"{}\"", w.kind));
  validate_packing(w, ctx);
  if (w.kind == "trace") {
    ctx.check(!w.trace_paths.empty(), k("trace"), "kind = \"trace\" needs workload.trace (a path or a list of paths)");
    ctx.check(!w.format.empty(), k("format"), "must name a trace format");
  } else {
    ctx.check(w.trace_paths.empty(), k("trace"), "a trace is given but workload.kind = \"synthetic\"");
  }
  ctx.check(std::isfinite(w.gpus_per_proc) && w.gpus_per_proc > 0, k("gpus_per_proc"),
            fmt::format("must be > 0, got {}", w.gpus_per_proc));
  ctx.check(!(w.last_attempt_only && w.sum_attempts), k("sum_attempts"),
            "last_attempt_only and sum_attempts ask for different single runs: set one");
  if (w.name.empty()) {
    w.name = w.kind == "trace"     ? std::filesystem::path(w.trace_paths.front()).stem().string()
             : w.kind == "packing" ? std::filesystem::path(w.packing.pod_lists.front()).stem().string()
                                   : w.kind;
  }
  ctx.check(w.name.find('/') == std::string::npos, k("name"), "must not contain '/' (it names an HDF5 group)");

  // A trace brings its own jobs: the generator's parameters, defaults included,
  // are not used and must not reject the config.
  if (w.kind != "synthetic") return;
  const SyntheticSpec& s = w.synthetic;
  try {
    validate(s, cluster);
  } catch (const InputError& e) {
    ctx.fail_at_key(e);
  }
  // The generator allows jobs larger than the cluster (the engine rejects
  // them); in a config they can only be a mistake.
  for (std::size_t i = 0; i < s.gpu_counts.size(); ++i) {
    ctx.check(s.gpu_counts[i] <= cluster.num_gpus(), fmt::format("workload.gpu_counts[{}]", i),
              fmt::format("{} GPUs is more than the cluster has ({})", s.gpu_counts[i], cluster.num_gpus()));
  }
}

}  // namespace fastgpu::config_reader
