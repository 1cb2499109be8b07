// Random-workload properties of the load-balancing, reservation and window strategies (load-balance-migrate,
// reservation, time-window) and the heterogeneity heuristics (min-min,
// max-min, sufferage, mct, met). For many seeds, re-derived from the per-job
// records alone: every job ends exactly once, GPU-seconds add up, no GPU is
// ever over-allocated (non-preemptive policies), and for the preemptive ones
// the work is conserved exactly (free preemption) or within the checkpoint and
// restore costs. The engine's own invariants are checked after every instant
// (run_policy turns check_invariants on).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "property_checks.h"
#include "config/config.h"
#include "workloads/synthetic.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

const std::vector<std::string> kNonPreemptive{"reservation", "min-min", "max-min", "sufferage", "mct", "met"};
const std::vector<std::string> kPreemptive{"load-balance-migrate", "time-window"};

// Priorities, deadlines, time windows, bursts, shares and type constraints.
SyntheticSpec mixed_spec() {
  SyntheticSpec s = mixed_test_spec();
  s.jobs = 250;
  s.deadline_fraction = 0.4;
  return s;
}

// check_every_job_ends_once, plus: rejected jobs held nothing and have a
// reason, and no job ran faster than on the fastest GPU (speed 2).
void check_common(const RunResult& r, const Workload& w) {
  REQUIRE(r.jobs.size() == w.jobs.size());
  check_every_job_ends_once(r, w);
  std::uint64_t rejected = 0;
  for (const JobRecord& rec : r.jobs) {
    if (rec.outcome == JobOutcome::finished) {
      CHECK(rec.end - rec.first_start >= rec.work / 2.0 - 1e-9);
    } else {
      ++rejected;
      CHECK(rec.reject_reason != 0);
      CHECK(rec.gpu_seconds == 0);
    }
  }
  CHECK(r.summary.jobs_rejected == rejected);
}

}  // namespace

TEST_CASE("balancing, reservation and window strategies and ETC heuristics: invariants on random mixed workloads") {
  const ClusterSpec cluster = mixed_test_cluster();
  const SyntheticSpec spec = mixed_spec();
  for (const std::vector<std::string>* group : {&kNonPreemptive, &kPreemptive}) {
    for (const std::string& policy : *group) {
      for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        CAPTURE(policy);
        CAPTURE(seed);
        const Workload w = generate_synthetic(spec, cluster, seed);
        EngineOptions options;
        options.seed = seed;
        options.monitor_interval = 120;
        const RunResult r = run_policy(policy, w, cluster, options);
        check_common(r, w);
        if (group == &kNonPreemptive) {
          CHECK(r.summary.preemptions == 0);
          CHECK(r.summary.migrations == 0);
          CHECK(peak_share(r) <= 1.0 + 1e-9);
          for (const JobRecord& rec : r.jobs) {
            if (rec.outcome != JobOutcome::finished) continue;
            // One allocation from start to end.
            CHECK(rec.gpu_seconds == doctest::Approx(rec.gpu_share * rec.num_gpus * (rec.end - rec.first_start)));
          }
        }
        // Only time-window rejects runnable jobs (for their deadline); the
        // others reject only gangs larger than any GPU type (16 > 12 slow GPUs
        // is fine, they fit the 16 fast ones; none is too large here).
        if (policy != "time-window") CHECK(r.summary.jobs_rejected == 0);
        // Reservation: every protected arrival is a hit or a miss.
        if (policy == "reservation") {
          std::uint64_t protected_jobs = 0;
          for (const Job& job : w.jobs) protected_jobs += job.priority >= 1;
          CHECK(r.summary.reservation_hits + r.summary.reservation_misses == protected_jobs);
        }
      }
    }
  }
}

TEST_CASE("preemptive balancing, reservation and window strategies conserve work exactly") {
  // Speed-1 GPUs and no topology slowdown, so a job progresses at rate 1
  // whenever it is not paused: the GPU time it held is its work plus, per
  // preemption or migration, at most checkpoint + restore (at least the
  // checkpoint; less restore only when it is interrupted again while
  // restoring). With free preemption it is exactly its work.
  ClusterSpec cluster = uniform_cluster(4, 4);
  cluster.slowdown = PlacementSlowdown{1.0, 1.0, 1.0};
  SyntheticSpec spec = mixed_spec();
  spec.gpu_counts = {1, 2, 4};
  spec.gpu_count_weights = {0.6, 0.25, 0.15};
  spec.gpu_type_choices.clear();
  spec.gpu_type_fraction = 0;
  for (const std::string& policy : kPreemptive) {
    for (const bool free_preemption : {true, false}) {
      std::uint64_t interrupted = 0;
      for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        CAPTURE(policy);
        CAPTURE(free_preemption);
        CAPTURE(seed);
        const Workload w = generate_synthetic(spec, cluster, seed);
        EngineOptions options;
        options.seed = seed;
        options.monitor_interval = 60;
        options.checkpoint_seconds = free_preemption ? 0 : 7;
        options.restore_seconds = free_preemption ? 0 : 5;
        RawParams params;
        if (policy == "load-balance-migrate") {  // migrate readily
          params = {{"threshold", {0.3, {}}},
                    {"threshold_low", {0.1, {}}},
                    {"min_remaining", {0.0, {}}},
                    {"cooldown", {60.0, {}}}};
        }
        const RunResult r = run_policy(policy, w, cluster, options, params);
        check_common(r, w);
        for (const JobRecord& rec : r.jobs) {
          if (rec.outcome != JobOutcome::finished) continue;
          const double per_gpu = rec.gpu_seconds / (rec.num_gpus * rec.gpu_share);
          const double breaks = rec.preemptions + rec.migrations;
          interrupted += breaks > 0;
          if (free_preemption) {
            CHECK(per_gpu == doctest::Approx(rec.work).epsilon(1e-9));
          } else {
            CHECK(per_gpu >= rec.work + breaks * options.checkpoint_seconds - 1e-6);
            CHECK(per_gpu <= rec.work + breaks * (options.checkpoint_seconds + options.restore_seconds) + 1e-6);
          }
        }
      }
      CHECK(interrupted > 0);  // the workloads do preempt or migrate
    }
  }
}

TEST_CASE("balancing, reservation and window strategies and ETC heuristics are deterministic") {
  const ClusterSpec cluster = mixed_test_cluster();
  const Workload w = generate_synthetic(mixed_spec(), cluster, 3);
  std::vector<std::string> all = kNonPreemptive;
  all.insert(all.end(), kPreemptive.begin(), kPreemptive.end());
  for (const std::string& policy : all) {
    CAPTURE(policy);
    const RunResult a = run_policy(policy, w, cluster), b = run_policy(policy, w, cluster);
    REQUIRE(a.jobs.size() == b.jobs.size());
    for (std::size_t j = 0; j < a.jobs.size(); ++j) {
      CHECK(a.jobs[j].first_start == b.jobs[j].first_start);
      CHECK(a.jobs[j].end == b.jobs[j].end);
    }
    CHECK(a.gpu_arena == b.gpu_arena);
  }
}
