// The engine capabilities the policies rely on, exercised through real
// policies: checkpoint/restore costs proportional to GPU memory (preemption
// and migration), per-job preemption/migration counts and the reservation
// counters as they come back from HDF5, and the four runtime estimators
// (the noisy one checked statistically against its definition, the others
// through the schedule sjf builds from them). Schedules derived by hand.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include "engine_fixtures.h"
#include "results_io/hdf5_reader.h"
#include "results_io/hdf5_writer.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

namespace {

struct MJob {
  Seconds submit;
  std::uint32_t gpus;
  double work;
  float memory_gb = 0;
  std::int32_t priority = 0;
  Seconds requested = NAN;
};

Workload jobs_of(std::initializer_list<MJob> specs) {
  Workload w;
  w.name = "test";
  std::int64_t id = 0;
  for (const MJob& s : specs) {
    w.push_job(Job{.id = id++,
                   .submit = s.submit,
                   .num_gpus = s.gpus,
                   .work = s.work,
                   .priority = s.priority,
                   .gpu_memory_gb = s.memory_gb},
               {.requested_time = s.requested});
  }
  w.finalize("test");
  return w;
}

// Records what the estimator told the policy about every job, then rejects
// everything (the run only serves to build the context).
class EstimateRecorder : public Policy {
 public:
  std::vector<double> seen;
  void init(SchedulingContext& ctx) override {
    seen.resize(ctx.workload().jobs.size());
    for (JobIndex j = 0; j < seen.size(); ++j) seen[j] = ctx.estimated_work(j);
  }
  void schedule(SchedulingContext& ctx) override {
    while (!ctx.pending().empty()) ctx.reject(ctx.pending().front(), "recorded");
  }
};

std::vector<double> noisy_estimates(const Workload& w, double sigma, std::uint64_t seed) {
  EstimateRecorder rec;
  EngineOptions o;
  o.estimate = EstimateKind::noisy;
  o.estimate_sigma = sigma;
  o.seed = seed;
  simulate(w, uniform_cluster(1, 1), rec, o);
  return rec.seen;
}

std::filesystem::path temp_h5(const std::string& stem) {
  return std::filesystem::temp_directory_path() / (stem + "-" + std::to_string(::getpid()) + ".h5");
}

}  // namespace

TEST_CASE("checkpoint and restore cost grows with GPU memory on preemption (srtf)") {
  // 1 node x 2 GPUs; checkpoint 10 s, restore 10 s, plus 0.5 s per GB: A holds
  // 20 GB per GPU, so each costs 10 + 0.5 x 20 = 20 s. A (0, 2 GPUs, 1000, 20 GB),
  // B (100, 1 GPU, 200, no memory given).
  // t=0    A on 0,1.
  // t=100  B does not fit; A has 900 left > 200 + min_gain 60: preempted, holds
  //        GPUs 0,1 for its 20 s checkpoint.
  // t=120  A pending (900 left); B starts on GPU 0, ends 320; A needs 2: waits.
  // t=320  A resumes on 0,1: 20 s restore, then 900 s: ends 1240.
  // A held 2 GPUs for 0-120 and 320-1240: 2 x 1040 GPU-seconds.
  const Workload w = jobs_of({{0, 2, 1000, 20}, {100, 1, 200}});
  EngineOptions o;
  o.checkpoint_seconds = 10;
  o.restore_seconds = 10;
  o.checkpoint_seconds_per_gb = 0.5;
  const RunResult r = run_policy("srtf", w, uniform_cluster(1, 2), o);
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 1240);
  CHECK(r.jobs[0].preemptions == 1);
  CHECK(gpus(r, 0) == V{0, 1});
  CHECK(r.jobs[0].gpu_seconds == doctest::Approx(2 * 1040));
  CHECK(r.jobs[1].first_start == 120);
  CHECK(r.jobs[1].end == 320);
  CHECK(gpus(r, 1) == V{0});
  CHECK(r.jobs[1].preemptions == 0);
  CHECK(r.summary.preemptions == 1);
  // Without the per-GB term: checkpoint until 110, B 110-310, A resumes at 310
  // and ends 310 + 10 + 900 = 1220.
  o.checkpoint_seconds_per_gb = 0;
  const RunResult flat = run_policy("srtf", w, uniform_cluster(1, 2), o);
  CHECK(flat.jobs[1].first_start == 110);
  CHECK(flat.jobs[0].end == 1220);
}

TEST_CASE("migration pays checkpoint + restore, both growing with GPU memory (load-balance-migrate)") {
  // The first load-balance-migrate golden with A holding 8 GB: 2 nodes x 2
  // GPUs, monitor every 10 s, checkpoint 2 s + restore 3 s + 0.25 s/GB each:
  // checkpoint 4 s, restore 5 s. A (0, 1, 100, 8 GB), B (0, 1, 100), C (12, 1, 5).
  // t=0   A -> GPU 0, B -> GPU 1.
  // t=10  node loads 1.0 / 0.0: A moves to GPU 2 (node 1), 90 s left, paused
  //       4 + 5 = 9 s: progresses from 19, ends 109.
  // t=12  C -> node 1's free GPU 3, 12-17.   t=20, t=30: no further move.
  // GPU busy seconds: GPU 0 10 (A before the move), GPU 1 100 (B), GPU 2 99
  // (A from 10 to 109), GPU 3 5 (C).
  const Workload w = jobs_of({{0, 1, 100, 8}, {0, 1, 100}, {12, 1, 5}});
  EngineOptions o;
  o.monitor_interval = 10;
  o.checkpoint_seconds = 2;
  o.restore_seconds = 3;
  o.checkpoint_seconds_per_gb = 0.25;
  const RawParams p{{"threshold", {0.4, {}}},
                    {"threshold_low", {0.1, {}}},
                    {"min_remaining", {0.0, {}}},
                    {"cooldown", {1000.0, {}}}};
  const RunResult r = run_policy("load-balance-migrate", w, uniform_cluster(2, 2), o, p);
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 109);
  CHECK(r.jobs[0].migrations == 1);
  CHECK(r.jobs[0].preemptions == 0);
  CHECK(gpus(r, 0) == V{2});
  CHECK(r.jobs[1].first_start == 0);
  CHECK(r.jobs[1].end == 100);
  CHECK(gpus(r, 1) == V{1});
  CHECK(r.jobs[2].first_start == 12);
  CHECK(r.jobs[2].end == 17);
  CHECK(gpus(r, 2) == V{3});
  CHECK(r.gpu_busy_seconds == std::vector<double>{10, 100, 99, 5});
  CHECK(r.summary.migrations == 1);
}

TEST_CASE("per-job preemptions and migrations and the reservation counters read back from HDF5") {
  // Three runs whose numbers are derived by hand in the goldens: srtf with
  // memory-proportional checkpoints (A preempted once), load-balance-migrate
  // (A migrated once) and the EWMA reservation golden (1 hit, 1 miss, 27
  // reserved-idle GPU-seconds, P1 and P2 on reserved GPUs).
  EngineOptions o;
  o.checkpoint_seconds_per_gb = 0.5;
  RunResult srtf = run_policy("srtf", jobs_of({{0, 2, 1000, 20}, {100, 1, 200}}), uniform_cluster(1, 2), o);

  EngineOptions lo;
  lo.monitor_interval = 10;
  lo.checkpoint_seconds = 2;
  lo.restore_seconds = 3;
  RunResult lbm = run_policy("load-balance-migrate", jobs_of({{0, 1, 100}, {0, 1, 100}, {12, 1, 5}}),
                             uniform_cluster(2, 2), lo,
                             {{"threshold", {0.4, {}}}, {"threshold_low", {0.1, {}}}, {"min_remaining", {0.0, {}}},
                              {"cooldown", {1000.0, {}}}});

  EngineOptions ro;
  ro.monitor_interval = 10;
  RunResult res = run_policy("reservation", jobs_of({{0, 2, 20, 0, 0}, {1, 1, 5, 0, 0}, {2, 1, 10, 0, 5}, {3, 2, 4, 0, 5}}),
                             uniform_cluster(1, 4), ro,
                             {{"alpha", {0.5, {}}}, {"initial", {2.0, {}}}, {"priority_threshold", {std::int64_t{5}, {}}}});
  srtf.policy = "srtf";
  lbm.policy = "load-balance-migrate";
  res.policy = "reservation";

  const auto path = temp_h5("fastgpu-capabilities");
  ResultsFileMeta meta;
  meta.experiment = "capabilities";
  write_results(path.string(), meta, {srtf, lbm, res});

  const auto srtf_jobs = read_job_records(path.string(), "srtf", "test", srtf.seed);
  REQUIRE(srtf_jobs.size() == 2);
  CHECK(srtf_jobs[0].preemptions == 1);
  CHECK(srtf_jobs[0].migrations == 0);
  CHECK(srtf_jobs[0].end == 1240);
  CHECK(srtf_jobs[1].preemptions == 0);

  const auto lbm_jobs = read_job_records(path.string(), "load-balance-migrate", "test", lbm.seed);
  REQUIRE(lbm_jobs.size() == 3);
  CHECK(lbm_jobs[0].migrations == 1);
  CHECK(lbm_jobs[0].end == 105);  // no per-GB cost here: paused 2 + 3 s
  CHECK(lbm_jobs[1].migrations == 0);
  CHECK(lbm_jobs[2].migrations == 0);

  const auto res_jobs = read_job_records(path.string(), "reservation", "test", res.seed);
  REQUIRE(res_jobs.size() == 4);
  CHECK_FALSE(res_jobs[0].on_reserved);
  CHECK_FALSE(res_jobs[1].on_reserved);
  CHECK(res_jobs[2].on_reserved);
  CHECK(res_jobs[3].on_reserved);

  const auto summary = read_summary_table(path.string());
  REQUIRE(summary.size() == 3);
  CHECK(summary[0].metrics.at("preemptions") == 1);
  CHECK(summary[1].metrics.at("migrations") == 1);
  CHECK(summary[2].metrics.at("reservation_hits") == 1);
  CHECK(summary[2].metrics.at("reservation_misses") == 1);
  CHECK(summary[2].metrics.at("reserved_idle_gpu_seconds") == doctest::Approx(27));
  std::filesystem::remove(path);
}

TEST_CASE("noisy estimates are the true work times a seeded log-normal factor") {
  // 4000 jobs of work 100: ln(estimate / work) must look like N(0, sigma^2):
  // sample mean within 4 standard errors of 0 and sample standard deviation
  // within 5% of sigma; the same seed gives the same estimates, another seed
  // others, and a job's estimate does not depend on the other jobs.
  Workload w;
  for (int i = 0; i < 4000; ++i) w.jobs.push_back(Job{.id = i, .submit = 0, .num_gpus = 1, .work = 100});
  w.finalize("test");
  for (const double sigma : {0.5, 1.0}) {
    CAPTURE(sigma);
    const std::vector<double> est = noisy_estimates(w, sigma, 7);
    std::vector<double> logs;
    for (double e : est) logs.push_back(std::log(e / 100.0));
    const double n = static_cast<double>(logs.size());
    const double mean = std::accumulate(logs.begin(), logs.end(), 0.0) / n;
    double sq = 0;
    for (double x : logs) sq += (x - mean) * (x - mean);
    const double sd = std::sqrt(sq / (n - 1));
    CHECK(std::abs(mean) < 4 * sigma / std::sqrt(n));
    CHECK(sd == doctest::Approx(sigma).epsilon(0.05));
    CHECK(noisy_estimates(w, sigma, 7) == est);
    CHECK(noisy_estimates(w, sigma, 8) != est);
  }
  Workload half;
  for (int i = 0; i < 2000; ++i) half.jobs.push_back(Job{.id = i, .submit = 0, .num_gpus = 1, .work = 100});
  half.finalize("test");
  const std::vector<double> a = noisy_estimates(w, 0.5, 3), b = noisy_estimates(half, 0.5, 3);
  CHECK(std::vector<double>(a.begin(), a.begin() + 2000) == b);
}

TEST_CASE("sjf orders by the configured estimate: oracle, user request, none") {
  // 1 GPU. A (0, 1, 10) runs 0-10 under any estimate. B (1, work 100, user
  // asked for 5 s), C (2, work 20, user asked for 50 s) wait for it.
  //   oracle: C (20) before B (100): C 10-30, B 30-130.
  //   user:   B (5) before C (50):   B 10-110, C 110-130.
  //   none:   no estimates: arrival order, B 10-110, C 110-130.
  //   noisy with a tiny sigma: as oracle.
  const Workload w = jobs_of({{0, 1, 10}, {1, 1, 100, 0, 0, 5}, {2, 1, 20, 0, 0, 50}});
  struct Case {
    EstimateKind kind;
    Seconds b_start, c_start;
  };
  for (const Case c : {Case{EstimateKind::oracle, 30, 10}, Case{EstimateKind::user, 10, 110},
                       Case{EstimateKind::none, 10, 110}, Case{EstimateKind::noisy, 30, 10}}) {
    CAPTURE(to_string(c.kind));
    EngineOptions o;
    o.estimate = c.kind;
    o.estimate_sigma = 1e-6;
    const RunResult r = run_policy("sjf", w, uniform_cluster(1, 1), o);
    CHECK(r.jobs[0].first_start == 0);
    CHECK(r.jobs[0].end == 10);
    CHECK(r.jobs[1].first_start == c.b_start);
    CHECK(r.jobs[1].end == c.b_start + 100);
    CHECK(r.jobs[2].first_start == c.c_start);
    CHECK(r.jobs[2].end == c.c_start + 20);
  }
}

TEST_CASE("easy-backfill trusts the estimate: an underestimated backfill delays the head") {
  // 1 node x 2 GPUs, user estimates. A (0, 1, 10, asks 10), H (1, 2, 5, asks
  // 5), X (2, 1, 30, asks 5).
  // t=0  A on GPU 0 (expected end 10).   t=1 H needs 2: blocked, shadow 10, extra 0.
  // t=2  X fits on GPU 1 and by its request ends at 7 <= 10: backfilled. It
  //      really runs 30 s: 2-32.
  // t=10 A ends; H still needs GPU 1.   t=32 X ends: H 32-37 (instead of 10-15
  //      with oracle estimates, under which X would wait: 15-45 on GPU 0).
  const Workload w = jobs_of({{0, 1, 10, 0, 0, 10}, {1, 2, 5, 0, 0, 5}, {2, 1, 30, 0, 0, 5}});
  EngineOptions o;
  o.estimate = EstimateKind::user;
  const RunResult r = run_policy("easy-backfill", w, uniform_cluster(1, 2), o);
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 10);
  CHECK(gpus(r, 0) == V{0});
  CHECK(r.jobs[1].first_start == 32);
  CHECK(r.jobs[1].end == 37);
  CHECK(gpus(r, 1) == V{0, 1});
  CHECK(r.jobs[2].first_start == 2);
  CHECK(r.jobs[2].end == 32);
  CHECK(gpus(r, 2) == V{1});
  const RunResult oracle = run_policy("easy-backfill", w, uniform_cluster(1, 2));
  CHECK(oracle.jobs[1].first_start == 10);
  CHECK(oracle.jobs[1].end == 15);
  CHECK(oracle.jobs[2].first_start == 15);
  CHECK(oracle.jobs[2].end == 45);
  CHECK(gpus(oracle, 2) == V{0});
}
