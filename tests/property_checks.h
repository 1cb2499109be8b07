#pragma once
// Checks over a finished run that re-derive properties from the per-job
// records alone (independently of the engine's own accounting), shared by
// the random-workload property tests.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <vector>

#include "engine_fixtures.h"
#include "workloads/synthetic.h"

namespace fastgpu::testing {

// 3 nodes x 4 reference GPUs on switches of 2, plus 2 nodes x 8 GPUs of a
// "fast" type (speed 2, 80 GB).
inline ClusterSpec mixed_test_cluster() {
  ClusterSpec c = uniform_cluster(3, 4, 1.0, 2);
  c.gpu_types.push_back(GpuType{.name = "fast", .speed = 2.0, .memory_gb = 80});
  c.node_groups.push_back(NodeGroup{.name = "f", .count = 2, .gpus_per_node = 8, .gpu_type = 1});
  return c;
}

// A mixed random workload for mixed_test_cluster(): bursty arrivals at load
// 1.2, gangs up to 16 GPUs, three priorities, deadlines and time windows,
// fractional shares and jobs pinned to the "fast" type.
inline SyntheticSpec mixed_test_spec() {
  SyntheticSpec s;
  s.jobs = 150;
  s.arrival = "bursty";
  s.burst_period = 1800;
  s.load = 1.2;
  s.gpu_counts = {1, 2, 4, 8, 16};
  s.gpu_count_weights = {0.5, 0.2, 0.15, 0.1, 0.05};
  s.duration_median = 600;
  s.priorities = {0, 1, 5};
  s.priority_weights = {0.7, 0.2, 0.1};
  s.deadline_fraction = 0.3;
  s.window_fraction = 0.2;
  s.window_delay_max = 900;
  s.share_fraction = 0.15;
  s.preemptible_fraction = 0.8;
  s.gpu_type_choices = {"fast"};
  s.gpu_type_fraction = 0.2;
  return s;
}

// Peak total share on any GPU, from the records of a run without preemption
// or migration (each job held its final GPUs from first start to end): +share
// at start, -share at end, ends before starts at the same instant.
inline double peak_share(const RunResult& r) {
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

// Every job ended exactly once (finished after it started, or rejected), the
// summary agrees, and the GPUs' busy time equals the GPU-seconds the jobs
// held, failed runs of rejected jobs included (work conservation of the accounting). Returns the finished count.
inline std::uint64_t check_every_job_ends_once(const RunResult& r, const Workload& w) {
  std::uint64_t finished = 0, rejected = 0;
  double held = 0;
  for (const JobRecord& rec : r.jobs) {
    if (rec.outcome == JobOutcome::finished) {
      ++finished;
      CHECK(rec.first_start >= rec.submit);
      CHECK(rec.end > rec.first_start);
      held += rec.gpu_seconds;
    } else {
      ++rejected;
      CHECK(rec.preemptions == 0);
      // Only a run that failed (a failed attempt) leaves a rejected job with GPU time.
      if (rec.failed_attempts() == 0) CHECK(rec.gpu_seconds == 0);
      held += rec.gpu_seconds;
    }
  }
  CHECK(finished + rejected == w.jobs.size());
  CHECK(r.summary.jobs_completed == finished);
  double busy = 0;
  for (double b : r.gpu_busy_seconds) busy += b;
  CHECK(held == doctest::Approx(busy).epsilon(1e-9));
  return finished;
}

// Remaining work is exact across preemptions: on a cluster where every job
// runs at rate 1 (one GPU type of speed 1, every gang inside one node), a job
// preempted p times holds its GPUs for its work, p checkpoints, and at most p
// restores (a restore may itself be cut short by a preemption).
inline void check_work_exact(const RunResult& r, const EngineOptions& options) {
  for (const JobRecord& rec : r.jobs) {
    if (rec.outcome != JobOutcome::finished) continue;
    const double per_gpu = rec.gpu_seconds / (rec.num_gpus * rec.gpu_share);
    const double lo = rec.work + rec.preemptions * options.checkpoint_seconds;
    const double hi = lo + rec.preemptions * options.restore_seconds;
    CHECK(per_gpu >= lo - 1e-6 * std::max(1.0, lo));
    CHECK(per_gpu <= hi + 1e-6 * std::max(1.0, hi));
    if (rec.preemptions == 0) CHECK(rec.end - rec.first_start == doctest::Approx(rec.work).epsilon(1e-9));
  }
}

}  // namespace fastgpu::testing
