#include "sim/run_limits.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/error.h"
#include "sim/run_result.h"

namespace fastgpu {

namespace {

// How to raise a limit, for the messages.
std::string raise_hint(const char* key) {
  return fmt::format(" (raise it in the config's [limits] table or with --set limits.{}=...)", key);
}

std::string job_label(const Workload& w, std::size_t i) {
  return i < w.job_names.size() ? fmt::format("job '{}'", w.job_names[i]) : fmt::format("job {}", w.jobs[i].id);
}

}  // namespace

static_assert(sizeof(TimeSample) == kSampleBytes);

std::uint64_t RunLimits::max_samples() const {
  const double rows = max_memory_gb * 1e9 / kSampleBytes;
  return rows >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(rows);
}

void RunLimits::check_plan(const Workload& workload, const ClusterSpec& cluster, Seconds monitor_interval) const {
  double fastest = 0;
  for (const GpuType& t : cluster.gpu_types) fastest = std::max(fastest, t.speed);
  Seconds horizon = 0;
  for (std::size_t i = 0; i < workload.jobs.size(); ++i) {
    const Job& j = workload.jobs[i];
    const Seconds earliest_start = workload.trace_fields_of(static_cast<JobIndex>(i)).earliest_start;
    // No slowdown is below 1, so no job finishes earlier than this.
    const Seconds earliest_finish = std::max(j.submit, earliest_start) + j.work / fastest;
    if (!(earliest_finish <= max_simulated_seconds))
      throw InputError(SourceLocation{"", 0, "limits.max_simulated_seconds"},
                       fmt::format("{} cannot finish before t = {:.6g} s (submit {:.6g} s, earliest start {:.6g} s, "
                                   "work {:.6g} s at the fastest GPU speed {:.6g}), beyond the run's limit of {:.6g} "
                                   "simulated seconds{}",
                                   job_label(workload, i), earliest_finish, j.submit, earliest_start, j.work,
                                   fastest, max_simulated_seconds, raise_hint("max_simulated_seconds")));
    horizon = std::max(horizon, earliest_finish);
  }
  const double rows = std::floor(horizon / monitor_interval);
  if (rows > static_cast<double>(max_samples()))
    throw InputError(SourceLocation{"", 0, "engine.monitor_interval"},
                     fmt::format("a sample every {:.6g} s over at least {:.6g} simulated seconds gives {:.6g} "
                                 "time-series rows ({:.3g} GB), beyond the run's limit of limits.max_memory_gb = "
                                 "{:g}{}",
                                 monitor_interval, horizon, rows, rows * kSampleBytes / 1e9, max_memory_gb,
                                 raise_hint("max_memory_gb")));
}

void RunLimits::fail_progress(Seconds now, std::uint64_t events, std::uint64_t samples) const {
  if (now > max_simulated_seconds)
    throw InputError(SourceLocation{"", 0, "limits.max_simulated_seconds"},
                     fmt::format("the run reached t = {:.6g} s, beyond its limit of {:.6g} simulated seconds{}", now,
                                 max_simulated_seconds, raise_hint("max_simulated_seconds")));
  if (events > max_events)
    throw InputError(SourceLocation{"", 0, "limits.max_events"},
                     fmt::format("the run applied more than {} events (at t = {:.6g} s){}", max_events, now,
                                 raise_hint("max_events")));
  throw InputError(SourceLocation{"", 0, "limits.max_memory_gb"},
                   fmt::format("the run's time series reached {} rows ({:.3g} GB, at t = {:.6g} s), beyond its limit "
                               "of {:g} GB{}",
                               samples, static_cast<double>(samples) * kSampleBytes / 1e9, now, max_memory_gb,
                               raise_hint("max_memory_gb")));
}

void RunLimits::check_job_times(const Workload& workload, const std::string& source) const {
  for (std::size_t i = 0; i < workload.jobs.size(); ++i) {
    const Job& j = workload.jobs[i];
    const std::pair<const char*, double> times[] = {
        {"submit", j.submit},
        {"earliest_start", workload.trace_fields_of(static_cast<JobIndex>(i)).earliest_start},
        {"work", j.work},
        {"deadline", j.has_deadline() ? j.deadline : 0}};
    for (const auto& [field, value] : times)
      if (std::abs(value) > max_simulated_seconds)
        throw InputError(SourceLocation{source, 0, field},
                         fmt::format("{}: {} = {:.6g} s is beyond the limit of {:.6g} simulated seconds "
                                     "(limits.max_simulated_seconds)",
                                     job_label(workload, i), field, value, max_simulated_seconds));
  }
}

}  // namespace fastgpu
