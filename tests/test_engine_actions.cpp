// Preemption, migration, timers and the validation of policy actions, driven
// by small scripted policies.
#include <doctest/doctest.h>

#include <functional>

#include "engine_fixtures.h"
#include "sim/error.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

// A policy whose hooks are lambdas, so each test scripts exactly its actions.
struct ScriptedPolicy : Policy {
  std::function<void(SchedulingContext&)> on_init, on_schedule;
  std::function<void(SchedulingContext&, std::uint64_t)> on_timer_fn;
  std::function<void(SchedulingContext&, JobIndex)> on_requeue_fn;
  void init(SchedulingContext& ctx) override {
    if (on_init) on_init(ctx);
  }
  void schedule(SchedulingContext& ctx) override {
    if (on_schedule) on_schedule(ctx);
  }
  void on_timer(SchedulingContext& ctx, std::uint64_t tag) override {
    if (on_timer_fn) on_timer_fn(ctx, tag);
  }
  void on_requeue(SchedulingContext& ctx, JobIndex j) override {
    if (on_requeue_fn) on_requeue_fn(ctx, j);
  }
};

EngineOptions costs() {
  EngineOptions o;
  o.checkpoint_seconds = 2;
  o.restore_seconds = 3;
  o.check_invariants = true;
  return o;
}

}  // namespace

TEST_CASE("preemption keeps the remaining work and charges checkpoint and restore") {
  // Job (0, 1 GPU, work 10) starts on GPU 0 at 0; preempted at 4 with 6 left.
  // Checkpoint holds GPU 0 until 6; requeued at 6 and restarted on GPU 1:
  // restore 3 s, progress from 9, finishes at 15. Held: 6 s + 9 s = 15 GPU-s.
  ScriptedPolicy p;
  bool started = false;
  p.on_init = [](SchedulingContext& ctx) { ctx.set_timer(4, 7); };
  p.on_schedule = [&](SchedulingContext& ctx) {
    if (!started && !ctx.pending().empty()) {
      const GpuIndex g = 0;
      ctx.start(0, std::span(&g, 1));
      started = true;
    }
  };
  p.on_timer_fn = [](SchedulingContext& ctx, std::uint64_t tag) {
    CHECK(tag == 7);
    CHECK(ctx.remaining_work(0) == doctest::Approx(6));
    CHECK(ctx.attained_service(0) == doctest::Approx(4));
    ctx.preempt(0);
    CHECK(ctx.state(0) == JobState::suspending);
  };
  p.on_requeue_fn = [](SchedulingContext& ctx, JobIndex j) {
    CHECK(ctx.now() == 6);
    const GpuIndex g = 1;
    ctx.start(j, std::span(&g, 1));
  };
  const RunResult r = simulate(make_workload({{0, 1, 10}}), uniform_cluster(1, 2), p, costs());
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].end == doctest::Approx(15));
  CHECK(r.jobs[0].preemptions == 1);
  CHECK(r.jobs[0].gpu_seconds == doctest::Approx(15));
  CHECK(r.gpu_busy_seconds[0] == doctest::Approx(6));
  CHECK(r.gpu_busy_seconds[1] == doctest::Approx(9));
  CHECK(r.summary.preemptions == 1);
}

TEST_CASE("migration moves a job at once and pauses it for checkpoint + restore") {
  // Starts on GPU 0 at 0; migrated at 4 to GPU 1 with 6 left; resumes at
  // 4 + 2 + 3 = 9 and ends at 15. GPU 0 held 4 s, GPU 1 held 11 s.
  ScriptedPolicy p;
  bool started = false;
  p.on_init = [](SchedulingContext& ctx) { ctx.set_timer(4); };
  p.on_schedule = [&](SchedulingContext& ctx) {
    if (!started && !ctx.pending().empty()) {
      const GpuIndex g = 0;
      ctx.start(0, std::span(&g, 1));
      started = true;
    }
  };
  p.on_timer_fn = [](SchedulingContext& ctx, std::uint64_t) {
    const GpuIndex g = 1;
    ctx.migrate(0, std::span(&g, 1));
    CHECK(ctx.cluster().is_free(0));
    CHECK(ctx.estimated_finish(0) == doctest::Approx(15));
  };
  const RunResult r = simulate(make_workload({{0, 1, 10}}), uniform_cluster(1, 2), p, costs());
  CHECK(r.jobs[0].end == doctest::Approx(15));
  CHECK(r.jobs[0].migrations == 1);
  CHECK(r.gpu_busy_seconds[0] == doctest::Approx(4));
  CHECK(r.gpu_busy_seconds[1] == doctest::Approx(11));
  CHECK(r.gpus_of(0)[0] == 1);
}

TEST_CASE("invalid actions fail loudly, naming the policy") {
  const Workload w = make_workload({{0, 2, 10}, {0, 1, 5}});
  auto expect_error = [&](std::function<void(SchedulingContext&)> act, const std::string& fragment) {
    ScriptedPolicy p;
    p.on_schedule = act;
    try {
      simulate(w, uniform_cluster(1, 2), p, costs(), "scripted");
      FAIL("no PolicyError");
    } catch (const PolicyError& e) {
      const std::string what = e.what();
      CHECK(what.find("policy 'scripted'") != std::string::npos);
      CHECK_MESSAGE(what.find(fragment) != std::string::npos, what);
    }
  };
  const std::vector<GpuIndex> both{0, 1}, one{0}, twice{0, 0}, missing{0, 9};
  expect_error([&](SchedulingContext& ctx) { ctx.start(0, one); }, "needs 2");
  expect_error([&](SchedulingContext& ctx) { ctx.start(0, twice); }, "twice");
  expect_error([&](SchedulingContext& ctx) { ctx.start(0, missing); }, "does not exist");
  expect_error(
      [&](SchedulingContext& ctx) {
        ctx.start(0, both);
        ctx.start(1, one);
      },
      "free");
  expect_error(
      [&](SchedulingContext& ctx) {
        ctx.start(0, both);
        ctx.start(0, both);
      },
      "not pending");
  expect_error([&](SchedulingContext& ctx) { ctx.preempt(1); }, "not running");
  expect_error([&](SchedulingContext& ctx) { ctx.set_timer(-1); }, "past");
}

TEST_CASE("a policy that never schedules is reported as stalled") {
  ScriptedPolicy idle;
  CHECK_THROWS_WITH_AS(simulate(make_workload({{0, 1, 1}}), uniform_cluster(1, 1), idle, {}, "idle"),
                       doctest::Contains("stalled"), PolicyError);
}

TEST_CASE("rejecting a job is recorded with its reason") {
  ScriptedPolicy p;
  p.on_schedule = [](SchedulingContext& ctx) {
    while (!ctx.pending().empty()) ctx.reject(ctx.pending().front(), "window cannot be met");
  };
  const RunResult r = simulate(make_workload({{0, 1, 1}, {3, 1, 1}}), uniform_cluster(1, 1), p);
  CHECK(r.jobs[0].outcome == JobOutcome::rejected);
  CHECK(r.jobs[1].end == 3);
  CHECK(r.reject_reasons[r.jobs[1].reject_reason] == "window cannot be met");
  CHECK(r.summary.jobs_rejected == 2);
}

TEST_CASE("runtime estimators") {
  Workload w = make_workload({{0, 1, 100}, {0, 1, 200}});
  w.mutable_trace_fields(0).requested_time = 150;
  for (auto kind : {EstimateKind::oracle, EstimateKind::noisy, EstimateKind::user, EstimateKind::none}) {
    ScriptedPolicy p;
    std::vector<double> seen;
    p.on_init = [&](SchedulingContext& ctx) { seen = {ctx.estimated_work(0), ctx.estimated_work(1)}; };
    p.on_schedule = [](SchedulingContext& ctx) {
      while (!ctx.pending().empty()) ctx.reject(ctx.pending().front(), "x");
    };
    EngineOptions o;
    o.estimate = kind;
    o.estimate_sigma = 0.5;
    simulate(w, uniform_cluster(1, 1), p, o);
    switch (kind) {
      case EstimateKind::oracle: CHECK(seen == std::vector<double>{100, 200}); break;
      case EstimateKind::noisy:
        CHECK(seen[0] != 100);
        CHECK(seen[0] > 0);
        break;
      case EstimateKind::user:
        CHECK(seen[0] == 150);
        CHECK(std::isnan(seen[1]));
        break;
      case EstimateKind::none: CHECK(std::isnan(seen[0])); break;
    }
  }
}

TEST_CASE("final GPUs: kept in job order for the jobs that finished, none for one rejected after it ran") {
  // A (2 GPUs), B and C (1 each) start at 0; B is preempted at 1 and rejected
  // when it is back in the queue; D starts at 20 on the GPUs A had, in the
  // arena place A gave back, which must not change A's recorded GPUs.
  ScriptedPolicy p;
  const std::vector<GpuIndex> a_gpus{2, 3}, b_gpus{0}, c_gpus{1}, d_gpus{0, 1};
  p.on_init = [](SchedulingContext& ctx) { ctx.set_timer(1, 7); };
  p.on_schedule = [&](SchedulingContext& ctx) {
    for (JobIndex j : std::vector<JobIndex>(ctx.pending().begin(), ctx.pending().end())) {
      if (ctx.preemptions(j) > 0) ctx.reject(j, "preempted once");
      else if (j == 0) ctx.start(0, a_gpus);
      else if (j == 1) ctx.start(1, b_gpus);
      else if (j == 2) ctx.start(2, c_gpus);
      else if (j == 3 && ctx.now() >= 20) ctx.start(3, d_gpus);
    }
  };
  p.on_timer_fn = [](SchedulingContext& ctx, std::uint64_t) { ctx.preempt(1); };
  const RunResult r = simulate(make_workload({{0, 2, 10}, {0, 1, 100}, {0, 1, 5}, {20, 2, 4}}), uniform_cluster(1, 4), p,
                               costs());
  CHECK(r.jobs[1].outcome == JobOutcome::rejected);
  CHECK(r.jobs[1].gpu_seconds > 0);  // it held GPUs before it was rejected
  CHECK(r.gpu_offset == std::vector<std::uint64_t>{0, 2, 2, 3, 5});
  CHECK(r.gpu_arena == std::vector<GpuIndex>{2, 3, 1, 0, 1});
  const auto a = r.gpus_of(0), d = r.gpus_of(3);
  CHECK(std::vector<GpuIndex>(a.begin(), a.end()) == a_gpus);
  CHECK(std::vector<GpuIndex>(d.begin(), d.end()) == d_gpus);
  CHECK(r.gpus_of(1).empty());
}

TEST_CASE("a shared job started on another job's GPUs as the context lists them") {
  // The span gpus_of returns lies in the engine's arena, which the second
  // start grows; the engine reads the GPUs before it moves.
  Workload w;
  w.name = "shared";
  for (std::int64_t id = 0; id < 2; ++id) w.jobs.push_back(Job{.id = id, .submit = 0, .work = 10, .gpu_share = 0.5f});
  w.finalize("test");
  ScriptedPolicy p;
  const std::vector<GpuIndex> first{3};
  p.on_schedule = [&](SchedulingContext& ctx) {
    if (ctx.state(0) == JobState::pending) ctx.start(0, first);
    if (ctx.state(1) == JobState::pending) ctx.start(1, ctx.gpus_of(0));
  };
  const RunResult r = simulate(w, uniform_cluster(1, 4), p, costs());
  CHECK(r.gpu_arena == std::vector<GpuIndex>{3, 3});
  CHECK(r.jobs[1].first_start == 0);
}
