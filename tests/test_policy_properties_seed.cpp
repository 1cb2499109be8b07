// Random-workload properties of the seed's strategies (load-balance-migrate,
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

#include "engine_fixtures.h"
#include "sim/config.h"
#include "workloads/synthetic.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

const std::vector<std::string> kNonPreemptive{"reservation", "min-min", "max-min", "sufferage", "mct", "met"};
const std::vector<std::string> kPreemptive{"load-balance-migrate", "time-window"};

ClusterSpec two_type_cluster() {
  ClusterSpec c = uniform_cluster(3, 4, 1.0, 2);
  c.gpu_types.push_back(GpuType{.name = "fast", .speed = 2.0, .memory_gb = 80});
  c.node_groups.push_back(NodeGroup{.name = "f", .count = 2, .gpus_per_node = 8, .gpu_type = 1});
  return c;
}

// Priorities, deadlines, time windows, bursts, shares and type constraints.
SyntheticSpec mixed_spec() {
  SyntheticSpec s;
  s.jobs = 250;
  s.arrival = "bursty";
  s.burst_period = 1800;
  s.load = 1.2;
  s.gpu_counts = {1, 2, 4, 8, 16};
  s.gpu_count_weights = {0.5, 0.2, 0.15, 0.1, 0.05};
  s.duration_median = 600;
  s.priorities = {0, 1, 5};
  s.priority_weights = {0.7, 0.2, 0.1};
  s.deadline_fraction = 0.4;
  s.window_fraction = 0.2;
  s.window_delay_max = 900;
  s.share_fraction = 0.15;
  s.preemptible_fraction = 0.8;
  s.gpu_type_choices = {"fast"};
  s.gpu_type_fraction = 0.2;
  return s;
}

// Peak total share on any GPU, from the records of non-preemptive runs:
// +share at start, -share at end, ends first at the same instant.
double peak_share(const RunResult& r) {
  std::map<GpuIndex, std::vector<std::pair<double, double>>> events;
  for (JobIndex j = 0; j < r.jobs.size(); ++j) {
    if (r.jobs[j].outcome != JobOutcome::finished) continue;
    for (GpuIndex g : r.gpus_of(j)) {
      events[g].push_back({r.jobs[j].first_start, r.jobs[j].gpu_share});
      events[g].push_back({r.jobs[j].end, -r.jobs[j].gpu_share});
    }
  }
  double peak = 0;
  for (auto& [g, ev] : events) {
    std::sort(ev.begin(), ev.end());
    double level = 0;
    for (auto [t, d] : ev) peak = std::max(peak, level += d);
  }
  return peak;
}

// Every job ended exactly once; GPU-seconds of the records equal the GPUs' busy time.
void check_common(const RunResult& r, const Workload& w) {
  REQUIRE(r.jobs.size() == w.jobs.size());
  std::uint64_t finished = 0, rejected = 0;
  double held = 0;
  for (const JobRecord& rec : r.jobs) {
    if (rec.outcome == JobOutcome::finished) {
      ++finished;
      CHECK(rec.first_start >= rec.submit);
      CHECK(rec.end >= rec.first_start);
      CHECK(rec.end - rec.first_start >= rec.work / 2.0 - 1e-9);  // never faster than the fastest GPU
    } else {
      ++rejected;
      CHECK(rec.reject_reason != 0);
      CHECK(rec.gpu_seconds == 0);
    }
    held += rec.gpu_seconds;
  }
  CHECK(finished + rejected == w.jobs.size());
  CHECK(r.summary.jobs_completed == finished);
  CHECK(r.summary.jobs_rejected == rejected);
  double busy = 0;
  for (double b : r.gpu_busy_seconds) busy += b;
  CHECK(held == doctest::Approx(busy).epsilon(1e-9));
}

}  // namespace

TEST_CASE("seed strategies and ETC heuristics: invariants on random mixed workloads") {
  const ClusterSpec cluster = two_type_cluster();
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

TEST_CASE("preemptive seed strategies conserve work exactly") {
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

TEST_CASE("seed strategies and ETC heuristics are deterministic") {
  const ClusterSpec cluster = two_type_cluster();
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
