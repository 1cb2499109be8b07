// Golden scenarios: schedules derived by hand (in the comments) and checked
// exactly, job by job.
#include <doctest/doctest.h>

#include "engine_fixtures.h"
#include "workloads/synthetic.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

namespace {

// 1 node x 4 GPUs, speed 1. Jobs (submit, GPUs, work):
//   A (0, 2, 10)  B (1, 4, 5)  C (2, 1, 3)  D (3, 2, 4)
Workload four_jobs() { return make_workload({{0, 2, 10}, {1, 4, 5}, {2, 1, 3}, {3, 2, 4}}); }

}  // namespace

TEST_CASE("fifo golden: head-of-line blocking") {
  // t=0  A starts on GPUs 0,1, ends 10.
  // t=1  B needs 4, only 2 free: B blocks the queue; C (t=2) and D (t=3) wait behind it.
  // t=10 A ends; B starts on 0-3, ends 15.
  // t=15 B ends; C starts on GPU 0 (ends 18), D on GPUs 1,2 (ends 19).
  const RunResult r = run_policy("fifo", four_jobs(), uniform_cluster(1, 4));
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 10);
  CHECK(gpus(r, 0) == V{0, 1});
  CHECK(r.jobs[1].first_start == 10);
  CHECK(r.jobs[1].end == 15);
  CHECK(gpus(r, 1) == V{0, 1, 2, 3});
  CHECK(r.jobs[2].first_start == 15);
  CHECK(r.jobs[2].end == 18);
  CHECK(gpus(r, 2) == V{0});
  CHECK(r.jobs[3].first_start == 15);
  CHECK(r.jobs[3].end == 19);
  CHECK(gpus(r, 3) == V{1, 2});
  CHECK(r.summary.makespan == 19);
  CHECK(r.summary.jct_mean == doctest::Approx((10 + 14 + 16 + 16) / 4.0));
  // Busy GPU-seconds: 2x10 + 4x5 + 1x3 + 2x4 = 51 over 4 GPUs x 19 s.
  CHECK(r.summary.busy_gpu_seconds == doctest::Approx(51));
  CHECK(r.summary.utilisation == doctest::Approx(51.0 / (4 * 19)));
}

TEST_CASE("sjf golden: shorter jobs overtake a blocked head") {
  // t=0  A starts on 0,1 (ends 10).  t=1 B (5) queued, needs 4: blocked.
  // t=2  C (3) is now the shortest: starts on GPU 2, ends 5.
  // t=3  D (4) is shortest: needs 2, only GPU 3 free: blocks (B behind it).
  // t=5  C ends: D starts on 2,3, ends 9.   t=9 D ends: B still needs 4.
  // t=10 A ends: B starts on 0-3, ends 15.
  const RunResult r = run_policy("sjf", four_jobs(), uniform_cluster(1, 4));
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == 10);
  CHECK(gpus(r, 0) == V{0, 1});
  CHECK(r.jobs[1].first_start == 10);
  CHECK(r.jobs[1].end == 15);
  CHECK(gpus(r, 1) == V{0, 1, 2, 3});
  CHECK(r.jobs[2].first_start == 2);
  CHECK(r.jobs[2].end == 5);
  CHECK(gpus(r, 2) == V{2});
  CHECK(r.jobs[3].first_start == 5);
  CHECK(r.jobs[3].end == 9);
  CHECK(gpus(r, 3) == V{2, 3});
  CHECK(r.summary.makespan == 15);
}

TEST_CASE("least-loaded placement golden: placement follows the monitored load") {
  // 2 nodes x 1 GPU, monitor every 10 s. A (0, 1 GPU, 5): all loads 0, ties by
  // index: GPU 0, runs 0-5. Sample at t=10: GPU 0 load 5/10 = 0.5, GPU 1 load 0.
  // B (12, 1, 1) goes to the least loaded GPU 1 (first-fit would pick GPU 0);
  // C (12, 1, 1) then gets GPU 0, the only free one. Both run 12-13.
  EngineOptions options;
  options.monitor_interval = 10;
  const Workload w = make_workload({{0, 1, 5}, {12, 1, 1}, {12, 1, 1}});
  const RunResult r =
      run_policy("fifo", w, uniform_cluster(2, 1), options, {{"placement", {std::string("least-loaded"), {}}}});
  CHECK(gpus(r, 0) == V{0});
  CHECK(r.jobs[0].end == 5);
  CHECK(gpus(r, 1) == V{1});
  CHECK(gpus(r, 2) == V{0});
  CHECK(r.jobs[1].first_start == 12);
  CHECK(r.jobs[1].end == 13);
  CHECK(r.jobs[2].end == 13);
  const RunResult ff = run_policy("fifo", w, uniform_cluster(2, 1), options);
  CHECK(gpus(ff, 1) == V{0});
  // Time series: samples at 10, then 13 (the end). Over [0,10] GPU 0 was busy
  // 5 s: loads 0.5 and 0, variance 0.0625.
  REQUIRE(r.timeseries.size() >= 2);
  CHECK(r.timeseries[0].time == 10);
  CHECK(r.timeseries[0].load_variance == doctest::Approx(0.0625));
}

TEST_CASE("gangs: speed, topology slowdown and rejection") {
  SUBCASE("spread over two switches pays the cross-switch slowdown") {
    // 2 nodes x 2 GPUs, one node per switch. A 3-GPU job takes node 0 whole
    // and one GPU of node 1: rate 1/1.25, duration 10 x 1.25 = 12.5.
    const RunResult r = run_policy("fifo", make_workload({{0, 3, 10}}), uniform_cluster(2, 2, 1.0, 1));
    CHECK(gpus(r, 0) == V{0, 1, 2});
    CHECK(r.jobs[0].end == doctest::Approx(12.5));
    CHECK(r.jobs[0].runtime_alone == 10);
  }
  SUBCASE("same switch") {
    const RunResult r = run_policy("fifo", make_workload({{0, 3, 10}}), uniform_cluster(2, 2, 1.0, 2));
    CHECK(r.jobs[0].end == doctest::Approx(11));
  }
  SUBCASE("faster GPUs") {
    const RunResult r = run_policy("fifo", make_workload({{0, 2, 10}}), uniform_cluster(1, 2, 2.5));
    CHECK(r.jobs[0].end == 4);
    CHECK(r.jobs[0].runtime_alone == 4);
  }
  SUBCASE("a job larger than the cluster is rejected with a reason") {
    const RunResult r = run_policy("fifo", make_workload({{0, 8, 10}, {1, 1, 2}}), uniform_cluster(1, 4));
    CHECK(r.jobs[0].outcome == JobOutcome::rejected);
    CHECK(r.reject_reasons[r.jobs[0].reject_reason] == "needs more GPUs than the cluster has of any allowed type");
    CHECK(r.jobs[1].end == 3);
    CHECK(r.summary.jobs_rejected == 1);
    CHECK(r.summary.jobs_completed == 1);
  }
}

TEST_CASE("heterogeneous types: constraints and memory") {
  ClusterSpec c = uniform_cluster(1, 2);
  c.gpu_types.push_back(GpuType{.name = "fast", .speed = 2.0, .memory_gb = 80});
  c.node_groups.push_back(NodeGroup{.name = "f", .count = 1, .gpus_per_node = 2, .gpu_type = 1});
  Workload w;
  for (int i = 0; i < 3; ++i) w.jobs.push_back(Job{.id = i, .submit = 0, .num_gpus = 1, .work = 10});
  w.jobs[0].gpu_types = w.intern_type_constraint({"fast"});  // must use GPU 2 or 3
  w.jobs[1].gpu_memory_gb = 40;                               // only "fast" has 40 GB
  w.jobs[2].gpu_memory_gb = 100;                              // nothing has 100 GB
  w.finalize("test");
  // First-fit in order: job 0 -> GPU 2 (first fast), job 1 -> GPU 3; both run at speed 2: end 5.
  const RunResult r = run_policy("fifo", w, c);
  CHECK(gpus(r, 0) == V{2});
  CHECK(gpus(r, 1) == V{3});
  CHECK(r.jobs[0].end == 5);
  CHECK(r.jobs[1].end == 5);
  CHECK(r.jobs[2].outcome == JobOutcome::rejected);
}

TEST_CASE("fractional GPUs share one GPU") {
  // Two half-GPU jobs and a whole-GPU job on 1 node x 2 GPUs: the halves pack
  // onto GPU 0 (best fit), the whole job takes GPU 1. All start at 0.
  Workload w;
  w.jobs = {Job{.id = 0, .submit = 0, .num_gpus = 1, .work = 4, .gpu_share = 0.5f},
            Job{.id = 1, .submit = 0, .num_gpus = 1, .work = 6, .gpu_share = 0.5f},
            Job{.id = 2, .submit = 0, .num_gpus = 1, .work = 8}};
  w.finalize("test");
  const RunResult r = run_policy("fifo", w, uniform_cluster(1, 2));
  CHECK(gpus(r, 0) == V{0});
  CHECK(gpus(r, 1) == V{0});
  CHECK(gpus(r, 2) == V{1});
  CHECK(r.jobs[1].first_start == 0);
  CHECK(r.jobs[2].first_start == 0);
  // Busy GPU-seconds: 0.5x4 + 0.5x6 + 8 = 13.
  CHECK(r.summary.busy_gpu_seconds == doctest::Approx(13));
}

TEST_CASE("dependencies and time windows delay arrival") {
  Workload w;
  w.jobs = {Job{.id = 0, .submit = 0, .num_gpus = 1, .work = 5},
            Job{.id = 1, .submit = 1, .num_gpus = 1, .work = 2},
            Job{.id = 2, .submit = 2, .num_gpus = 1, .work = 1}};
  w.mutable_trace_fields(2).earliest_start = 7;
  w.dependencies = {{0, 1}};  // job 1 waits for job 0
  w.finalize("test");
  // Job 1 arrives when job 0 ends at 5 and runs 5-7; job 2's window opens at 7.
  const RunResult r = run_policy("fifo", w, uniform_cluster(1, 4));
  CHECK(r.jobs[1].first_start == 5);
  CHECK(r.jobs[1].end == 7);
  CHECK(r.jobs[1].wait() == 4);
  CHECK(r.jobs[2].first_start == 7);
  CHECK(r.jobs[2].end == 8);
}

TEST_CASE("monitor: lazy per-GPU loads equal the busy fractions recomputed from the job records") {
  // The engine updates only the GPUs whose usage changed in a window; here
  // every sample's load variance, busy GPUs and memory are recomputed from
  // scratch from where and when each job ran (fifo: no preemption, so a job
  // held its GPUs over [first_start, end) at its share).
  SyntheticSpec s;
  s.jobs = 300;
  s.load = 0.9;
  s.gpu_counts = {1, 2, 4, 8};
  s.gpu_count_weights = {0.5, 0.2, 0.2, 0.1};
  s.duration_median = 300;
  s.share_fraction = 0.3;
  const ClusterSpec cluster = uniform_cluster(4, 4);
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    CAPTURE(seed);
    const Workload w = generate_synthetic(s, cluster, seed);
    EngineOptions options;
    options.monitor_interval = 37;  // windows that cut through jobs
    const RunResult r = run_policy("fifo", w, cluster, options);
    const std::uint32_t gpus_total = r.num_gpus;
    Seconds previous = w.jobs.front().submit;  // the first window begins at the first submit
    REQUIRE(r.timeseries.size() > 50);
    for (const TimeSample& sample : r.timeseries) {
      std::vector<double> busy(gpus_total, 0.0);
      double busy_now = 0, memory_now = 0;
      for (JobIndex j = 0; j < w.jobs.size(); ++j) {
        const Job& job = w.jobs[j];
        const double share = job.milli_per_gpu() / double(kMilliPerGpu);
        const Seconds a = std::max(previous, r.jobs[j].first_start), b = std::min(sample.time, r.jobs[j].end);
        const bool running_now = r.jobs[j].first_start <= sample.time && sample.time < r.jobs[j].end;
        for (GpuIndex g : r.gpus_of(j)) {
          if (b > a) busy[g] += share * (b - a);
          if (running_now) busy_now += share;
        }
        if (running_now) memory_now += job.gpu_memory_gb * job.num_gpus;
      }
      double mean = 0;
      for (double& b : busy) mean += (b /= sample.time - previous);
      mean /= gpus_total;
      double variance = 0;
      for (double b : busy) variance += (b - mean) * (b - mean);
      variance /= gpus_total;
      CHECK(sample.load_variance == doctest::Approx(variance).epsilon(1e-9));
      CHECK(sample.busy_gpus == doctest::Approx(busy_now).epsilon(1e-12));
      CHECK(sample.memory_used_gb == doctest::Approx(memory_now).epsilon(1e-9));
      previous = sample.time;
    }
  }
}
