// Every registered policy (except `ga`, tested in test_ga_policy.cpp, and
// `recorded`, which needs a trace's recorded starts) under every runtime
// estimator: on random mixed workloads (priorities, deadlines, windows,
// bursts, shares, type constraints, two GPU types) and many seeds, the engine
// invariants hold after every instant (run_policy turns the check on), every
// job ends exactly once, GPU-seconds add up, no job is rejected that could
// run (only time-window rejects, for deadlines), and a rerun is identical.
// A policy that leans on runtimes must still finish everything when it is
// told none (`none`) or wrong ones (`noisy`).
#include <doctest/doctest.h>

#include <bit>
#include <cstdint>

#include "property_checks.h"
#include "workloads/synthetic.h"

using namespace fastgpu;
using namespace fastgpu::testing;

TEST_CASE("every policy, every estimator: invariants, exactly-once ends, determinism") {
  const ClusterSpec cluster = mixed_test_cluster();
  const SyntheticSpec spec = mixed_test_spec();
  std::uint64_t runs = 0;
  for (const PolicyInfo& info : builtin_policies().all()) {
    if (info.name == "ga" || info.name == "recorded") continue;
    for (const EstimateKind kind : {EstimateKind::oracle, EstimateKind::noisy, EstimateKind::none}) {
      for (std::uint64_t seed = 1; seed <= 4; ++seed) {
        CAPTURE(info.name);
        CAPTURE(to_string(kind));
        CAPTURE(seed);
        const Workload w = generate_synthetic(spec, cluster, seed);
        EngineOptions options;
        options.seed = seed;
        options.estimate = kind;
        options.estimate_sigma = 1.0;
        options.monitor_interval = 120;
        const RunResult r = run_policy(info.name, w, cluster, options);
        check_every_job_ends_once(r, w);
        if (info.name != "time-window") CHECK(r.summary.jobs_rejected == 0);
        for (const JobRecord& rec : r.jobs) {
          if (rec.outcome == JobOutcome::rejected) CHECK(rec.reject_reason != 0);
        }
        if (seed == 1) {
          const RunResult again = run_policy(info.name, w, cluster, options);
          CHECK(again.gpu_arena == r.gpu_arena);
          for (JobIndex j = 0; j < r.jobs.size(); ++j) {
            // NaN (a rejected job never started) equals NaN here.
            CHECK(std::bit_cast<std::uint64_t>(again.jobs[j].first_start) ==
                  std::bit_cast<std::uint64_t>(r.jobs[j].first_start));
            CHECK(std::bit_cast<std::uint64_t>(again.jobs[j].end) == std::bit_cast<std::uint64_t>(r.jobs[j].end));
          }
        }
        ++runs;
      }
    }
  }
  CHECK(runs >= 15 * 3 * 4);
}

// The same workloads with failed attempts on a third of the jobs (one to three
// runs that fail, some longer than the job, some recorded starts for
// `recorded`), from scratch and with progress kept: for every policy the
// invariants hold after every instant (GPU-seconds of failed runs included in
// the conservation check), every job ends once, and a job that finished paid
// for each failed attempt: its failed runs held at least their length on the
// fastest GPUs, and from scratch it failed exactly as often as recorded.
TEST_CASE("every policy with failed attempts: invariants, exactly-once ends, failed runs paid for") {
  const ClusterSpec cluster = mixed_test_cluster();
  const SyntheticSpec spec = mixed_test_spec();
  const double fastest = 2.0;  // mixed_test_cluster's "fast" type
  std::uint64_t runs = 0;
  for (const PolicyInfo& info : builtin_policies().all()) {
    if (info.name == "ga") continue;  // its own tests (test_ga_policy.cpp): too slow for this sweep
    for (const bool keep : {false, true}) {
      for (std::uint64_t seed = 1; seed <= 2; ++seed) {
        CAPTURE(info.name);
        CAPTURE(keep);
        CAPTURE(seed);
        Workload w = generate_synthetic(spec, cluster, seed);
        for (std::size_t j = 0; j < w.jobs.size(); j += 3) {
          Job& job = w.jobs[j];
          std::vector<FailedAttempt> attempts;
          for (std::size_t k = 0; k <= (j / 3) % 3; ++k)
            attempts.push_back({.length = job.work * (0.2 + 0.7 * static_cast<double>(k)),
                                .recorded_start = k == 0 ? job.submit + 60 : NAN});
          w.set_failed_attempts(w.mutable_trace_fields(static_cast<JobIndex>(j)), attempts);
        }
        w.finalize("test");
        EngineOptions options;
        options.seed = seed;
        options.monitor_interval = 120;
        options.keep_progress_on_failure = keep;
        const RunResult r = run_policy(info.name, w, cluster, options);
        check_every_job_ends_once(r, w);
        std::uint64_t failed = 0;
        for (JobIndex j = 0; j < w.jobs.size(); ++j) {
          const JobRecord& rec = r.jobs[j];
          failed += rec.failed_attempts();
          if (rec.outcome != JobOutcome::finished) continue;
          const std::uint32_t planned = w.trace_fields_of(j).failed_attempts;
          CHECK(rec.failed_attempts() <= planned);
          if (!keep) CHECK(rec.failed_attempts() == planned);
          double lengths = 0;
          for (std::uint32_t k = 0; k < rec.failed_attempts(); ++k) lengths += w.failed_attempts_of(j)[k].length;
          const double per_gpu = rec.failed_gpu_seconds / (rec.num_gpus * rec.gpu_share);
          CHECK(per_gpu >= lengths / fastest - 1e-6 * std::max(1.0, lengths));
          CHECK(rec.failed_gpu_seconds <= rec.gpu_seconds + 1e-9 * std::max(1.0, rec.gpu_seconds));
          CHECK(rec.final_start >= rec.first_start);
        }
        CHECK(r.summary.failed_attempts == failed);
        if (!keep && info.name != "time-window") CHECK(failed > 0);
        ++runs;
      }
    }
  }
  CHECK(runs >= 16 * 2 * 2);
}
