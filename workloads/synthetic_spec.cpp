#include "workloads/synthetic_spec.h"

#include <cmath>

#include <fmt/format.h>

#include "sim/cluster_spec.h"
#include "sim/error.h"

namespace fastgpu {

namespace {

std::string key_of(const char* name) { return std::string("workload.") + name; }

void require(bool ok, const std::string& key, const std::string& what) {
  if (!ok) throw InputError(SourceLocation{"", 0, key}, what);
}

void at_least(double v, double lo, const char* name) {
  require(std::isfinite(v) && v >= lo, key_of(name), fmt::format("must be >= {}, got {}", lo, v));
}

void positive(double v, const char* name) {
  require(std::isfinite(v) && v > 0, key_of(name), fmt::format("must be > 0, got {}", v));
}

void positive_seconds(double v, const char* name) {
  require(std::isfinite(v) && v > 0, key_of(name), fmt::format("must be > 0 seconds, got {}", v));
}

void fraction(double v, const char* name) {
  require(v >= 0 && v <= 1, key_of(name), fmt::format("must be a fraction in [0, 1], got {}", v));
}

// `hi` is finite and not below `lo` (a range written as two keys).
void upper_bound(double hi, double lo, const char* hi_name, const char* lo_name) {
  require(std::isfinite(hi) && hi >= lo, key_of(hi_name),
          fmt::format("must be finite and >= {} ({}), got {}", lo_name, lo, hi));
}

// One weight per choice, each finite and >= 0, not all 0 (they are normalised).
void weights(const std::vector<double>& w, std::size_t n, const char* name, const char* of) {
  const std::string key = key_of(name);
  require(w.size() == n, key,
          fmt::format("has {} weights but {} has {} entries; give one weight per entry", w.size(), key_of(of), n));
  double sum = 0;
  for (double x : w) {
    require(std::isfinite(x) && x >= 0, key, fmt::format("weights must be finite and >= 0, got {}", x));
    sum += x;
  }
  require(sum > 0, key, "the weights sum to 0");
}

}  // namespace

void validate(const SyntheticSpec& s, const ClusterSpec& cluster) {
  require(s.jobs >= 1, key_of("jobs"), "must be >= 1, got 0");
  require(s.jobs < kNoJob, key_of("jobs"), fmt::format("must be at most {}, got {}", kNoJob - 1, s.jobs));

  require(s.arrival == "poisson" || s.arrival == "bursty" || s.arrival == "diurnal", key_of("arrival"),
          fmt::format("must be \"poisson\", \"bursty\" or \"diurnal\", got \"{}\"", s.arrival));
  at_least(s.rate, 0, "rate");
  if (s.rate == 0) {
    require(std::isfinite(s.load) && s.load > 0, key_of("load"), fmt::format("must be > 0 when rate = 0, got {}", s.load));
  }
  // The parameters of every arrival process are checked, used or not, so that
  // switching `arrival` (say in a sweep) cannot expose a bad value later.
  at_least(s.burst_factor, 1, "burst_factor");
  require(s.burst_fraction > 0 && s.burst_fraction < 1, key_of("burst_fraction"),
          fmt::format("must be in (0, 1), got {}", s.burst_fraction));
  if (s.arrival == "bursty") {
    // Outside bursts the rate is lowered to keep the mean; it cannot go below 0.
    require(s.burst_factor * s.burst_fraction <= 1 + 1e-12, key_of("burst_factor"),
            fmt::format("burst_factor x burst_fraction = {} exceeds 1: the average rate could not stay at `rate`",
                        s.burst_factor * s.burst_fraction));
  }
  positive_seconds(s.burst_period, "burst_period");
  fraction(s.diurnal_amplitude, "diurnal_amplitude");
  positive_seconds(s.diurnal_period, "diurnal_period");

  require(!s.gpu_counts.empty(), key_of("gpu_counts"), "needs at least one GPU count");
  for (std::size_t i = 0; i < s.gpu_counts.size(); ++i) {
    require(s.gpu_counts[i] >= 1, fmt::format("workload.gpu_counts[{}]", i), "a job needs at least 1 GPU, got 0");
  }
  weights(s.gpu_count_weights, s.gpu_counts.size(), "gpu_count_weights", "gpu_counts");

  require(s.duration == "lognormal" || s.duration == "trace", key_of("duration"),
          fmt::format("must be \"lognormal\" or \"trace\", got \"{}\"", s.duration));
  if (s.duration == "trace") {
    require(!s.duration_trace.empty(), key_of("duration_trace"), "duration = \"trace\" needs workload.duration_trace");
  }
  positive_seconds(s.duration_median, "duration_median");
  at_least(s.duration_sigma, 0, "duration_sigma");
  positive_seconds(s.duration_min, "duration_min");
  upper_bound(s.duration_max, s.duration_min, "duration_max", "duration_min");

  require(!s.priorities.empty(), key_of("priorities"), "needs at least one priority");
  weights(s.priority_weights, s.priorities.size(), "priority_weights", "priorities");

  fraction(s.deadline_fraction, "deadline_fraction");
  positive(s.deadline_slack_min, "deadline_slack_min");
  upper_bound(s.deadline_slack_max, s.deadline_slack_min, "deadline_slack_max", "deadline_slack_min");
  fraction(s.window_fraction, "window_fraction");
  require(std::isfinite(s.window_delay_max) && s.window_delay_max >= 0, key_of("window_delay_max"),
          fmt::format("must be >= 0 seconds, got {}", s.window_delay_max));

  require(s.users >= 1, key_of("users"), "must be >= 1, got 0");
  at_least(s.user_zipf, 0, "user_zipf");
  fraction(s.share_fraction, "share_fraction");
  fraction(s.preemptible_fraction, "preemptible_fraction");

  fraction(s.gpu_type_fraction, "gpu_type_fraction");
  for (std::size_t i = 0; i < s.gpu_type_choices.size(); ++i) {
    require(cluster.find_type(s.gpu_type_choices[i]) >= 0, fmt::format("workload.gpu_type_choices[{}]", i),
            fmt::format("the cluster has no GPU type '{}'", s.gpu_type_choices[i]));
  }
  require(s.gpu_type_fraction == 0 || !s.gpu_type_choices.empty(), key_of("gpu_type_choices"),
          "gpu_type_fraction > 0 needs at least one entry in gpu_type_choices");
}

}  // namespace fastgpu
