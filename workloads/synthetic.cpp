#include "workloads/synthetic.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <numeric>
#include <string>

#include <fmt/format.h>

#include "sim/error.h"
#include "sim/parse_number.h"
#include "sim/stable_random.h"
#include "workloads/csv_scanner.h"

namespace fastgpu {

namespace {

// --- random numbers -----------------------------------------------------------
// Philox4x32-10 is counter-based: a draw is a pure function of (seed, counter),
// and the transforms below are written out (std:: distributions differ between
// standard libraries). Only std::log/exp/cos/sqrt remain, which glibc computes
// to within an ulp everywhere.

enum Stream : std::uint32_t {
  kArrivals = 1, kGpus, kDuration, kPriority, kDeadline, kWindow, kUser, kShare, kPreempt, kGpuType
};

class Philox {
 public:
  explicit Philox(std::uint64_t seed) : key_(philox_key(seed)) {}
  // Two independent uniforms in [0, 1), 53 bits each, for (counter, stream).
  std::array<double, 2> uniforms(std::uint64_t counter, Stream s) const {
    const PhiloxBlock r =
        philox_block(key_, static_cast<std::uint32_t>(counter), static_cast<std::uint32_t>(counter >> 32), s, 0);
    return {uniform53(r.v[0], r.v[1]), uniform53(r.v[2], r.v[3])};
  }

 private:
  PhiloxKey key_;
};

double exponential(double u) { return -std::log1p(-u); }  // mean 1; u in [0, 1)
double standard_normal(double u1, double u2) {           // Box-Muller, one of the pair
  return std::sqrt(-2.0 * std::log1p(-u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// A sequential stream of uniforms (for the arrival process, whose number of
// draws per job varies).
class UniformStream {
 public:
  UniformStream(const Philox& rng, Stream s) : rng_(rng), stream_(s) {}
  double next() {
    if (have_ == 0) {
      buf_ = rng_.uniforms(counter_++, stream_);
      have_ = 2;
    }
    return buf_[2 - have_--];
  }

 private:
  const Philox& rng_;
  Stream stream_;
  std::uint64_t counter_ = 0;
  std::array<double, 2> buf_{};
  int have_ = 0;
};

// Index drawn from a cumulative weight table.
std::size_t pick(const std::vector<double>& cumulative, double u) {
  const double x = u * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), x);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

// Cumulative weights of a weight table that validate() has accepted.
std::vector<double> cumulative_weights(const std::vector<double>& w) {
  std::vector<double> c(w.size());
  double sum = 0;
  for (std::size_t i = 0; i < w.size(); ++i) c[i] = sum += w[i];
  return c;
}

// --- arrival processes ----------------------------------------------------------

// Inter-arrival generator: next() returns the next arrival time (seconds).
class Arrivals {
 public:
  Arrivals(const SyntheticSpec& s, double rate, const Philox& rng)
      : s_(s), kind_(s.arrival == "bursty" ? kBursty : s.arrival == "diurnal" ? kDiurnal : kPoisson), rate_(rate),
        u_(rng, kArrivals) {
    if (kind_ == kBursty) {
      // On/off modulated Poisson. In bursts (a fraction f of the time) the rate
      // is rate x B; outside it is set so the long-run mean stays `rate`:
      // f rB + (1-f) r_off = r.  State lengths are exponential, so the process
      // is a Markov-modulated Poisson process and the state at t = 0 is drawn
      // from its stationary law (on with probability f).
      const double f = s.burst_fraction;
      on_rate_ = rate * s.burst_factor;
      off_rate_ = std::max(0.0, rate * (1 - s.burst_factor * f) / (1 - f));
      on_ = u_.next() < f;
      state_end_ = state_length();
    }
  }

  double next() {
    if (kind_ == kPoisson) return t_ += exponential(u_.next()) / rate_;
    if (kind_ == kBursty) {
      for (;;) {
        const double r = on_ ? on_rate_ : off_rate_;
        if (r > 0) {
          const double dt = exponential(u_.next()) / r;
          if (t_ + dt <= state_end_) return t_ += dt;
        }
        // Memoryless: the arrival clock restarts at the state change.
        t_ = state_end_;
        on_ = !on_;
        state_end_ = t_ + state_length();
      }
    }
    // Diurnal: thinning (Lewis & Shedler) of a Poisson process at the peak rate.
    const double a = s_.diurnal_amplitude, peak = rate_ * (1 + a);
    for (;;) {
      t_ += exponential(u_.next()) / peak;
      const double rate_now = rate_ * (1 + a * std::sin(2 * std::numbers::pi * t_ / s_.diurnal_period));
      if (u_.next() * peak < rate_now) return t_;
    }
  }

 private:
  double state_length() {
    const double mean = (on_ ? s_.burst_fraction : 1 - s_.burst_fraction) * s_.burst_period;
    return exponential(u_.next()) * mean;
  }

  const SyntheticSpec& s_;
  enum Kind { kPoisson, kBursty, kDiurnal } kind_;
  double rate_;
  UniformStream u_;
  double t_ = 0;
  bool on_ = false;
  double on_rate_ = 0, off_rate_ = 0, state_end_ = 0;
};

// --- durations ----------------------------------------------------------------

struct Durations {
  std::vector<double> samples;  // duration = trace: clamped runtimes
  double mean = 0;              // E[work], seconds
};

Durations make_durations(const SyntheticSpec& s) {
  Durations d;
  if (s.duration == "trace") {
    d.samples = load_runtime_samples(s.duration_trace, s.duration_min, s.duration_max);
    d.mean = std::accumulate(d.samples.begin(), d.samples.end(), 0.0) / static_cast<double>(d.samples.size());
  } else {
    d.mean = clamped_lognormal_mean(s.duration_median, s.duration_sigma, s.duration_min, s.duration_max);
  }
  return d;
}

// E[GPUs held per job]: a shared 1-GPU job holds its share (mean of 0.25, 0.5, 0.75 = 0.5).
double mean_gpus_held(const SyntheticSpec& s) {
  const auto cum = cumulative_weights(s.gpu_count_weights);
  double mean = 0, p_one = 0;
  for (std::size_t i = 0; i < s.gpu_counts.size(); ++i) {
    const double p = (cum[i] - (i ? cum[i - 1] : 0)) / cum.back();
    mean += p * s.gpu_counts[i];
    if (s.gpu_counts[i] == 1) p_one += p;
  }
  return mean - p_one * s.share_fraction * 0.5;
}

double derive_rate(const SyntheticSpec& s, const ClusterSpec& cluster, double mean_work) {
  if (s.rate > 0) return s.rate;
  const double gpus = cluster.num_gpus();
  if (gpus <= 0) {
    throw InputError(SourceLocation{"", 0, "workload.load"}, "the cluster has no GPUs to derive the arrival rate from");
  }
  return s.load * gpus / (mean_gpus_held(s) * mean_work);
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

}  // namespace

double clamped_lognormal_mean(double median, double sigma, double lo, double hi) {
  if (sigma == 0) return std::clamp(median, lo, hi);
  // X = m e^{sZ}; with a = ln(lo/m)/s, b = ln(hi/m)/s:
  // E[clamp X] = lo P(Z<a) + hi P(Z>b) + m e^{s^2/2} (Phi(b - s) - Phi(a - s)).
  const double a = std::log(lo / median) / sigma, b = std::log(hi / median) / sigma;
  return lo * normal_cdf(a) + hi * (1 - normal_cdf(b)) +
         median * std::exp(sigma * sigma / 2) * (normal_cdf(b - sigma) - normal_cdf(a - sigma));
}

std::vector<double> load_runtime_samples(const std::string& path, double lo, double hi) {
  CsvScanner csv(path);
  if (!csv.next()) throw InputError(SourceLocation{path, 1, ""}, "empty file: a header with a runtime column is needed");
  std::size_t col = csv.fields().size();
  for (std::size_t k = 0; k < csv.fields().size(); ++k)
    if (trim_blanks(csv.fields()[k]) == "runtime") col = k;
  if (col == csv.fields().size()) throw InputError(SourceLocation{path, 1, "runtime"}, "no 'runtime' column");
  std::vector<double> out;
  while (csv.next()) {
    if (col >= csv.fields().size()) throw InputError(SourceLocation{path, csv.line(), "runtime"}, "row too short");
    const std::string_view cell = trim_blanks(csv.fields()[col]);
    if (cell.empty()) continue;
    double v = 0;
    if (parse_number(cell, v) != NumberError::none || std::isnan(v))
      throw InputError(SourceLocation{path, csv.line(), "runtime"}, fmt::format("'{}' is not a number", cell));
    if (v > 0) out.push_back(std::clamp(v, lo, hi));  // zero runtimes: jobs that never ran
  }
  if (out.empty()) throw InputError(SourceLocation{path, 0, "runtime"}, "no positive runtimes");
  return out;
}

double synthetic_arrival_rate(const SyntheticSpec& spec, const ClusterSpec& cluster) {
  validate(spec, cluster);
  return derive_rate(spec, cluster, spec.rate > 0 ? 1.0 : make_durations(spec).mean);
}

Workload generate_synthetic(const SyntheticSpec& s, const ClusterSpec& cluster, std::uint64_t seed) {
  validate(s, cluster);
  const auto gpu_cum = cumulative_weights(s.gpu_count_weights);
  const auto prio_cum = cumulative_weights(s.priority_weights);
  std::vector<double> user_cum(s.users);  // Zipf: P(rank k) ~ 1 / (k+1)^skew
  for (std::uint32_t k = 0; k < s.users; ++k)
    user_cum[k] = (k ? user_cum[k - 1] : 0) + std::pow(static_cast<double>(k) + 1, -s.user_zipf);
  const Durations durations = make_durations(s);
  const double rate = derive_rate(s, cluster, durations.mean);

  Workload w;
  w.name = "synthetic";
  w.jobs.resize(s.jobs);
  // Users and type constraints are interned on first use, in job order, so the
  // tables read back from a written trace are identical.
  std::vector<std::uint32_t> user_index(s.users, kNoJob);
  std::vector<std::uint16_t> type_index(s.gpu_type_choices.size(), 0);
  const Philox rng(seed);
  Arrivals arrivals(s, rate, rng);
  constexpr std::array<float, 3> kShares{0.25f, 0.5f, 0.75f};

  for (std::uint64_t i = 0; i < s.jobs; ++i) {
    Job& j = w.jobs[i];
    j.id = static_cast<std::int64_t>(i);
    j.submit = arrivals.next();
    j.num_gpus = s.gpu_counts[s.gpu_counts.size() > 1 ? pick(gpu_cum, rng.uniforms(i, kGpus)[0]) : 0];
    const auto ud = rng.uniforms(i, kDuration);
    if (!durations.samples.empty()) {
      const auto n = durations.samples.size();
      j.work = durations.samples[std::min<std::size_t>(static_cast<std::size_t>(ud[0] * static_cast<double>(n)), n - 1)];
    } else {
      const double z = s.duration_sigma > 0 ? standard_normal(ud[0], ud[1]) : 0.0;
      j.work = std::clamp(s.duration_median * std::exp(s.duration_sigma * z), s.duration_min, s.duration_max);
    }
    if (s.priorities.size() > 1) j.priority = s.priorities[pick(prio_cum, rng.uniforms(i, kPriority)[0])];
    else j.priority = s.priorities[0];
    Seconds earliest_start = 0;
    if (s.window_fraction > 0) {
      const auto u = rng.uniforms(i, kWindow);
      if (u[0] < s.window_fraction) {
        earliest_start = j.submit + u[1] * s.window_delay_max;
        w.mutable_trace_fields(static_cast<JobIndex>(i)).earliest_start = earliest_start;
      }
    }
    if (s.deadline_fraction > 0) {
      const auto u = rng.uniforms(i, kDeadline);
      if (u[0] < s.deadline_fraction) {
        const double slack = s.deadline_slack_min + u[1] * (s.deadline_slack_max - s.deadline_slack_min);
        j.deadline = std::max(j.submit, earliest_start) + slack * j.work;
      }
    }
    const std::size_t rank = s.users > 1 ? pick(user_cum, rng.uniforms(i, kUser)[0]) : 0;
    if (user_index[rank] == kNoJob) user_index[rank] = w.intern_user(fmt::format("u{}", rank));
    j.user = user_index[rank];
    if (j.num_gpus == 1 && s.share_fraction > 0) {
      const auto u = rng.uniforms(i, kShare);
      if (u[0] < s.share_fraction) j.gpu_share = kShares[std::min<std::size_t>(static_cast<std::size_t>(u[1] * 3), 2)];
    }
    if (s.preemptible_fraction < 1) j.preemptible = rng.uniforms(i, kPreempt)[0] < s.preemptible_fraction;
    if (s.gpu_type_fraction > 0) {
      const auto u = rng.uniforms(i, kGpuType);
      if (u[0] < s.gpu_type_fraction) {
        const auto n = s.gpu_type_choices.size();
        const std::size_t c = std::min<std::size_t>(static_cast<std::size_t>(u[1] * static_cast<double>(n)), n - 1);
        if (type_index[c] == 0) type_index[c] = w.intern_type_constraint({s.gpu_type_choices[c]});
        j.gpu_types = type_index[c];
      }
    }
  }
  w.finalize("synthetic");
  return w;
}

}  // namespace fastgpu
