// Statistics over seeds: t quantiles against published table values and
// closed forms, confidence intervals and paired comparisons computed by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <set>
#include <vector>

#include "experiments/metric_direction.h"
#include "sim/metrics.h"
#include "experiments/statistics.h"

using namespace fastgpu;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

TEST_CASE("statistics: Student t quantiles match table values") {
  // Two-sided 90%, 95% and 99% critical values as printed (to 10 digits) in
  // standard tables of Student's t.
  CHECK(student_t_quantile(0.975, 1) == doctest::Approx(12.7062047362).epsilon(1e-9));
  CHECK(student_t_quantile(0.975, 2) == doctest::Approx(4.3026527297).epsilon(1e-9));
  CHECK(student_t_quantile(0.975, 3) == doctest::Approx(3.1824463053).epsilon(1e-9));
  CHECK(student_t_quantile(0.975, 4) == doctest::Approx(2.7764451052).epsilon(1e-9));
  CHECK(student_t_quantile(0.975, 9) == doctest::Approx(2.2621571628).epsilon(1e-9));
  CHECK(student_t_quantile(0.975, 30) == doctest::Approx(2.0422724563).epsilon(1e-9));
  CHECK(student_t_quantile(0.995, 5) == doctest::Approx(4.0321429836).epsilon(1e-9));
  CHECK(student_t_quantile(0.95, 10) == doctest::Approx(1.8124611228).epsilon(1e-9));
  // Infinite degrees of freedom: the normal quantile.
  CHECK(student_t_quantile(0.975, std::numeric_limits<double>::infinity()) ==
        doctest::Approx(1.9599639845).epsilon(1e-9));
  CHECK(student_t_quantile(0.975, 1e9) == doctest::Approx(1.9599639845).epsilon(1e-9));
  // Symmetry and the median.
  CHECK(student_t_quantile(0.025, 4) == doctest::Approx(-2.7764451052).epsilon(1e-9));
  CHECK(student_t_quantile(0.5, 7) == 0.0);
  CHECK_THROWS(student_t_quantile(1.0, 4));
  CHECK_THROWS(student_t_quantile(0.9, 0));
}

TEST_CASE("statistics: Student t quantiles match the 3-decimal critical values of a printed t table") {
  struct Row {
    double dof, t90, t95, t99;  // two-sided 90%, 95%, 99%: p = 0.95, 0.975, 0.995
  };
  const Row table[] = {{1, 6.314, 12.706, 63.657}, {2, 2.920, 4.303, 9.925}, {3, 2.353, 3.182, 5.841},
                       {5, 2.015, 2.571, 4.032},   {10, 1.812, 2.228, 3.169}, {20, 1.725, 2.086, 2.845},
                       {30, 1.697, 2.042, 2.750},  {60, 1.671, 2.000, 2.660}, {120, 1.658, 1.980, 2.617}};
  for (const Row& r : table) {
    CAPTURE(r.dof);
    CHECK(std::abs(student_t_quantile(0.95, r.dof) - r.t90) <= 0.0005);
    CHECK(std::abs(student_t_quantile(0.975, r.dof) - r.t95) <= 0.0005);
    CHECK(std::abs(student_t_quantile(0.995, r.dof) - r.t99) <= 0.0005);
  }
}

TEST_CASE("statistics: Student t quantiles match closed forms for 1 and 2 degrees of freedom") {
  // dof 1 (Cauchy): t = tan(pi (p - 1/2)); dof 2: t = (2p - 1) / sqrt(2 p (1 - p)).
  for (double p : {0.51, 0.6, 0.75, 0.9, 0.975, 0.999, 0.99999}) {
    CAPTURE(p);
    CHECK(student_t_quantile(p, 1) == doctest::Approx(std::tan(std::numbers::pi * (p - 0.5))).epsilon(1e-9));
    CHECK(student_t_quantile(p, 2) == doctest::Approx((2 * p - 1) / std::sqrt(2 * p * (1 - p))).epsilon(1e-9));
  }
  // Non-integer dof: the CDF inverts the quantile.
  for (double dof : {0.5, 2.5, 7.3, 150.0}) {
    const double t = student_t_quantile(0.9, dof);
    CHECK(student_t_cdf(t, dof) == doctest::Approx(0.9).epsilon(1e-12));
  }
}

TEST_CASE("statistics: mean, sample standard deviation and the 95% interval of a hand-computed case") {
  // 10, 12, 14, 16, 18: mean 14, squared deviations 16+4+0+4+16 = 40,
  // s^2 = 40/4 = 10, s/sqrt(5) = sqrt(2), half width t(0.975, 4) sqrt(2) = 2.7764451 x 1.4142136 = 3.926486.
  const std::vector<double> v{10, 12, 14, 16, 18};
  CHECK(mean(v) == doctest::Approx(14));
  CHECK(sample_stddev(v) == doctest::Approx(std::sqrt(10.0)));
  const MeanCI ci = mean_ci(v);
  CHECK(ci.n == 5);
  CHECK(ci.mean == doctest::Approx(14));
  CHECK(ci.half_width == doctest::Approx(3.926486).epsilon(1e-6));
  CHECK(ci.lo() == doctest::Approx(10.073514).epsilon(1e-6));
  CHECK(ci.hi() == doctest::Approx(17.926486).epsilon(1e-6));
  // 99%: t(0.995, 4) = 4.6040948713.
  CHECK(mean_ci(v, 0.99).half_width == doctest::Approx(6.511173).epsilon(1e-6));

  // One value: a mean but no interval; none: NaN.
  const std::vector<double> one{3};
  CHECK(mean_ci(one).mean == 3);
  CHECK(std::isnan(mean_ci(one).half_width));
  CHECK(std::isnan(mean(std::vector<double>{})));
  CHECK(std::isnan(mean(std::vector<double>{1, kNaN})));
  // Identical values: zero width.
  CHECK(mean_ci(std::vector<double>{7, 7, 7}).half_width == 0);
}

TEST_CASE("statistics: paired comparison against a baseline") {
  // Differences -5, -8, -4, -6, -6: mean -5.8, squared deviations
  // 0.64+4.84+3.24+0.04+0.04 = 8.8, s^2 = 2.2, half width
  // 2.7764451 sqrt(2.2/5) = 1.841685: the interval [-7.64, -3.96] excludes 0.
  const std::vector<double> baseline{100, 120, 90, 110, 105};
  const std::vector<double> candidate{95, 112, 86, 104, 99};
  const PairedComparison jct = paired_compare(candidate, baseline, Direction::lower_is_better);
  CHECK(jct.difference.mean == doctest::Approx(-5.8));
  CHECK(jct.difference.half_width == doctest::Approx(1.841685).epsilon(1e-6));
  CHECK(jct.verdict == Verdict::better);
  CHECK(paired_compare(candidate, baseline, Direction::higher_is_better).verdict == Verdict::worse);
  CHECK(paired_compare(candidate, baseline, Direction::either).verdict == Verdict::different);
  CHECK(paired_compare(baseline, candidate, Direction::lower_is_better).verdict == Verdict::worse);
  CHECK(to_string(jct.verdict) == "better");

  // Differences 1, -1, 2, -2, 0: mean 0, the interval contains 0.
  const std::vector<double> noisy{101, 119, 92, 108, 105};
  const PairedComparison same = paired_compare(noisy, baseline, Direction::lower_is_better);
  CHECK(same.difference.mean == doctest::Approx(0));
  CHECK(same.verdict == Verdict::no_significant_difference);
  CHECK(to_string(same.verdict) == "no significant difference");

  // A paired test sees what two overlapping unpaired intervals hide: the seeds
  // vary a lot, the difference is always exactly -2.
  const std::vector<double> a{10, 50, 90}, b{12, 52, 92};
  CHECK(mean_ci(a).hi() > mean_ci(b).lo());
  CHECK(paired_compare(a, b, Direction::lower_is_better).verdict == Verdict::better);

  CHECK(paired_compare(std::vector<double>{1}, std::vector<double>{2}, Direction::lower_is_better).verdict ==
        Verdict::undetermined);
  CHECK(paired_compare(std::vector<double>{1, kNaN}, std::vector<double>{2, 3}, Direction::lower_is_better).verdict ==
        Verdict::undetermined);
  CHECK_THROWS(paired_compare(std::vector<double>{1, 2}, std::vector<double>{2}, Direction::lower_is_better));
}

TEST_CASE("statistics: ranking with ties and NaN") {
  const std::vector<double> v{3, 1, 2, 1, kNaN};
  CHECK(rank_order(v, Direction::lower_is_better) == std::vector<std::size_t>{1, 3, 2, 0, 4});
  CHECK(competition_ranks(v, Direction::lower_is_better) == std::vector<std::size_t>{4, 1, 3, 1, 5});
  CHECK(rank_order(v, Direction::higher_is_better) == std::vector<std::size_t>{0, 2, 1, 3, 4});
  CHECK(competition_ranks(v, Direction::higher_is_better) == std::vector<std::size_t>{1, 3, 2, 3, 5});
  const std::vector<double> nans{kNaN, 1, kNaN};
  CHECK(competition_ranks(nans, Direction::lower_is_better) == std::vector<std::size_t>{2, 1, 2});
  CHECK(competition_ranks(std::vector<double>{}, Direction::lower_is_better).empty());
}

TEST_CASE("statistics: every summary metric has a deliberate direction") {
  // Metrics describing the input or the run have no better side; every other
  // field must be listed (a new Summary field without a direction fails here).
  const std::set<std::string> neutral{"jobs_total", "deadline_jobs", "busy_gpu_seconds", "events"};
  for (const auto& [name, value] : summary_fields(Summary{})) {
    CAPTURE(name);
    CHECK((metric_direction(name) == Direction::either) == (neutral.count(name) == 1));
  }
  CHECK(metric_direction("jct_mean") == Direction::lower_is_better);
  CHECK(metric_direction("utilisation") == Direction::higher_is_better);
  CHECK(metric_direction("no_such_metric") == Direction::either);
  CHECK(parse_direction("lower-is-better") == Direction::lower_is_better);
  CHECK(parse_direction("higher-is-better") == Direction::higher_is_better);
  CHECK(!parse_direction("lower").has_value());
}
