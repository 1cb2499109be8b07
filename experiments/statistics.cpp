#include "experiments/statistics.h"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace fastgpu {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

double mean(std::span<const double> values) {
  if (values.empty()) return kNaN;
  double sum = 0;
  for (double v : values) sum += v;  // NaN propagates
  return sum / static_cast<double>(values.size());
}

double sample_stddev(std::span<const double> values) {
  if (values.size() < 2) return kNaN;
  const double m = mean(values);
  double ss = 0;
  for (double v : values) ss += (v - m) * (v - m);  // two-pass: no cancellation
  return std::sqrt(ss / static_cast<double>(values.size() - 1));
}

double student_t_cdf(double t, double dof) {
  if (std::isnan(t) || !(dof > 0)) return kNaN;
  return boost::math::cdf(boost::math::students_t(dof), t);
}

double student_t_quantile(double p, double dof) {
  if (!(p > 0 && p < 1)) throw std::invalid_argument("student_t_quantile: p must be in (0, 1)");
  if (!(dof > 0)) throw std::invalid_argument("student_t_quantile: dof must be > 0");
  return boost::math::quantile(boost::math::students_t(dof), p);
}

MeanCI mean_ci(std::span<const double> values, double level) {
  if (!(level > 0 && level < 1)) throw std::invalid_argument("mean_ci: level must be in (0, 1)");
  MeanCI ci;
  ci.n = values.size();
  ci.level = level;
  ci.mean = mean(values);
  ci.stddev = sample_stddev(values);
  if (ci.n < 2 || std::isnan(ci.stddev)) {
    ci.half_width = kNaN;
  } else {
    const double t = student_t_quantile(1 - (1 - level) / 2, static_cast<double>(ci.n - 1));
    ci.half_width = t * ci.stddev / std::sqrt(static_cast<double>(ci.n));
  }
  return ci;
}

std::string to_string(Verdict v) {
  switch (v) {
    case Verdict::better: return "better";
    case Verdict::worse: return "worse";
    case Verdict::different: return "different";
    case Verdict::no_significant_difference: return "no significant difference";
    case Verdict::undetermined: return "undetermined";
  }
  return "undetermined";
}

PairedComparison paired_compare(std::span<const double> candidate, std::span<const double> baseline,
                                Direction direction, double level) {
  if (candidate.size() != baseline.size())
    throw std::invalid_argument("paired_compare: candidate and baseline differ in length");
  std::vector<double> diff(candidate.size());
  for (std::size_t i = 0; i < diff.size(); ++i) diff[i] = candidate[i] - baseline[i];
  PairedComparison out;
  out.difference = mean_ci(diff, level);
  const MeanCI& d = out.difference;
  if (d.n < 2 || std::isnan(d.mean) || std::isnan(d.half_width)) {
    out.verdict = Verdict::undetermined;
  } else if (d.lo() <= 0 && d.hi() >= 0) {
    out.verdict = Verdict::no_significant_difference;
  } else if (direction == Direction::either) {
    out.verdict = Verdict::different;
  } else {
    const bool higher = d.lo() > 0;
    out.verdict = higher == (direction == Direction::higher_is_better) ? Verdict::better : Verdict::worse;
  }
  return out;
}

namespace {

// a strictly better than b; NaN is worst and equal to NaN.
bool strictly_better(double a, double b, Direction direction) {
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  return direction == Direction::higher_is_better ? a > b : a < b;
}

}  // namespace

std::vector<std::size_t> rank_order(std::span<const double> values, Direction direction) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return strictly_better(values[a], values[b], direction); });
  return order;
}

std::vector<std::size_t> competition_ranks(std::span<const double> values, Direction direction) {
  // Sort once, then each value's rank is 1 + the position of the first value
  // equal to it: O(n log n).
  const std::vector<std::size_t> order = rank_order(values, direction);
  std::vector<std::size_t> ranks(values.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const bool tied_with_previous =
        k > 0 && !strictly_better(values[order[k - 1]], values[order[k]], direction);
    ranks[order[k]] = tied_with_previous ? ranks[order[k - 1]] : k + 1;
  }
  return ranks;
}

}  // namespace fastgpu
