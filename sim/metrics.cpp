#include "sim/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <variant>

#include "sim/deadline.h"
#include "sim/error.h"
#include "sim/huge_pages.h"
#include "sim/rank_select.h"

namespace fastgpu {

namespace {

// Bounded slowdown counts shorter runtimes as this long (seconds), so that very
// short jobs do not dominate the mean.
constexpr Seconds kBoundedSlowdownFloor = 10.0;
constexpr double kJoulesPerKwh = 3.6e6;
constexpr double kSecondsPerHour = 3600.0;

double slowdown_of(const JobRecord& j) {
  // A job without work has no meaningful slowdown; 1 keeps the mean finite.
  return j.runtime_alone > 0 ? j.jct() / j.runtime_alone : 1.0;
}

double bounded_slowdown_of(const JobRecord& j) {
  return std::max(1.0, j.jct() / std::max(j.runtime_alone, kBoundedSlowdownFloor));
}

double mean_of(std::span<const double> v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

struct Stats { double mean = 0, p50 = 0, p90 = 0, p99 = 0; };

// 1-based nearest rank of percentile `percent` among n values: ceil(p * n / 100)
// in integers, so that e.g. p90 of 10 values is exactly rank 9.
std::size_t nearest_rank(std::size_t n, unsigned percent) {
  return std::max<std::size_t>(1, (static_cast<std::size_t>(percent) * n + 99) / 100);
}

// Mean and nearest-rank percentiles; reorders v.
Stats stats_of(std::span<double> v) {
  Stats s;
  if (v.empty()) return s;
  s.mean = mean_of(v);
  const std::array<std::size_t, 3> ranks = {nearest_rank(v.size(), 50) - 1, nearest_rank(v.size(), 90) - 1,
                                            nearest_rank(v.size(), 99) - 1};
  std::array<double, 3> at{};
  select_ranks(v, ranks, at);
  s.p50 = at[0], s.p90 = at[1], s.p99 = at[2];
  return s;
}

// Per user: (sum of slowdowns, finished jobs).
using UserSlowdowns = std::vector<std::pair<double, std::uint64_t>>;

// Jain's index (sum x)^2 / (n sum x^2) over the users' mean slowdowns x; 1
// when there is no user (or all x are 0). Users are summed in table order, so
// the result is deterministic.
double jain_of(const UserSlowdowns& per_user) {
  double sum = 0, sum_sq = 0, users = 0;
  for (const auto& [total, jobs] : per_user) {
    if (jobs == 0) continue;
    const double x = total / static_cast<double>(jobs);
    sum += x, sum_sq += x * x, users += 1;
  }
  return sum_sq > 0 ? sum * sum / (users * sum_sq) : 1.0;
}

// The same for sparse user ids (hand-made records), from (user, slowdown)
// pairs of finished jobs: grouped by sorting.
double jain_over_sparse_users(std::vector<std::pair<std::uint32_t, double>>& user_slowdown) {
  std::sort(user_slowdown.begin(), user_slowdown.end());
  UserSlowdowns per_user;
  for (std::size_t i = 0; i < user_slowdown.size(); ++i) {
    if (i == 0 || user_slowdown[i].first != user_slowdown[i - 1].first) per_user.emplace_back(0.0, 0);
    per_user.back().first += user_slowdown[i].second, ++per_user.back().second;
  }
  return jain_of(per_user);
}

// Users are indices into Workload::users, a dense table (summed per user in
// job order, O(n)), unless the largest id is far beyond the number of jobs.
bool users_dense(std::uint32_t max_user, std::uint64_t finished_jobs) {
  return max_user <= 2 * finished_jobs + 65536;
}

// Checks that the engine's raw accounting is self-consistent, so every formula
// below can index without further checks.
void check_accounting(const RunResult& r) {
  const auto fail = [&](const std::string& what) {
    throw InternalError(fmt::format("RunResult of policy '{}' on '{}': {}", r.policy, r.workload, what));
  };
  if (r.gpu_offset.size() != r.jobs.size() + 1)
    fail(fmt::format("gpu_offset has {} entries for {} jobs (needs jobs + 1)", r.gpu_offset.size(),
                     r.jobs.size()));
  if (r.gpu_offset.front() != 0 || r.gpu_offset.back() != r.gpu_arena.size() ||
      !std::is_sorted(r.gpu_offset.begin(), r.gpu_offset.end()))
    fail("gpu_offset is not a valid CSR offset table over gpu_arena");
  for (GpuIndex g : r.gpu_arena)
    if (g >= r.num_gpus) fail(fmt::format("GPU index {} out of range (num_gpus {})", g, r.num_gpus));
  if (r.gpu_busy_seconds.size() != r.num_gpus)
    fail(fmt::format("gpu_busy_seconds has {} entries for {} GPUs", r.gpu_busy_seconds.size(), r.num_gpus));
  const std::size_t types = r.type_gpu_count.size();
  if (r.type_busy_gpu_seconds.size() != types || r.type_idle_watts.size() != types ||
      r.type_busy_watts.size() != types || r.type_price_per_hour.size() != types)
    fail("per-type accounting vectors differ in length");
  const auto counted = std::accumulate(r.type_gpu_count.begin(), r.type_gpu_count.end(), std::uint64_t{0});
  if (counted != r.num_gpus) fail(fmt::format("type_gpu_count sums to {}, num_gpus is {}", counted, r.num_gpus));
  for (std::size_t i = 0; i < r.jobs.size(); ++i) {
    const JobRecord& j = r.jobs[i];
    if (j.outcome != JobOutcome::finished) continue;
    if (!std::isfinite(j.first_start) || !std::isfinite(j.end) || !std::isfinite(j.runtime_alone) ||
        j.runtime_alone < 0)
      fail(fmt::format("finished job {} (id {}) lacks a start, an end or its runtime_alone", i, j.id));
  }
}

// Mean of the samples' load variance over time: each sample stands for its
// window (since the previous sample; the first window begins at the first
// submit, where the monitor starts), so a short last window counts for its
// length only. Samples all at one instant fall back to their plain mean.
// `first_submit`: the earliest submit of any job, finished or not.
double time_average_load_variance(const RunResult& r, Seconds first_submit) {
  if (r.timeseries.empty()) return 0.0;
  Seconds window_start = std::min(r.timeseries.front().time, first_submit);
  const Seconds span = r.timeseries.back().time - window_start;
  double weighted = 0, plain = 0;
  for (const TimeSample& t : r.timeseries) {
    weighted += t.load_variance * (t.time - window_start);
    plain += t.load_variance;
    window_start = t.time;
  }
  return span > 0 ? weighted / span : plain / static_cast<double>(r.timeseries.size());
}

}  // namespace

double responsiveness(std::span<const double> completion, std::span<const double> load, double alpha) {
  if (completion.size() != load.size())
    throw InternalError(
        fmt::format("responsiveness: {} completion times but {} loads", completion.size(), load.size()));
  double f = 0;
  for (std::size_t i = 0; i < completion.size(); ++i) {
    const double denom = completion[i] + alpha * load[i];
    if (denom != 0) f += 1.0 / denom;
  }
  return f;
}

double busy_variance(std::span<const double> loads) {
  if (loads.empty()) return 0;
  const double mean = mean_of(loads);
  double sq = 0;  // two passes: no cancellation for loads close to their mean
  for (double l : loads) sq += (l - mean) * (l - mean);
  return sq / static_cast<double>(loads.size());
}

std::string current_metric_name(std::string_view name) {
  if (name == "seed_F") return "responsiveness";
  if (name == "seed_L") return "busy_variance";
  return std::string(name);
}

double nearest_rank_percentile(std::span<const double> sorted, unsigned percent) {
  if (sorted.empty() || percent == 0 || percent > 100)
    throw InternalError("nearest_rank_percentile: empty data or percent outside 1..100");
  return sorted[nearest_rank(sorted.size(), percent) - 1];
}

void compute_summary(RunResult& r, double responsiveness_alpha) {
  check_accounting(r);
  Summary& s = r.summary;

  // Job counts, makespan window and per-job times over finished jobs.
  s.jobs_total = r.jobs.size();
  s.jobs_completed = s.jobs_rejected = 0;
  s.deadline_jobs = s.deadline_misses = 0;
  Seconds first_submit = kNever, last_end = -kNever;
  Seconds first_submit_of_any = kNever;  // rejected jobs too: the time series' first window
  // One table for both per-job series (at a million jobs each is 8 MB): the
  // waits first, then, once their percentiles are taken, the JCTs.
  std::vector<double> times;
  reserve_huge_pages(times, r.jobs.size());
  double slowdown_sum = 0, bounded_sum = 0, final_wait_sum = 0;
  s.failed_attempts = 0;
  s.failed_gpu_seconds = 0;
  s.failure_stops = 0;
  s.lost_gpu_seconds = s.useful_gpu_seconds = 0;
  // Slowdowns summed per user as the jobs are read (the dense table); the
  // table stops growing past any id a dense table could have.
  UserSlowdowns per_user;
  std::uint32_t max_user = 0;
  const std::uint64_t dense_bound = 2 * static_cast<std::uint64_t>(r.jobs.size()) + 65536;
  for (const JobRecord& j : r.jobs) {
    const bool finished = j.outcome == JobOutcome::finished;
    first_submit_of_any = std::min(first_submit_of_any, j.submit);
    if (j.deadline != kNever) {
      ++s.deadline_jobs;
      if (!finished || !meets_deadline(j.end, j.deadline)) ++s.deadline_misses;
    }
    s.failed_attempts += j.failed_attempts();
    s.failed_gpu_seconds += j.failed_gpu_seconds;
    s.failure_stops += j.failure_stops;
    s.lost_gpu_seconds += j.lost_gpu_seconds;
    s.useful_gpu_seconds += j.useful_gpu_seconds;
    if (!finished) {
      ++s.jobs_rejected;
      continue;
    }
    ++s.jobs_completed;
    final_wait_sum += j.final_wait();
    first_submit = std::min(first_submit, j.submit);
    last_end = std::max(last_end, j.end);
    times.push_back(j.wait());
    const double sd = slowdown_of(j);
    slowdown_sum += sd;
    bounded_sum += bounded_slowdown_of(j);
    max_user = std::max(max_user, j.user);
    if (j.user <= dense_bound) {
      if (j.user >= per_user.size()) per_user.resize(j.user + std::size_t{1});
      per_user[j.user].first += sd, ++per_user[j.user].second;
    }
  }
  const auto completed = static_cast<double>(s.jobs_completed);
  s.makespan = s.jobs_completed > 0 ? last_end - first_submit : 0.0;
  s.slowdown_mean = s.jobs_completed > 0 ? slowdown_sum / completed : 0.0;
  s.bounded_slowdown_mean = s.jobs_completed > 0 ? bounded_sum / completed : 0.0;
  s.final_wait_mean = s.jobs_completed > 0 ? final_wait_sum / completed : 0.0;
  s.deadline_miss_rate =
      s.deadline_jobs > 0 ? static_cast<double>(s.deadline_misses) / static_cast<double>(s.deadline_jobs) : 0.0;

  const Stats wait_stats = stats_of(times);

  // The JCTs in job order (seed F's sum is taken in that order), then their percentiles.
  std::vector<double> busy_fraction(r.num_gpus, 0.0);
  if (s.makespan > 0)
    for (GpuIndex g = 0; g < r.num_gpus; ++g) busy_fraction[g] = r.gpu_busy_seconds[g] / s.makespan;
  // The sum of responsiveness(), term by term in job order, without a table of loads.
  double responsive = 0;
  times.clear();
  for (JobIndex i = 0; i < r.jobs.size(); ++i) {
    if (r.jobs[i].outcome != JobOutcome::finished) continue;
    const double jct = r.jobs[i].jct();
    times.push_back(jct);
    const auto gpus = r.gpus_of(i);
    double load = 0;
    for (GpuIndex g : gpus) load += busy_fraction[g];
    const double job_load = gpus.empty() ? 0.0 : load / static_cast<double>(gpus.size());
    const double denom = jct + responsiveness_alpha * job_load;
    if (denom != 0) responsive += 1.0 / denom;
  }
  s.responsiveness = responsive;
  s.busy_variance = busy_variance(busy_fraction);

  const Stats jct_stats = stats_of(times);
  s.jct_mean = jct_stats.mean, s.jct_p50 = jct_stats.p50, s.jct_p90 = jct_stats.p90, s.jct_p99 = jct_stats.p99;
  s.wait_mean = wait_stats.mean, s.wait_p50 = wait_stats.p50, s.wait_p90 = wait_stats.p90,
  s.wait_p99 = wait_stats.p99;

  if (users_dense(max_user, s.jobs_completed)) {
    s.fairness_jain = jain_of(per_user);
  } else {
    std::vector<std::pair<std::uint32_t, double>> user_slowdown;  // (user, slowdown)
    for (const JobRecord& j : r.jobs)
      if (j.outcome == JobOutcome::finished) user_slowdown.emplace_back(j.user, slowdown_of(j));
    s.fairness_jain = jain_over_sparse_users(user_slowdown);
  }

  // Utilisation, energy and cost from the busy-time accounting.
  s.busy_gpu_seconds = std::accumulate(r.gpu_busy_seconds.begin(), r.gpu_busy_seconds.end(), 0.0);
  const double capacity = static_cast<double>(r.num_gpus) * s.makespan;  // GPU-seconds
  s.utilisation = capacity > 0 ? s.busy_gpu_seconds / capacity : 0.0;
  s.goodput_utilisation = capacity > 0 ? s.useful_gpu_seconds / capacity : 0.0;
  double joules = 0, cost = 0;
  for (std::size_t t = 0; t < r.type_gpu_count.size(); ++t) {
    const double busy = r.type_busy_gpu_seconds[t];
    // Busy time outside the makespan window (a job that ran, then was
    // rejected) could exceed the window's capacity; idle time is never negative.
    const double idle = std::max(0.0, r.type_gpu_count[t] * s.makespan - busy);
    joules += busy * r.type_busy_watts[t] + idle * r.type_idle_watts[t];
    cost += busy / kSecondsPerHour * r.type_price_per_hour[t];
  }
  s.energy_kwh = joules / kJoulesPerKwh;
  s.cost = cost;

  s.load_variance_mean = time_average_load_variance(r, first_submit_of_any);

  s.events_per_second = s.wall_seconds > 0 ? static_cast<double>(s.events) / s.wall_seconds : 0.0;
}

namespace {

using FieldPtr = std::variant<double Summary::*, std::uint64_t Summary::*>;
struct FieldDef {
  const char* name;
  FieldPtr ptr;
};

// THE list of summary fields (order = column order in tables and files).
const FieldDef kSummaryFields[] = {
    {"makespan", &Summary::makespan},
    {"jobs_total", &Summary::jobs_total},
    {"jobs_completed", &Summary::jobs_completed},
    {"jobs_rejected", &Summary::jobs_rejected},
    {"jct_mean", &Summary::jct_mean},
    {"jct_p50", &Summary::jct_p50},
    {"jct_p90", &Summary::jct_p90},
    {"jct_p99", &Summary::jct_p99},
    {"wait_mean", &Summary::wait_mean},
    {"wait_p50", &Summary::wait_p50},
    {"wait_p90", &Summary::wait_p90},
    {"wait_p99", &Summary::wait_p99},
    {"slowdown_mean", &Summary::slowdown_mean},
    {"bounded_slowdown_mean", &Summary::bounded_slowdown_mean},
    {"utilisation", &Summary::utilisation},
    {"load_variance_mean", &Summary::load_variance_mean},
    {"reservation_hits", &Summary::reservation_hits},
    {"reservation_misses", &Summary::reservation_misses},
    {"reserved_idle_gpu_seconds", &Summary::reserved_idle_gpu_seconds},
    {"deadline_jobs", &Summary::deadline_jobs},
    {"deadline_misses", &Summary::deadline_misses},
    {"deadline_miss_rate", &Summary::deadline_miss_rate},
    {"fairness_jain", &Summary::fairness_jain},
    {"responsiveness", &Summary::responsiveness},
    {"busy_variance", &Summary::busy_variance},
    {"energy_kwh", &Summary::energy_kwh},
    {"cost", &Summary::cost},
    {"preemptions", &Summary::preemptions},
    {"migrations", &Summary::migrations},
    {"failed_attempts", &Summary::failed_attempts},
    {"failed_gpu_seconds", &Summary::failed_gpu_seconds},
    {"final_wait_mean", &Summary::final_wait_mean},
    {"hardware_failures", &Summary::hardware_failures},
    {"failure_stops", &Summary::failure_stops},
    {"lost_gpu_seconds", &Summary::lost_gpu_seconds},
    {"useful_gpu_seconds", &Summary::useful_gpu_seconds},
    {"goodput_utilisation", &Summary::goodput_utilisation},
    {"busy_gpu_seconds", &Summary::busy_gpu_seconds},
    {"scheduler_seconds", &Summary::scheduler_seconds},
    {"wall_seconds", &Summary::wall_seconds},
    {"events", &Summary::events},
    {"events_per_second", &Summary::events_per_second},
};

// A new Summary field must be listed above (all fields are 8 bytes wide).
static_assert(sizeof(Summary) == 8 * (sizeof(kSummaryFields) / sizeof(kSummaryFields[0])),
              "Summary changed: list every field in kSummaryFields");

}  // namespace

std::vector<std::pair<std::string, double>> summary_fields(const Summary& s) {
  std::vector<std::pair<std::string, double>> out;
  out.reserve(std::size(kSummaryFields));
  for (const FieldDef& f : kSummaryFields)
    out.emplace_back(f.name, std::visit([&](auto ptr) { return static_cast<double>(s.*ptr); }, f.ptr));
  return out;
}

}  // namespace fastgpu
