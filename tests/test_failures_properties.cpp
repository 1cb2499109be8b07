// Every registered policy with hardware failures on (a seeded model with a
// short MTBF, so most long jobs are hit, with and without checkpoints): the
// engine invariants hold after every instant (no GPU over-allocated, none
// allocated or counted free while failed), every job ends exactly once, busy
// time equals the GPU-seconds the jobs held, and the held GPU-seconds split
// into useful + lost + overheads, each checked against a value derived from
// the records alone. On this cluster every job runs at rate 1 (one type of
// speed 1, no communication slowdown), so a finished job's useful
// GPU-seconds are its work times its GPUs; a failure loses less than one
// checkpoint interval of progress; the overheads are checkpoint and restore
// time only.
#include <doctest/doctest.h>

#include <bit>
#include <cstdint>
#include <memory>

#include "property_checks.h"
#include "workloads/synthetic.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

ClusterSpec rate_one_cluster() {
  ClusterSpec c = uniform_cluster(4, 8, 1.0, 2);
  c.slowdown = PlacementSlowdown{.same_node = 1.0, .same_switch = 1.0, .cross_switch = 1.0};
  return c;
}

SyntheticSpec failure_test_spec() {
  SyntheticSpec s = mixed_test_spec();
  s.jobs = 80;
  s.gpu_type_choices.clear();
  s.gpu_type_fraction = 0;
  s.duration_median = 1800;
  return s;
}

}  // namespace

TEST_CASE("every policy with hardware failures: invariants, exactly-once ends, GPU-seconds conserved") {
  const ClusterSpec cluster = rate_one_cluster();
  const SyntheticSpec spec = failure_test_spec();
  std::uint64_t runs = 0, stops = 0;
  for (const PolicyInfo& info : builtin_policies().all()) {
    for (const Seconds interval : {0.0, 300.0}) {
      for (std::uint64_t seed = 1; seed <= (info.name == "ga" ? 1u : 2u); ++seed) {
        CAPTURE(info.name);
        CAPTURE(interval);
        CAPTURE(seed);
        Workload w = generate_synthetic(spec, cluster, seed);
        // `recorded` replays recorded starts: give every job one, at its submit.
        for (JobIndex j = 0; j < w.jobs.size(); ++j) w.mutable_trace_fields(j).recorded_start = w.jobs[j].submit;
        auto failures = std::make_shared<FailureSpec>();
        failures->model = seed == 1 ? FailureModel::exponential : FailureModel::weibull;
        failures->weibull_shape = 0.8;
        failures->reliability = {TypeReliability{.mtbf = 20 * 3600.0, .mttr = 600}};
        failures->checkpoint_interval = interval;
        EngineOptions options;
        options.seed = seed;
        options.monitor_interval = 120;
        options.failures = failures;
        const RunResult r = run_policy(info.name, w, cluster, options);
        // Every job ended once; busy time = GPU-seconds held. A job that a
        // failure (or a preemption) sent back to the queue may then be
        // rejected (time-window: its window passed), so a rejected job may
        // have held GPUs, unlike in check_every_job_ends_once.
        std::uint64_t finished = 0, rejected = 0;
        double held = 0, busy = 0;
        for (const JobRecord& rec : r.jobs) {
          (rec.outcome == JobOutcome::finished ? finished : rejected) += 1;
          held += rec.gpu_seconds;
          if (rec.outcome == JobOutcome::finished) CHECK(rec.end > rec.first_start);
          if (rec.outcome == JobOutcome::rejected && rec.gpu_seconds > 0)
            CHECK(rec.failure_stops + rec.preemptions > 0);
        }
        for (double b : r.gpu_busy_seconds) busy += b;
        CHECK(finished + rejected == w.jobs.size());
        CHECK(r.summary.jobs_completed == finished);
        CHECK(held == doctest::Approx(busy).epsilon(1e-9));
        if (info.name != "time-window") CHECK(r.summary.jobs_rejected == 0);
        std::uint64_t job_stops = 0;
        double lost = 0, useful = 0;
        for (const JobRecord& rec : r.jobs) {
          job_stops += rec.failure_stops;
          lost += rec.lost_gpu_seconds;
          useful += rec.useful_gpu_seconds;
          if (rec.outcome != JobOutcome::finished) continue;
          const double gpus = rec.num_gpus * static_cast<double>(rec.gpu_share);
          const double eps = 1e-6 * std::max(1.0, rec.gpu_seconds);
          CHECK(rec.useful_gpu_seconds == doctest::Approx(rec.work * gpus).epsilon(1e-9));
          if (interval > 0) CHECK(rec.lost_gpu_seconds <= rec.failure_stops * interval * gpus + eps);
          if (rec.failure_stops == 0) CHECK(rec.lost_gpu_seconds == 0);
          const double overhead = rec.gpu_seconds - rec.useful_gpu_seconds - rec.lost_gpu_seconds;
          const double most = gpus * ((rec.preemptions + rec.migrations) *
                                          (options.checkpoint_seconds + options.restore_seconds) +
                                      rec.failure_stops * options.restore_seconds);
          CHECK(overhead >= -eps);
          CHECK(overhead <= most + eps);
        }
        CHECK(r.summary.failure_stops == job_stops);
        CHECK(r.summary.lost_gpu_seconds == doctest::Approx(lost));
        CHECK(r.summary.useful_gpu_seconds == doctest::Approx(useful));
        CHECK(r.summary.hardware_failures > 0);
        stops += job_stops;
        if (seed == 1 && interval == 0) {
          const RunResult again = run_policy(info.name, w, cluster, options);
          CHECK(again.gpu_arena == r.gpu_arena);
          CHECK(again.summary.hardware_failures == r.summary.hardware_failures);
          for (JobIndex j = 0; j < r.jobs.size(); ++j)
            CHECK(std::bit_cast<std::uint64_t>(again.jobs[j].end) == std::bit_cast<std::uint64_t>(r.jobs[j].end));
        }
        ++runs;
      }
    }
  }
  CHECK(runs >= 16 * 2 * 2);
  CHECK(stops > runs);  // failures did stop jobs, more than one a run on average
}
