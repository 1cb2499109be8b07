// Summary metrics (sim/metrics.h) against values computed by hand; formulas in
// docs/metrics.md.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "sim/error.h"
#include "sim/metrics.h"

using namespace fastgpu;

namespace {

JobRecord finished_job(std::int64_t id, std::uint32_t user, Seconds submit, Seconds start, Seconds end,
                       Seconds runtime_alone, std::uint32_t gpus) {
  JobRecord j;
  j.id = id;
  j.user = user;
  j.num_gpus = gpus;
  j.submit = submit;
  j.first_start = start;
  j.end = end;
  j.work = runtime_alone;
  j.runtime_alone = runtime_alone;
  j.gpu_seconds = runtime_alone * gpus;
  return j;
}

// 3 jobs on 2 GPUs of two types (worked out in the test below):
//   A: user 0, submit 0,  start 0,   end 100, alone 100, GPU 0
//   B: user 1, submit 10, start 20,  end 60,  alone 40,  GPU 1, deadline 60 (met: end == deadline)
//   C: user 1, submit 20, start 100, end 105, alone 5,   GPUs 0+1, deadline 100 (missed)
// GPU 0 (type 0: idle 50 W, busy 300 W, 2/h) is busy 100 + 5 = 105 s,
// GPU 1 (type 1: idle 30 W, busy 200 W, 1/h) is busy 40 + 5 = 45 s.
RunResult three_job_run() {
  RunResult r;
  r.policy = "hand";
  r.workload = "three";
  r.num_gpus = 2;
  r.jobs = {finished_job(1, 0, 0, 0, 100, 100, 1), finished_job(2, 1, 10, 20, 60, 40, 1),
            finished_job(3, 1, 20, 100, 105, 5, 2)};
  r.jobs.update(1, [](JobRecord& j) { j.deadline = 60; });
  r.jobs.update(2, [](JobRecord& j) { j.deadline = 100; });
  r.gpu_arena = {0, 1, 0, 1};
  r.gpu_offset = {0, 1, 2, 4};
  r.gpu_busy_seconds = {105, 45};
  r.type_gpu_count = {1, 1};
  r.type_busy_gpu_seconds = {105, 45};
  r.type_idle_watts = {50, 30};
  r.type_busy_watts = {300, 200};
  r.type_price_per_hour = {2, 1};
  r.timeseries.resize(3);
  r.timeseries[0].load_variance = 0.1;
  r.timeseries[1].load_variance = 0.3;
  r.timeseries[2].load_variance = 0.2;
  // Filled by the engine; compute_summary must keep them.
  r.summary.reservation_hits = 3;
  r.summary.preemptions = 4;
  r.summary.events = 1000;
  r.summary.wall_seconds = 0.5;
  return r;
}

}  // namespace

TEST_CASE("metrics: responsiveness F of a worked example") {
  // F = 1/(10+0.5*0.5) + 1/(12+0.5*0.6) + 1/(8+0.5*0.4) + 1/(14+0.5*0.8) + 1/(11+0.5*0.7)
  //   = 1/10.25 + 1/12.3 + 1/8.2 + 1/14.4 + 1/11.35
  //   = 0.0975610 + 0.0813008 + 0.1219512 + 0.0694444 + 0.0881057 = 0.4583632
  const std::vector<double> f{10, 12, 8, 14, 11}, l{0.5, 0.6, 0.4, 0.8, 0.7};
  const double F = responsiveness(f, l, 0.5);
  CHECK(std::abs(F - 0.45836) < 1e-5);
  CHECK(F == doctest::Approx(1 / 10.25 + 1 / 12.3 + 1 / 8.2 + 1 / 14.4 + 1 / 11.35).epsilon(1e-12));
}

TEST_CASE("metrics: responsiveness leaves out zero denominators and rejects mismatched spans") {
  const std::vector<double> f{0, 4}, l{0, 0};
  CHECK(responsiveness(f, l, 1.0) == doctest::Approx(0.25));  // the 1/0 term is left out
  const std::vector<double> one{1};
  CHECK_THROWS_AS(responsiveness(f, one, 1.0), InternalError);
  CHECK(responsiveness({}, {}, 0.5) == 0);
}

TEST_CASE("metrics: busy variance is the population variance of the loads") {
  // mean 1/3; squared deviations 1/36 + 1/900 + 4/225 = 42/900; / 3 = 7/450 = 0.015556
  // (mean of squares 0.12667 minus mean squared 0.11111).
  const std::vector<double> loads{0.5, 0.3, 0.2};
  CHECK(std::abs(busy_variance(loads) - 0.015556) < 1e-6);
  CHECK(busy_variance(loads) == doctest::Approx(7.0 / 450).epsilon(1e-12));
  CHECK(busy_variance({}) == 0);
  const std::vector<double> same{0.4, 0.4};
  CHECK(busy_variance(same) == 0);
}

TEST_CASE("metrics: nearest-rank percentiles") {
  const std::vector<double> v{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  CHECK(nearest_rank_percentile(v, 50) == 5);   // rank ceil(5)
  CHECK(nearest_rank_percentile(v, 90) == 9);   // rank ceil(9), not 10
  CHECK(nearest_rank_percentile(v, 99) == 10);  // rank ceil(9.9)
  CHECK(nearest_rank_percentile(v, 1) == 1);
  CHECK(nearest_rank_percentile(v, 100) == 10);
  const std::vector<double> one{7};
  CHECK(nearest_rank_percentile(one, 50) == 7);
  CHECK_THROWS_AS(nearest_rank_percentile(v, 0), InternalError);
  CHECK_THROWS_AS(nearest_rank_percentile(std::vector<double>{}, 50), InternalError);
}

TEST_CASE("metrics: the summary's percentiles equal those of the sorted values") {
  // compute_summary selects by radix (sim/rank_select.h); the reference sorts.
  RunResult r;
  r.num_gpus = 1;
  r.gpu_busy_seconds = {0};
  r.type_gpu_count = {1};
  r.type_busy_gpu_seconds = r.type_idle_watts = r.type_busy_watts = r.type_price_per_hour = {0};
  std::vector<double> jct, wait;
  std::uint64_t x = 12345;
  for (int i = 0; i < 1001; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;  // LCG
    const double w = static_cast<double>(x >> 40) / 1000, run = static_cast<double>((x >> 20) & 0xfff) + 1;
    r.jobs.push_back(finished_job(i, 0, i, i + w, i + w + run, run, 1));
    wait.push_back(w);
    jct.push_back(w + run);
  }
  r.gpu_offset.assign(r.jobs.size() + 1, 0);
  compute_summary(r, 0.5);
  std::sort(jct.begin(), jct.end());
  std::sort(wait.begin(), wait.end());
  CHECK(r.summary.jct_p50 == nearest_rank_percentile(jct, 50));
  CHECK(r.summary.jct_p90 == nearest_rank_percentile(jct, 90));
  CHECK(r.summary.jct_p99 == nearest_rank_percentile(jct, 99));
  CHECK(r.summary.wait_p50 == nearest_rank_percentile(wait, 50));
  CHECK(r.summary.wait_p90 == nearest_rank_percentile(wait, 90));
  CHECK(r.summary.wait_p99 == nearest_rank_percentile(wait, 99));
  CHECK(r.summary.jct_p99 == jct[991 - 1]);  // rank ceil(0.99 * 1001) = 991
  CHECK(r.summary.wait_p50 == wait[501 - 1]);
}

TEST_CASE("metrics: summary of a hand-made run of 3 jobs on 2 GPUs") {
  RunResult r = three_job_run();
  compute_summary(r, 0.5);
  const Summary& s = r.summary;

  CHECK(s.jobs_total == 3);
  CHECK(s.jobs_completed == 3);
  CHECK(s.jobs_rejected == 0);
  CHECK(s.makespan == 105);  // last end 105 - first submit 0
  // JCT 100, 50, 85 -> sorted 50, 85, 100; mean 235/3; p50 rank 2, p90/p99 rank 3.
  CHECK(s.jct_mean == doctest::Approx(235.0 / 3));
  CHECK(s.jct_p50 == 85);
  CHECK(s.jct_p90 == 100);
  CHECK(s.jct_p99 == 100);
  // waits 0, 10, 80
  CHECK(s.wait_mean == doctest::Approx(30));
  CHECK(s.wait_p50 == 10);
  CHECK(s.wait_p99 == 80);
  // slowdown 100/100, 50/40, 85/5 = 1, 1.25, 17
  CHECK(s.slowdown_mean == doctest::Approx(19.25 / 3));
  // bounded: max(1, 100/100), max(1, 50/40), max(1, 85/max(5,10)) = 1, 1.25, 8.5
  CHECK(s.bounded_slowdown_mean == doctest::Approx(10.75 / 3));
  // busy 105 + 45 = 150 GPU-s over 2 GPUs x 105 s
  CHECK(s.busy_gpu_seconds == 150);
  CHECK(s.utilisation == doctest::Approx(150.0 / 210));
  // type 0: 105 s x 300 W + 0 idle; type 1: 45 s x 200 W + 60 s x 30 W = 31500 + 10800 = 42300 J
  CHECK(s.energy_kwh == doctest::Approx(42300 / 3.6e6));
  // 105 s / 3600 x 2 + 45 s / 3600 x 1 = 255 / 3600
  CHECK(s.cost == doctest::Approx(255.0 / 3600));
  // per-user mean slowdown: user 0 -> 1, user 1 -> (1.25 + 17) / 2 = 9.125;
  // Jain = 10.125^2 / (2 * (1 + 83.265625)) = 0.6082885
  CHECK(s.fairness_jain == doctest::Approx(102.515625 / 168.53125));
  CHECK(s.fairness_jain == doctest::Approx(0.6082885).epsilon(1e-6));
  // deadlines: B met (end == deadline), C missed
  CHECK(s.deadline_jobs == 2);
  CHECK(s.deadline_misses == 1);
  CHECK(s.deadline_miss_rate == 0.5);
  CHECK(s.load_variance_mean == doctest::Approx(0.2));
  // busy fractions: GPU 0 105/105 = 1, GPU 1 45/105 = 3/7. alpha = 0.5:
  // F = 1/(100 + 0.5*1) + 1/(50 + 0.5*3/7) + 1/(85 + 0.5*(1 + 3/7)/2) = 0.0415804
  CHECK(s.responsiveness == doctest::Approx(1 / 100.5 + 1 / (50 + 3.0 / 14) + 1 / (85 + 5.0 / 14)));
  CHECK(s.responsiveness == doctest::Approx(0.0415804).epsilon(1e-6));
  CHECK(s.busy_variance == doctest::Approx(4.0 / 49));  // ((1 - 3/7) / 2)^2
  // engine-filled fields are kept; events per second = 1000 / 0.5
  CHECK(s.reservation_hits == 3);
  CHECK(s.preemptions == 4);
  CHECK(s.events_per_second == 2000);

  // Idempotent.
  const auto before = summary_fields(r.summary);
  compute_summary(r, 0.5);
  CHECK(summary_fields(r.summary) == before);
}

TEST_CASE("metrics: rejected jobs count as deadline misses and stay out of the makespan") {
  RunResult r = three_job_run();
  JobRecord rejected;
  rejected.id = 4;
  rejected.user = 2;
  rejected.submit = 50;
  rejected.end = 500;  // rejection time: must not stretch the makespan
  rejected.deadline = 1000;
  rejected.outcome = JobOutcome::rejected;
  rejected.reject_reason = 1;
  r.reject_reasons.push_back("deadline cannot be met");
  r.jobs.push_back(rejected);
  r.gpu_offset.push_back(r.gpu_offset.back());  // no GPUs
  compute_summary(r, 0.5);
  CHECK(r.summary.jobs_total == 4);
  CHECK(r.summary.jobs_completed == 3);
  CHECK(r.summary.jobs_rejected == 1);
  CHECK(r.summary.makespan == 105);
  CHECK(r.summary.jct_mean == doctest::Approx(235.0 / 3));
  CHECK(r.summary.deadline_jobs == 3);
  CHECK(r.summary.deadline_misses == 2);
  CHECK(r.summary.deadline_miss_rate == doctest::Approx(2.0 / 3));
  CHECK(r.summary.fairness_jain == doctest::Approx(0.6082885).epsilon(1e-6));  // user 2 has no finished job
}

TEST_CASE("metrics: Jain's index does not depend on how user ids are spread") {
  RunResult r = three_job_run();
  for (std::size_t j : {1, 2}) r.jobs.update(j, [](JobRecord& x) { x.user = 3'000'000'000u; });  // sparse ids take the sorting path
  compute_summary(r, 0.5);
  CHECK(r.summary.fairness_jain == doctest::Approx(0.6082885).epsilon(1e-6));
  r.jobs.update(0, [](JobRecord& x) { x.user = 5; });  // still two users: 5 and 3e9
  compute_summary(r, 0.5);
  CHECK(r.summary.fairness_jain == doctest::Approx(0.6082885).epsilon(1e-6));
  for (std::size_t j : {0, 1, 2}) r.jobs.update(j, [](JobRecord& x) { x.user = 2; });  // one user: perfectly fair
  compute_summary(r, 0.5);
  CHECK(r.summary.fairness_jain == doctest::Approx(1.0));
}

TEST_CASE("metrics: a run without jobs has neutral metrics") {
  RunResult r;
  r.num_gpus = 2;
  r.gpu_busy_seconds = {0, 0};
  r.type_gpu_count = {2};
  r.type_busy_gpu_seconds = {0};
  r.type_idle_watts = {50};
  r.type_busy_watts = {300};
  r.type_price_per_hour = {1};
  compute_summary(r, 0.5);
  CHECK(r.summary.makespan == 0);
  CHECK(r.summary.jobs_total == 0);
  CHECK(r.summary.jct_p99 == 0);
  CHECK(r.summary.utilisation == 0);
  CHECK(r.summary.energy_kwh == 0);
  CHECK(r.summary.fairness_jain == 1);
  CHECK(r.summary.responsiveness == 0);
  CHECK(r.summary.busy_variance == 0);
  CHECK(r.summary.events_per_second == 0);
}

TEST_CASE("metrics: inconsistent accounting is an InternalError") {
  RunResult r = three_job_run();
  r.gpu_offset.pop_back();
  CHECK_THROWS_AS(compute_summary(r, 0.5), InternalError);
  r = three_job_run();
  r.gpu_arena[0] = 7;  // no such GPU
  CHECK_THROWS_AS(compute_summary(r, 0.5), InternalError);
  r = three_job_run();
  r.type_busy_watts.pop_back();
  CHECK_THROWS_AS(compute_summary(r, 0.5), InternalError);
  r = three_job_run();
  r.jobs.update(0, [](JobRecord& j) { j.end = NAN; });  // finished without an end
  CHECK_THROWS_AS(compute_summary(r, 0.5), InternalError);
}

TEST_CASE("metrics: summary_fields lists every field once, by name") {
  Summary s;
  s.jct_p99 = 7;
  s.events = 42;
  s.responsiveness = 0.25;
  const auto fields = summary_fields(s);
  CHECK(fields.size() == sizeof(Summary) / 8);  // every Summary field is 8 bytes wide
  std::set<std::string> names;
  for (const auto& [name, value] : fields) {
    names.insert(name);
    if (name == "jct_p99") CHECK(value == 7);
    if (name == "events") CHECK(value == 42);
    if (name == "responsiveness") CHECK(value == 0.25);
  }
  CHECK(names.size() == fields.size());
  CHECK(fields.front().first == "makespan");
  CHECK(names.count("energy_kwh") == 1);
}
