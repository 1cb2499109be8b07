#pragma once
// Statistics over repeated runs (seeds) of an experiment: mean, sample
// standard deviation, Student-t confidence intervals, paired comparisons
// against a baseline policy, and ranking. Pure functions; values are in the
// unit of the metric they summarise (seconds, fraction, ...).
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "experiments/metric_direction.h"

namespace fastgpu {

// Arithmetic mean; NaN for an empty span or when any value is NaN.
double mean(std::span<const double> values);

// Sample standard deviation (divisor n - 1); NaN for fewer than 2 values.
double sample_stddev(std::span<const double> values);

// The p-quantile of Student's t distribution with `dof` degrees of freedom
// (p in (0, 1), dof > 0, not necessarily an integer): t such that
// P(T <= t) = p, from Boost.Math's students_t (accurate to a few ulp);
// dof = infinity gives the normal quantile. Throws std::invalid_argument
// outside the domain.
double student_t_quantile(double p, double dof);

// Student's t cumulative distribution function P(T <= t) (Boost.Math); NaN
// for a NaN t or dof <= 0.
double student_t_cdf(double t, double dof);

// Mean with a two-sided confidence interval mean +- t(1 - (1-level)/2, n-1) * s / sqrt(n).
struct MeanCI {
  std::size_t n = 0;
  double mean = 0;
  double stddev = 0;       // sample standard deviation (NaN when n < 2)
  double half_width = 0;   // NaN when n < 2 (no interval from one value)
  double level = 0.95;
  double lo() const { return mean - half_width; }
  double hi() const { return mean + half_width; }
};
MeanCI mean_ci(std::span<const double> values, double level = 0.95);

// "Is the candidate really better than the baseline?" Differences are
// candidate - baseline, one per seed (the runs are paired by seed, so the
// seed-to-seed variation of the workload cancels out).
enum class Verdict { better, worse, different, no_significant_difference, undetermined };
// "better", "worse", "different", "no significant difference", "undetermined".
std::string to_string(Verdict v);

struct PairedComparison {
  MeanCI difference;     // of candidate - baseline
  Verdict verdict = Verdict::undetermined;
};

// `candidate[i]` and `baseline[i]` are the same seed's values (same length,
// else std::invalid_argument). The verdict is `better` / `worse` when the
// interval of the mean difference excludes 0, on the side `direction` calls
// better (`different` when the direction is `either`);
// `no_significant_difference` when it contains 0; `undetermined` with fewer
// than 2 pairs or a NaN among the values.
PairedComparison paired_compare(std::span<const double> candidate, std::span<const double> baseline,
                                Direction direction, double level = 0.95);

// Indexes of `values` ordered best first under `direction` (`either` ranks
// like lower_is_better); NaN ranks last; ties keep index order (stable).
std::vector<std::size_t> rank_order(std::span<const double> values, Direction direction);

// Competition ranks ("1224") of `values` under `direction`: 1 + the number of
// values strictly better. NaN counts as worse than any number and equal to
// another NaN.
std::vector<std::size_t> competition_ranks(std::span<const double> values, Direction direction);

}  // namespace fastgpu
