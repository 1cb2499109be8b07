// The synthetic generator. Statistical checks use 200,000 jobs and a fixed
// seed, so they are deterministic; each tolerance is about 5 standard errors
// of the estimate (computed in the comment next to it), so any seed passes.
#include "source_paths.h"
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include "sim/error.h"
#include "workloads/synthetic.h"
#include "workloads/synthetic_spec.h"
#include "tests/skip.h"

using namespace fastgpu;

namespace {

ClusterSpec cluster_of(std::uint32_t nodes, std::uint32_t gpus_per_node) {
  ClusterSpec c;
  c.gpu_types = {GpuType{.name = "v100"}, GpuType{.name = "a100", .speed = 2.0}};
  c.node_groups = {NodeGroup{.name = "n", .count = nodes, .gpus_per_node = gpus_per_node, .gpu_type = 0}};
  return c;
}

// Empirical rate n / (time of the n-th arrival).
double empirical_rate(const Workload& w) { return static_cast<double>(w.jobs.size()) / w.jobs.back().submit; }

double median_work(const Workload& w) {
  std::vector<double> x;
  for (const Job& j : w.jobs) x.push_back(j.work);
  std::nth_element(x.begin(), x.begin() + x.size() / 2, x.end());
  return x[x.size() / 2];
}

// Variance / mean of the arrival counts in windows of `width` seconds.
double dispersion(const Workload& w, double width) {
  const auto bins = static_cast<std::size_t>(w.jobs.back().submit / width);
  std::vector<double> count(bins, 0);
  for (const Job& j : w.jobs)
    if (auto b = static_cast<std::size_t>(j.submit / width); b < bins) ++count[b];
  double mean = 0, var = 0;
  for (double c : count) mean += c;
  mean /= static_cast<double>(bins);
  for (double c : count) var += (c - mean) * (c - mean);
  var /= static_cast<double>(bins - 1);
  return var / mean;
}

bool same_jobs(const Workload& a, const Workload& b) {
  if (a.jobs.size() != b.jobs.size() || a.users != b.users || a.type_constraints != b.type_constraints) return false;
  for (std::size_t i = 0; i < a.jobs.size(); ++i) {
    const Job &x = a.jobs[i], &y = b.jobs[i];
    if (x.id != y.id || x.submit != y.submit || x.num_gpus != y.num_gpus || x.work != y.work ||
        x.priority != y.priority || x.user != y.user || x.deadline != y.deadline ||
        a.trace_fields_of(static_cast<JobIndex>(i)).earliest_start !=
            b.trace_fields_of(static_cast<JobIndex>(i)).earliest_start ||
        x.gpu_types != y.gpu_types || x.gpu_share != y.gpu_share ||
        x.preemptible != y.preemptible)
      return false;
  }
  return true;
}

std::string spec_error(const SyntheticSpec& s, const ClusterSpec& c) {
  try {
    generate_synthetic(s, c, 1);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("synthetic: Poisson arrivals, GPU counts, durations, deadlines, windows and users match the spec") {
  SyntheticSpec s;
  s.jobs = 200000;
  s.rate = 0.5;
  s.gpu_counts = {1, 2, 4, 8};
  s.gpu_count_weights = {0.6, 0.2, 0.12, 0.08};
  s.duration_median = 1800;
  s.duration_sigma = 1.0;
  s.deadline_fraction = 0.3;
  s.deadline_slack_min = 1.5;
  s.deadline_slack_max = 4.0;
  s.window_fraction = 0.2;
  s.window_delay_max = 600;
  s.users = 16;
  s.user_zipf = 1.0;
  s.priorities = {0, 5};
  s.priority_weights = {3, 1};
  s.preemptible_fraction = 0.7;
  const Workload w = generate_synthetic(s, cluster_of(4, 8), 42);
  REQUIRE(w.jobs.size() == 200000);
  CHECK(w.name == "synthetic");
  const double n = 200000;

  // Rate: the n-th arrival is a sum of n exponentials, relative SE 1/sqrt(n) = 0.22%; allow 1.1%.
  CHECK(empirical_rate(w) == doctest::Approx(0.5).epsilon(0.011));
  // Ids 0..n-1 in arrival order.
  std::size_t bad_ids = 0;
  for (std::size_t i = 0; i < w.jobs.size(); ++i) bad_ids += w.jobs[i].id != static_cast<std::int64_t>(i);
  CHECK(bad_ids == 0);

  // Proportions: SE = sqrt(p(1-p)/n) <= 0.0011; allow 0.0055.
  std::map<std::uint32_t, double> gpus;
  std::map<std::int32_t, double> prio;
  std::vector<double> per_user(16, 0);
  double deadlines = 0, windows = 0, preemptible = 0;
  std::size_t out_of_range = 0;  // values outside what the spec allows
  for (JobIndex i = 0; i < w.jobs.size(); ++i) {
    const Job& j = w.jobs[i];
    const Seconds earliest_start = w.trace_fields_of(i).earliest_start;
    gpus[j.num_gpus] += 1 / n;
    prio[j.priority] += 1 / n;
    per_user.at(j.user) += 1;
    preemptible += j.preemptible / n;
    out_of_range += j.work < s.duration_min || j.work > s.duration_max || j.gpu_share != 1.0f || j.gpu_types != 0;
    const bool window = earliest_start > j.submit;
    windows += window / n;
    out_of_range += window && earliest_start - j.submit > 600;
    if (j.has_deadline()) {
      deadlines += 1 / n;
      const double slack = (j.deadline - std::max(j.submit, earliest_start)) / j.work;
      out_of_range += slack < 1.5 - 1e-9 || slack > 4.0 + 1e-9;
    }
  }
  CHECK(out_of_range == 0);
  CHECK(std::abs(gpus[1] - 0.60) < 0.0055);
  CHECK(std::abs(gpus[2] - 0.20) < 0.0055);
  CHECK(std::abs(gpus[4] - 0.12) < 0.0055);
  CHECK(std::abs(gpus[8] - 0.08) < 0.0055);
  CHECK(std::abs(prio[0] - 0.75) < 0.0055);
  CHECK(std::abs(prio[5] - 0.25) < 0.0055);
  CHECK(std::abs(deadlines - 0.3) < 0.0055);
  CHECK(std::abs(windows - 0.2) < 0.0055);
  CHECK(std::abs(preemptible - 0.7) < 0.0055);

  // Median of a log-normal sample: SE of the log-median = sqrt(pi/2) sigma / sqrt(n) = 0.28%; allow 1.4%.
  CHECK(median_work(w) == doctest::Approx(1800).epsilon(0.014));

  // Zipf(1) over 16 users: P(rank k) = (1/(k+1)) / H_16, H_16 = 3.380729.
  REQUIRE(w.users.size() == 16);
  for (int k : {0, 1, 3, 15}) {
    const auto idx = static_cast<std::size_t>(std::find(w.users.begin(), w.users.end(), "u" + std::to_string(k)) -
                                              w.users.begin());
    REQUIRE(idx < 16);
    CHECK(std::abs(per_user[idx] / n - 1.0 / (k + 1) / 3.380729) < 0.0055);
  }
}

TEST_CASE("synthetic: the same seed gives the same workload, another seed a different one") {
  SyntheticSpec s;
  s.jobs = 5000;
  s.arrival = "bursty";
  s.deadline_fraction = 0.5;
  s.window_fraction = 0.5;
  s.share_fraction = 0.5;
  s.preemptible_fraction = 0.5;
  s.gpu_type_choices = {"v100", "a100"};
  s.gpu_type_fraction = 0.5;
  const ClusterSpec c = cluster_of(4, 8);
  const Workload a = generate_synthetic(s, c, 7), b = generate_synthetic(s, c, 7), d = generate_synthetic(s, c, 8);
  CHECK(same_jobs(a, b));
  CHECK_FALSE(same_jobs(a, d));
  std::size_t same_submit = 0, same_gpus = 0;
  for (std::size_t i = 0; i < a.jobs.size(); ++i) {
    same_submit += a.jobs[i].submit == d.jobs[i].submit;
    same_gpus += a.jobs[i].num_gpus == d.jobs[i].num_gpus;
  }
  CHECK(same_submit == 0);
  CHECK(same_gpus < 4000);  // P(same) = 0.6^2 + 0.2^2 + 0.12^2 + 0.08^2 = 0.42 -> about 2100

  // Attributes are drawn per job and attribute: changing the deadline fraction
  // leaves arrivals and GPU counts as they were.
  SyntheticSpec s2 = s;
  s2.deadline_fraction = 0.9;
  const Workload e = generate_synthetic(s2, c, 7);
  std::size_t changed = 0;
  for (std::size_t i = 0; i < a.jobs.size(); ++i)
    changed += a.jobs[i].submit != e.jobs[i].submit || a.jobs[i].num_gpus != e.jobs[i].num_gpus ||
               a.jobs[i].work != e.jobs[i].work;
  CHECK(changed == 0);
}

TEST_CASE("synthetic: the load-derived rate is load x GPUs / E[GPUs x work]") {
  const ClusterSpec c = cluster_of(4, 8);  // 32 GPUs
  SyntheticSpec s;
  s.rate = 0;
  s.load = 0.5;
  s.gpu_counts = {1};
  s.gpu_count_weights = {1};
  s.duration_median = 600;
  s.duration_sigma = 0;
  CHECK(synthetic_arrival_rate(s, c) == doctest::Approx(0.5 * 32 / 600));
  s.jobs = 200000;
  const Workload w = generate_synthetic(s, c, 3);
  CHECK(std::all_of(w.jobs.begin(), w.jobs.end(), [](const Job& j) { return j.work == 600; }));
  CHECK(empirical_rate(w) == doctest::Approx(0.5 * 32 / 600).epsilon(0.011));

  // Shared GPUs count as their share: half of the 1-GPU jobs hold 0.5 on average.
  s.share_fraction = 0.5;
  CHECK(synthetic_arrival_rate(s, c) == doctest::Approx(0.5 * 32 / (600 * 0.75)));

  // General case: E[GPUs] = 0.5*1 + 0.5*4 = 2.5; E[work] of a log-normal clamped
  // to [100, 5000], integrated numerically here (Simpson on z in [-12, 12]).
  s.share_fraction = 0;
  s.gpu_counts = {1, 4};
  s.gpu_count_weights = {1, 1};
  s.duration_median = 1000;
  s.duration_sigma = 1.5;
  s.duration_min = 100;
  s.duration_max = 5000;
  const int steps = 20000;
  const double h = 24.0 / steps;
  double mean = 0;
  for (int k = 0; k <= steps; ++k) {
    const double z = -12 + k * h;
    const double x = std::clamp(1000 * std::exp(1.5 * z), 100.0, 5000.0);
    const double pdf = std::exp(-z * z / 2) / std::sqrt(2 * std::numbers::pi);
    mean += (k == 0 || k == steps ? 1 : (k % 2 ? 4 : 2)) * x * pdf;
  }
  mean *= h / 3;
  CHECK(clamped_lognormal_mean(1000, 1.5, 100, 5000) == doctest::Approx(mean).epsilon(1e-6));
  CHECK(synthetic_arrival_rate(s, c) == doctest::Approx(0.5 * 32 / (2.5 * mean)).epsilon(1e-6));
  // The generated sample agrees: mean work within 5 SE (SE = sd/sqrt(n); a value
  // in [100, 5000] has sd <= (5000 - 100)/2 = 2450).
  s.jobs = 200000;
  const Workload g = generate_synthetic(s, c, 5);
  double sum = 0;
  for (const Job& j : g.jobs) sum += j.work;
  CHECK(std::abs(sum / 200000 - mean) < 5 * 2450 / std::sqrt(200000.0));
}

TEST_CASE("synthetic: bursty arrivals keep the mean rate and are overdispersed") {
  SyntheticSpec s;
  s.jobs = 200000;
  s.rate = 10;
  s.arrival = "bursty";
  s.burst_factor = 3;
  s.burst_fraction = 0.2;
  s.burst_period = 20;
  const ClusterSpec c = cluster_of(4, 8);
  const Workload w = generate_synthetic(s, c, 11);
  // Over ~1000 on/off cycles the on-time share has SE sqrt(2/N) f(1-f) = 0.0072;
  // rates 30 (on) and 5 (off) turn it into SE 25 x 0.0072 = 0.18 jobs/s (1.8%); allow 9%.
  CHECK(empirical_rate(w) == doctest::Approx(10).epsilon(0.09));
  // Counts per second: Poisson has variance = mean; a 30-vs-5 mixture adds
  // f(1-f)(30-5)^2 = 100 to a mean of 10 (less, as windows straddle switches).
  CHECK(dispersion(w, 1.0) > 4);
  s.arrival = "poisson";
  const Workload p = generate_synthetic(s, c, 11);
  CHECK(dispersion(p, 1.0) == doctest::Approx(1.0).epsilon(0.06));  // SE sqrt(2/20000) = 1%
  // The default burst (5 x 0.2 = 1) puts every arrival inside a burst.
  s.arrival = "bursty";
  s.burst_factor = 5;
  CHECK(empirical_rate(generate_synthetic(s, c, 12)) == doctest::Approx(10).epsilon(0.09));
}

TEST_CASE("synthetic: diurnal arrivals follow rate x (1 + a sin(2 pi t / period))") {
  SyntheticSpec s;
  s.jobs = 200000;
  s.rate = 1;
  s.arrival = "diurnal";
  s.diurnal_amplitude = 0.5;
  s.diurnal_period = 3600;
  const Workload w = generate_synthetic(s, cluster_of(4, 8), 13);
  // Over whole periods the mean rate is `rate` (Poisson count, SE 0.22%; allow 1.1%).
  const double whole = std::floor(w.jobs.back().submit / 3600) * 3600;
  double in_whole = 0, first_half = 0;
  for (const Job& j : w.jobs) {
    if (j.submit >= whole) break;
    in_whole += 1;
    first_half += std::fmod(j.submit, 3600) < 1800;
  }
  CHECK(in_whole / whole == doctest::Approx(1.0).epsilon(0.011));
  // Share in the first half of each period: integral gives 1/2 + a/pi = 0.65915 (SE 0.0011; allow 0.0055).
  CHECK(std::abs(first_half / in_whole - (0.5 + 0.5 / std::numbers::pi)) < 0.0055);
}

TEST_CASE("synthetic: GPU shares and type constraints") {
  SyntheticSpec s;
  s.jobs = 200000;
  s.rate = 1;
  s.share_fraction = 0.4;
  s.gpu_type_choices = {"v100", "a100"};
  s.gpu_type_fraction = 0.25;
  const Workload w = generate_synthetic(s, cluster_of(4, 8), 17);
  const double n = 200000;
  double one = 0, shared = 0, typed = 0;
  std::map<float, double> shares;
  std::map<std::string, double> types;
  std::size_t wrong = 0;
  for (const Job& j : w.jobs) {
    one += j.num_gpus == 1;
    if (j.gpu_share < 1) {
      wrong += j.num_gpus != 1;
      shared += 1;
      shares[j.gpu_share] += 1;
    }
    if (j.gpu_types) {
      typed += 1 / n;
      wrong += w.type_constraints.at(j.gpu_types - 1).size() != 1;
      types[w.type_constraints[j.gpu_types - 1][0]] += 1 / n;
    }
  }
  // 40% of the 1-GPU jobs (~120,000): SE sqrt(.24/120000) = 0.0014; allow 0.007.
  CHECK(std::abs(shared / one - 0.4) < 0.007);
  CHECK(wrong == 0);
  REQUIRE(shares.size() == 3);
  for (float v : {0.25f, 0.5f, 0.75f}) CHECK(std::abs(shares[v] / shared - 1.0 / 3) < 0.012);  // SE 0.0022
  CHECK(std::abs(typed - 0.25) < 0.0055);
  CHECK(std::abs(types["v100"] - 0.125) < 0.0055);
  CHECK(std::abs(types["a100"] - 0.125) < 0.0055);
}

TEST_CASE("synthetic: durations sampled from a runtime trace") {
  const auto dir = std::filesystem::temp_directory_path() / "fastgpu-test-synthetic";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "runtimes.csv").string();
  {
    std::ofstream f(path);
    f << "other,runtime\nx,0\nx,-4\nx,5\nx,100\nx,\nx,1e9\n";  // 0, -4 and empty skipped; 5 -> 10; 1e9 -> 1000
  }
  SyntheticSpec s;
  s.jobs = 30000;
  s.rate = 0;
  s.load = 1;
  s.duration = "trace";
  s.duration_trace = path;
  s.duration_min = 10;
  s.duration_max = 1000;
  s.gpu_counts = {2};
  s.gpu_count_weights = {1};
  const ClusterSpec c = cluster_of(1, 8);
  CHECK(load_runtime_samples(path, 10, 1000) == std::vector<double>{10, 100, 1000});
  CHECK(synthetic_arrival_rate(s, c) == doctest::Approx(8.0 / (2 * 370)));  // E[work] = (10+100+1000)/3
  const Workload w = generate_synthetic(s, c, 1);
  std::map<double, double> seen;
  for (const Job& j : w.jobs) seen[j.work] += 1.0 / 30000;
  REQUIRE(seen.size() == 3);
  for (double v : {10.0, 100.0, 1000.0}) CHECK(std::abs(seen[v] - 1.0 / 3) < 0.014);  // SE 0.0027

  s.duration_trace = (dir / "missing.csv").string();
  CHECK(spec_error(s, c).find("missing.csv") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("synthetic: durations from the Philly runtime distribution (shared data)") {
  const std::string path = fastgpu::test::shared_data_dir() + "/philly-derived/philly_runtime.csv";
  if (!std::filesystem::exists(path)) {
    FASTGPU_SKIP(path, " is absent");
  }
  // Independent reading of the file: positive runtimes, clamped.
  std::vector<double> file;
  {
    std::ifstream f(path);
    std::string line;
    std::getline(f, line);
    while (std::getline(f, line))
      if (const double v = std::stod(line); v > 0) file.push_back(std::clamp(v, 10.0, 86400.0));
  }
  REQUIRE(file.size() > 1000);
  std::vector<double> sorted = file;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted[sorted.size() / 2];
  SyntheticSpec s;
  s.jobs = 200000;
  s.rate = 1;
  s.duration = "trace";
  s.duration_trace = path;
  s.duration_min = 10;
  s.duration_max = 86400;
  const Workload w = generate_synthetic(s, cluster_of(4, 8), 23);
  const std::set<double> values(file.begin(), file.end());
  double below = 0;
  std::size_t foreign = 0;  // durations that are not in the file
  for (const Job& j : w.jobs) {
    foreign += values.count(j.work) == 0;
    below += (j.work < median) / 200000.0;
  }
  const double expected = static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), median) - sorted.begin()) /
                          static_cast<double>(sorted.size());
  CHECK(foreign == 0);
  CHECK(std::abs(below - expected) < 0.0056);  // SE sqrt(.25/200000) = 0.0011
}

TEST_CASE("synthetic: invalid specs are InputErrors naming the key") {
  const ClusterSpec c = cluster_of(1, 8);
  SyntheticSpec s;
  s.arrival = "weibull";
  CHECK(spec_error(s, c).find("field 'workload.arrival'") != std::string::npos);
  s = {};
  s.arrival = "bursty";
  s.burst_factor = 6;  // 6 x 0.2 > 1
  CHECK(spec_error(s, c).find("field 'workload.burst_factor'") != std::string::npos);
  s = {};
  s.gpu_count_weights = {1, 1};
  CHECK(spec_error(s, c).find("field 'workload.gpu_count_weights'") != std::string::npos);
  s = {};
  s.gpu_type_choices = {"h100"};
  s.gpu_type_fraction = 0.5;
  CHECK(spec_error(s, c).find("no GPU type 'h100'") != std::string::npos);
  s = {};
  s.deadline_fraction = 1.5;
  CHECK(spec_error(s, c).find("field 'workload.deadline_fraction'") != std::string::npos);
  s = {};
  s.rate = 0;
  s.load = 0;
  CHECK(spec_error(s, c).find("field 'workload.load'") != std::string::npos);
  // GPU counts larger than the cluster are allowed: the engine rejects those jobs.
  s = {};
  s.gpu_counts = {64};
  s.gpu_count_weights = {1};
  CHECK(spec_error(s, c) == "");
}

TEST_CASE("synthetic: validate() names the key and no file, for the generator and the config alike") {
  const ClusterSpec c = cluster_of(1, 8);
  auto error_of = [&](const SyntheticSpec& s) -> SourceLocation {
    try {
      validate(s, c);
    } catch (const InputError& e) {
      return e.where();
    }
    return {"none", 0, ""};
  };
  SyntheticSpec s;
  CHECK_NOTHROW(validate(s, c));
  s.jobs = 0;
  const SourceLocation where = error_of(s);
  CHECK(where.file.empty());
  CHECK(where.line == 0);
  CHECK(where.field == "workload.jobs");
  CHECK(spec_error(s, c) == "field 'workload.jobs': must be >= 1, got 0");  // the generator uses the same check
  s = {};
  s.gpu_counts = {1, 0};
  s.gpu_count_weights = {1, 1};
  CHECK(error_of(s).field == "workload.gpu_counts[1]");
  s = {};
  s.duration_max = std::numeric_limits<double>::infinity();
  CHECK(error_of(s).field == "workload.duration_max");
  s = {};
  s.gpu_type_choices = {"a100", "h100"};
  s.gpu_type_fraction = 0.5;
  CHECK(error_of(s).field == "workload.gpu_type_choices[1]");
  // The parameters of an arrival process are checked even when another one is used.
  s = {};
  s.burst_fraction = 1;
  CHECK(error_of(s).field == "workload.burst_fraction");
}
