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
