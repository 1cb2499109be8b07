// [failures]: hardware failures and repairs, from a failure trace or a seeded
// model with per-GPU-type MTBF and MTTR, and the checkpoint interval jobs
// resume from. Builds EngineOptions::failures.
#include <cmath>
#include <filesystem>
#include <memory>

#include "config/sections.h"
#include "workloads/failure_trace.h"

namespace fastgpu::config_reader {

namespace {

constexpr double kSecondsPerHour = 3600;

// Relative to the config file, as trace paths are.
std::string relative_to_config(const ReadContext& ctx, const std::string& key, const std::string& p) {
  std::filesystem::path fp(p);
  if (fp.is_absolute() || ctx.where(key).file == kOverrideFile) return p;
  return (ctx.dir / fp).lexically_normal().string();
}

void read_reliability(TableReader& t, FailureSettings::Reliability& r) {
  t.read("mtbf_hours", r.mtbf_hours);
  t.read("mttr_hours", r.mttr_hours);
}

}  // namespace

void read_failures(TableReader t, FailureSettings& f, ReadContext& ctx) {
  if (!t.present()) return;
  f.given = true;
  if (t.read("trace", f.trace)) f.trace = relative_to_config(ctx, t.key("trace"), f.trace);
  t.read("model", f.model);
  read_reliability(t, f.all_types);
  t.read("weibull_shape", f.weibull_shape);
  t.read("checkpoint_interval", f.checkpoint_interval);
  TableReader types = t.table("gpu_types");
  if (types.present()) {
    for (const auto& [name, node] : *types.raw()) {
      TableReader one = types.table(name.str());
      if (!one.present()) type_error(ctx, node, types.key(name.str()), "a table (mtbf_hours, mttr_hours)");
      FailureSettings::Reliability r;
      read_reliability(one, r);
      one.finish();
      f.per_type.emplace_back(std::string(name.str()), r);
    }
    types.finish();
  }
  t.finish();
}

void validate_failures(const FailureSettings& f, const ClusterSpec& cluster, EngineOptions& e, const ReadContext& ctx) {
  // model = "none" switches failures off (a baseline with --set failures.model=none).
  if (!f.given || (f.model == "none" && f.trace.empty())) return;
  auto spec = std::make_shared<FailureSpec>();
  const bool has_trace = !f.trace.empty(), has_model = !f.model.empty();
  ctx.check(has_trace != has_model, has_trace ? "failures.model" : "failures",
            has_trace ? "give either a failure trace (failures.trace) or a model (failures.model), not both"
                      : "give a failure trace (failures.trace = \"file.csv\") or a model (failures.model)");
  ctx.check(std::isfinite(f.checkpoint_interval) && f.checkpoint_interval >= 0, "failures.checkpoint_interval",
            fmt::format("must be >= 0 seconds of progress (0: no periodic checkpoints), got {}", f.checkpoint_interval));
  spec->checkpoint_interval = f.checkpoint_interval;
  if (has_trace) {
    spec->model = FailureModel::trace;
    spec->outages = read_failure_trace(f.trace, cluster);
    e.failures = std::move(spec);
    return;
  }
  if (f.model == "exponential") spec->model = FailureModel::exponential;
  else if (f.model == "weibull") spec->model = FailureModel::weibull;
  else ctx.fail("failures.model", fmt::format("must be \"exponential\", \"weibull\" or \"none\", got \"{}\"", f.model));
  ctx.check(std::isfinite(f.weibull_shape) && f.weibull_shape > 0, "failures.weibull_shape",
            fmt::format("must be > 0, got {}", f.weibull_shape));
  spec->weibull_shape = f.weibull_shape;
  auto check = [&](const FailureSettings::Reliability& r, const std::string& prefix) {
    // An MTBF not written means "never fails" only for a per-type table that omits it.
    ctx.check(std::isnan(r.mtbf_hours) || r.mtbf_hours > 0, prefix + "mtbf_hours",
              fmt::format("must be > 0 hours (mean time between failures of one GPU), got {}", r.mtbf_hours));
    ctx.check(std::isnan(r.mttr_hours) || (std::isfinite(r.mttr_hours) && r.mttr_hours >= 0), prefix + "mttr_hours",
              fmt::format("must be >= 0 hours (mean repair time), got {}", r.mttr_hours));
  };
  check(f.all_types, "failures.");
  spec->reliability.assign(cluster.gpu_types.size(), TypeReliability{});
  for (TypeReliability& r : spec->reliability) {
    if (!std::isnan(f.all_types.mtbf_hours)) r.mtbf = f.all_types.mtbf_hours * kSecondsPerHour;
    if (!std::isnan(f.all_types.mttr_hours)) r.mttr = f.all_types.mttr_hours * kSecondsPerHour;
  }
  bool any = !std::isnan(f.all_types.mtbf_hours);
  for (const auto& [name, r] : f.per_type) {
    const std::string prefix = "failures.gpu_types." + name + ".";
    const int t = cluster.find_type(name);
    ctx.check(t >= 0, "failures.gpu_types." + name, fmt::format("no GPU type '{}' in [cluster]", name));
    check(r, prefix);
    if (!std::isnan(r.mtbf_hours)) spec->reliability[t].mtbf = r.mtbf_hours * kSecondsPerHour;
    if (!std::isnan(r.mttr_hours)) spec->reliability[t].mttr = r.mttr_hours * kSecondsPerHour;
    any |= !std::isnan(r.mtbf_hours);
  }
  ctx.check(any, "failures.mtbf_hours", "a failure model needs mtbf_hours (for all GPU types or per type)");
  e.failures = std::move(spec);
}

}  // namespace fastgpu::config_reader
