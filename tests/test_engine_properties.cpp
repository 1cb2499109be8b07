// Properties over random workloads: for many seeds and every non-preemptive
// policy registered here, re-derive from the per-job records alone (an
// independent check of the engine's own accounting) that no GPU was ever
// over-allocated, every job ended exactly once, and GPU-seconds add up.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "engine_fixtures.h"
#include "property_checks.h"
#include "config/config.h"
#include "workloads/synthetic.h"

using namespace fastgpu;
using namespace fastgpu::testing;

TEST_CASE("engine invariants hold on random workloads") {
  const ClusterSpec cluster = mixed_test_cluster();
  SyntheticSpec spec;
  spec.jobs = 300;
  spec.load = 1.2;  // overloaded: queues build up
  spec.gpu_counts = {1, 2, 4, 8, 16, 64};
  spec.gpu_count_weights = {0.5, 0.2, 0.1, 0.1, 0.07, 0.03};
  spec.share_fraction = 0.2;
  spec.duration_median = 600;
  spec.gpu_type_choices = {"fast"};
  spec.gpu_type_fraction = 0.2;
  // fifo, sjf, and fifo with the least-loaded placement.
  const std::pair<std::string, std::string> runs[] = {
      {"fifo", "first-fit"}, {"sjf", "first-fit"}, {"fifo", "least-loaded"}};
  for (const auto& [policy, placement] : runs) {
    const RawParams params{{"placement", {placement, {}}}};
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      CAPTURE(policy);
      CAPTURE(placement);
      CAPTURE(seed);
      const Workload w = generate_synthetic(spec, cluster, seed);
      EngineOptions options;
      options.seed = seed;
      const RunResult r = run_policy(policy, w, cluster, options, params);
      // Every job ended exactly once: finished with start <= end, or rejected.
      std::uint64_t finished = 0, rejected = 0;
      for (const JobRecord& rec : r.jobs) {
        if (rec.outcome == JobOutcome::finished) {
          ++finished;
          CHECK(rec.first_start >= rec.submit);
          // Never faster than the fastest GPU allows.
          CHECK(rec.end - rec.first_start >= rec.work / 2.0 - 1e-9);
        } else {
          ++rejected;
          CHECK(rec.num_gpus > 16);  // only gangs larger than any type are rejected
        }
      }
      CHECK(finished + rejected == w.jobs.size());
      CHECK(r.summary.jobs_completed == finished);
      CHECK(peak_share(r) <= 1.0 + 1e-9);
      // GPU-seconds: per job, shares x GPUs x (end - start) for these
      // non-preemptive policies; their sum equals the GPUs' busy time.
      double from_records = 0;
      for (const JobRecord& rec : r.jobs) {
        if (rec.outcome == JobOutcome::finished) {
          from_records += rec.gpu_share * rec.num_gpus * (rec.end - rec.first_start);
        }
      }
      double from_gpus = 0;
      for (double b : r.gpu_busy_seconds) from_gpus += b;
      CHECK(from_records == doctest::Approx(from_gpus).epsilon(1e-9));
    }
  }
}

TEST_CASE("runs are deterministic") {
  const ClusterSpec cluster = mixed_test_cluster();
  SyntheticSpec spec;
  spec.jobs = 500;
  const Workload w = generate_synthetic(spec, cluster, 7);
  const std::pair<std::string, std::string> runs[] = {
      {"fifo", "first-fit"}, {"sjf", "first-fit"}, {"fifo", "least-loaded"}};
  for (const auto& [policy, placement] : runs) {
    CAPTURE(policy);
    CAPTURE(placement);
    const RawParams params{{"placement", {placement, {}}}};
    const RunResult a = run_policy(policy, w, cluster, {}, params), b = run_policy(policy, w, cluster, {}, params);
    REQUIRE(a.jobs.size() == b.jobs.size());
    for (std::size_t j = 0; j < a.jobs.size(); ++j) {
      CHECK(a.jobs[j].first_start == b.jobs[j].first_start);
      CHECK(a.jobs[j].end == b.jobs[j].end);
    }
    CHECK(a.gpu_arena == b.gpu_arena);
  }
}
