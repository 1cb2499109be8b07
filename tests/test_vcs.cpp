// Virtual clusters ([[cluster.vcs]]): schedules and per-VC metrics derived by
// hand on a 2-VC cluster, with and without lending; and, for every policy on
// random mixed workloads, no job runs outside its VC without lending, and the
// engine invariants hold with VCs (and lending) on.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "engine_fixtures.h"
#include "property_checks.h"
#include "results_io/hdf5_reader.h"
#include "results_io/hdf5_writer.h"
#include "results_io/run_result_codec.h"
#include "scratch_dir.h"
#include "workloads/synthetic.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

// J0: a, 4 GPUs, 100 s at 0; J1: a, 2 GPUs, 50 s at 10; J2: b, 4 GPUs, 30 s at 20.
Workload two_vc_workload() {
  Workload w = make_workload({{0, 4, 100}, {10, 2, 50}, {20, 4, 30}});
  const std::uint16_t a = w.intern_vc("a"), b = w.intern_vc("b");
  w.jobs[0].vc = a;
  w.jobs[1].vc = a;
  w.jobs[2].vc = b;
  return w;
}

EngineOptions no_overheads() {
  EngineOptions o;
  o.checkpoint_seconds = 0;
  o.restore_seconds = 0;
  return o;
}

const VcSummary& vc(const RunResult& r, const std::string& name) {
  const auto it = std::find_if(r.vcs.begin(), r.vcs.end(), [&](const VcSummary& v) { return v.name == name; });
  REQUIRE(it != r.vcs.end());
  return *it;
}

}  // namespace

TEST_CASE("vcs: a job of a full VC waits although the other VC's GPUs are idle") {
  // fifo, first-fit, no lending.
  //   t=0   J0 (a) takes node 0 {0..3} until 100.
  //   t=10  J1 (a, 2 GPUs): node 0 is full; node 1 is idle but belongs to b: waits.
  //   t=20  J2 (b) starts on node 1 {4..7} (J1's wait holds up only VC a), ends 50.
  //   t=100 J1 starts on node 0, ends 150.
  // Per VC: a: waits 0, 90 -> 45; JCTs 100, 140 -> 120; busy 4x100 + 2x50 = 500
  //   GPU-s of 4 GPUs x makespan 150 -> 0.8333. b: wait 0, JCT 30, 4x30 / 600 = 0.2.
  const RunResult r = run_policy("fifo", two_vc_workload(), two_vc_cluster(false), no_overheads());
  CHECK(r.jobs[1].first_start == 100);
  CHECK(r.jobs[1].end == 150);
  CHECK(gpus(r, 1) == std::vector<GpuIndex>{0, 1});
  CHECK(r.jobs[2].first_start == 20);
  CHECK(r.jobs[2].end == 50);
  REQUIRE(r.vcs.size() == 2);
  const VcSummary& a = vc(r, "a");
  CHECK(a.gpus == 4);
  CHECK(a.jobs_total == 2);
  CHECK(a.jobs_completed == 2);
  CHECK(a.wait_mean == 45);
  CHECK(a.jct_mean == 120);
  CHECK(a.utilisation == doctest::Approx(500.0 / 600.0));
  CHECK(a.lent_gpu_seconds == 0);
  const VcSummary& b = vc(r, "b");
  CHECK(b.jobs_total == 1);
  CHECK(b.wait_mean == 0);
  CHECK(b.jct_mean == 30);
  CHECK(b.utilisation == doctest::Approx(0.2));
  CHECK(b.reclaims == 0);

  // The same jobs without VCs: J1 takes node 1 at 10 (no partition).
  ClusterSpec open = two_vc_cluster(false);
  open.vcs.clear();
  const RunResult plain = run_policy("fifo", two_vc_workload(), open, no_overheads());
  CHECK(plain.jobs[1].first_start == 10);
  CHECK(plain.vcs.empty());
}

TEST_CASE("vcs: with lending, a job borrows idle GPUs and is reclaimed when their owner needs them") {
  // fifo, first-fit, lending on, no checkpoint or restore time.
  //   t=0   J0 (a) on node 0 until 100.
  //   t=10  J1 (a, 2 GPUs): node 0 full; b has no job waiting, so J1 borrows
  //         node 1 {4,5} at once (wait 0).
  //   t=20  J2 (b, 4 GPUs): node 1 has 2 free; 2 free + 2 lent to J1 = 4, so J1
  //         is stopped (10 s done, 40 s left) and J2 starts on {4..7}, ends 50.
  //   t=50  b has no job waiting: J1 borrows {4,5} again, ends 50 + 40 = 90.
  // Per VC: a: waits 0, 0; JCTs 100, 80 -> 90; node 0 busy 400 of 4 x 100 -> 1.0.
  //   b: JCT 30; node 1 busy 2x10 + 4x30 + 2x40 = 220 of 400 -> 0.55; lent
  //   2x10 + 2x40 = 100 GPU-s; 1 reclaim.
  const RunResult r = run_policy("fifo", two_vc_workload(), two_vc_cluster(true), no_overheads());
  CHECK(r.jobs[1].first_start == 10);
  CHECK(r.jobs[1].preemptions == 1);
  CHECK(r.jobs[1].end == 90);
  CHECK(gpus(r, 1) == std::vector<GpuIndex>{4, 5});
  CHECK(r.jobs[2].first_start == 20);
  CHECK(r.jobs[2].end == 50);
  const VcSummary& a = vc(r, "a");
  CHECK(a.wait_mean == 0);
  CHECK(a.jct_mean == 90);
  CHECK(a.utilisation == doctest::Approx(1.0));
  CHECK(a.reclaims == 0);
  const VcSummary& b = vc(r, "b");
  CHECK(b.jct_mean == 30);
  CHECK(b.utilisation == doctest::Approx(0.55));
  CHECK(b.lent_gpu_seconds == doctest::Approx(100));
  CHECK(b.reclaims == 1);
  check_every_job_ends_once(r, two_vc_workload());

  // A job that is not preemptible never borrows (it could not be given back).
  Workload pinned = two_vc_workload();
  pinned.jobs[1].preemptible = false;
  const RunResult waits = run_policy("fifo", pinned, two_vc_cluster(true), no_overheads());
  CHECK(waits.jobs[1].first_start == 100);
}

TEST_CASE("vcs: the per-VC rows go to HDF5 (table vcs) and through the MPI codec unchanged") {
  RunResult r = run_policy("fifo", two_vc_workload(), two_vc_cluster(true), no_overheads());
  REQUIRE(r.vcs.size() == 2);
  fastgpu::testing::ScratchDir dir("vcs-h5");
  const std::string path = dir / "r.h5";
  write_results(path, ResultsFileMeta{"vcs", "", "", {}}, {r});
  const std::vector<VcSummary> back = read_vc_summaries(path, r.policy, r.workload, r.seed);
  const std::vector<VcSummary> decoded = decode_run_result(encode_run_result(r)).vcs;
  for (const std::vector<VcSummary>* got : {&back, &decoded}) {
    REQUIRE(got->size() == 2);
    for (std::size_t v = 0; v < 2; ++v) {
      const VcSummary &a = (*got)[v], &b = r.vcs[v];
      CHECK(a.name == b.name);
      CHECK(a.gpus == b.gpus);
      CHECK(a.jobs_total == b.jobs_total);
      CHECK(a.jobs_completed == b.jobs_completed);
      CHECK(a.jobs_rejected == b.jobs_rejected);
      CHECK(a.wait_mean == b.wait_mean);
      CHECK(a.jct_mean == b.jct_mean);
      CHECK(a.utilisation == b.utilisation);
      CHECK(a.lent_gpu_seconds == b.lent_gpu_seconds);
      CHECK(a.reclaims == b.reclaims);
    }
  }
  CHECK(back[1].name == "b");
  CHECK(back[1].reclaims == 1);
}

TEST_CASE("vcs: a job larger than its VC is rejected on arrival; jobs without a VC run anywhere") {
  Workload w = make_workload({{0, 8, 10}, {0, 8, 10}});
  w.jobs[0].vc = w.intern_vc("a");
  const RunResult r = run_policy("fifo", w, two_vc_cluster(false), no_overheads());
  CHECK(r.jobs[0].outcome == JobOutcome::rejected);
  CHECK(r.reject_reasons[r.jobs[0].reject_reason] ==
        "needs more GPUs than its virtual cluster 'a' has of any allowed type");
  CHECK(r.jobs[1].outcome == JobOutcome::finished);  // no VC: both nodes
  CHECK(r.jobs[1].first_start == 0);
  CHECK(r.vcs[0].jobs_rejected == 1);
}

TEST_CASE("vcs: a job naming a VC the cluster does not define is an input error") {
  Workload w = make_workload({{0, 1, 10}});
  w.jobs[0].vc = w.intern_vc("zz");
  CHECK_THROWS_WITH_AS(run_policy("fifo", w, two_vc_cluster(false)),
                       doctest::Contains("virtual cluster 'zz', which [[cluster.vcs]] does not define"), InputError);
}

TEST_CASE("vcs: a policy that starts a job outside its VC is refused") {
  struct Outside : Policy {
    void schedule(SchedulingContext& ctx) override {
      for (JobIndex j : std::vector<JobIndex>(ctx.pending().begin(), ctx.pending().end())) {
        const std::vector<GpuIndex> g{4};  // node 1: VC b
        ctx.start(j, g);
      }
    }
  } policy;
  Workload w = make_workload({{0, 1, 10}});
  w.jobs[0].vc = w.intern_vc("a");
  CHECK_THROWS_WITH_AS(simulate(w, two_vc_cluster(false), policy), doctest::Contains("outside its virtual cluster 'a'"),
                       PolicyError);
}

TEST_CASE("vcs: every policy keeps jobs in their VC, and the invariants hold with lending") {
  // mixed_test_cluster: nodes 0-2 of 4 "gpu" GPUs, nodes 3-4 of 8 "fast" GPUs.
  ClusterSpec cluster = mixed_test_cluster();
  cluster.vcs = {VirtualCluster{"a", {0, 1, 3}}, VirtualCluster{"b", {2, 4}}};
  const SyntheticSpec spec = mixed_test_spec();
  std::uint64_t runs = 0;
  for (const bool lending : {false, true}) {
    cluster.vc_lending = lending;
    for (const PolicyInfo& info : builtin_policies().all()) {
      if (info.name == "recorded") continue;
      for (std::uint64_t seed = 1; seed <= 2; ++seed) {
        CAPTURE(info.name);
        CAPTURE(lending);
        CAPTURE(seed);
        Workload w = generate_synthetic(spec, cluster, seed);
        const std::uint16_t a = w.intern_vc("a"), b = w.intern_vc("b");
        // Every third job has no VC (it may run anywhere).
        for (Job& j : w.jobs) j.vc = j.id % 3 == 0 ? 0 : j.id % 3 == 1 ? a : b;
        EngineOptions options;
        options.seed = seed;
        options.monitor_interval = 120;
        const RunResult r = run_policy(info.name, w, cluster, options);  // invariants after every instant
        check_every_job_ends_once(r, w);
        REQUIRE(r.vcs.size() == 2);
        std::uint64_t vc_jobs = 0;
        for (JobIndex j = 0; j < w.jobs.size(); ++j) {
          const JobRecord& rec = r.jobs[j];
          if (w.jobs[j].vc != 0) ++vc_jobs;
          if (rec.outcome == JobOutcome::rejected) {
            const std::string& why = r.reject_reasons[rec.reject_reason];
            CAPTURE(why);
            CHECK((info.name == "time-window" || why.find("virtual cluster") != std::string::npos ||
                   why.find("more GPUs than the cluster") != std::string::npos));
            continue;
          }
          if (lending || w.jobs[j].vc == 0) continue;
          const NodeIndex own_a[] = {0, 1, 3}, own_b[] = {2, 4};
          for (GpuIndex g : r.gpus_of(j)) {
            const NodeIndex n = g < 12 ? g / 4 : 3 + (g - 12) / 8;
            const bool in_a = std::find(std::begin(own_a), std::end(own_a), n) != std::end(own_a);
            const bool in_b = std::find(std::begin(own_b), std::end(own_b), n) != std::end(own_b);
            CHECK((w.jobs[j].vc == a ? in_a : in_b));
          }
        }
        CHECK(r.vcs[0].jobs_total + r.vcs[1].jobs_total == vc_jobs);
        if (!lending) CHECK(r.vcs[0].lent_gpu_seconds + r.vcs[1].lent_gpu_seconds == 0);
        ++runs;
      }
    }
  }
  CHECK(runs >= 2 * 16 * 2);
}
