// Jobs with recorded failed attempts: each failed run holds its GPUs for its
// length and the job queues again, from scratch or with its progress kept.
// Every schedule below is derived by hand.
#include <doctest/doctest.h>

#include <cmath>

#include "engine_fixtures.h"
#include "sim/error.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

// Gives job `index` (in submit order) these failed attempts.
void add_failed_attempts(Workload& w, std::size_t index, std::initializer_list<FailedAttempt> attempts) {
  w.set_failed_attempts(w.mutable_trace_fields(static_cast<JobIndex>(index)), std::vector<FailedAttempt>(attempts));
}

}  // namespace

TEST_CASE("attempts: a failed run holds its GPUs for its length, then the job restarts from scratch") {
  // 1 GPU, fifo. A: submit 0, work 100, failed attempts of 30 and 50 s.
  //   0-30 run 1 fails, 30-80 run 2 fails, 80-180 run 3 completes.
  // B: submit 10, work 20: fifo keeps A (submit 0) ahead at each requeue, so B runs 180-200.
  Workload w = make_workload({{0, 1, 100}, {10, 1, 20}});
  add_failed_attempts(w, 0, {{30, NAN}, {50, NAN}});
  w.finalize("test");
  const RunResult r = run_policy("fifo", w, uniform_cluster(1, 1));
  const JobRecord& a = r.jobs[0];
  CHECK(a.first_start == 0);
  CHECK(a.final_start == 80);
  CHECK(a.end == 180);
  CHECK(a.attempts == 3);
  CHECK(a.failed_attempts() == 2);
  CHECK(a.gpu_seconds == 180);
  CHECK(a.failed_gpu_seconds == 80);
  CHECK(a.wait() == 0);
  CHECK(a.final_wait() == 80);
  const JobRecord& b = r.jobs[1];
  CHECK(b.first_start == 180);
  CHECK(b.end == 200);
  CHECK(b.attempts == 1);
  CHECK(b.failed_attempts() == 0);
  CHECK(b.final_start == b.first_start);
  CHECK(r.summary.failed_attempts == 2);
  CHECK(r.summary.failed_gpu_seconds == 80);
  CHECK(r.summary.wait_mean == (0 + 170) / 2.0);
  CHECK(r.summary.final_wait_mean == (80 + 170) / 2.0);
  CHECK(r.summary.busy_gpu_seconds == 200);
}

TEST_CASE("attempts: keep_progress_on_failure keeps the progress; a run that outlasts the job completes it") {
  // A: work 100, failed attempts 30 and 200 s, progress kept:
  //   0-30 run 1 fails (70 s left); run 2 continues from the kept progress and
  //   pays the restore time (10 s, the default): progress from 40; it would
  //   fail after 200 s but the job completes first, at 110. One failure, not two.
  Workload w = make_workload({{0, 1, 100}});
  add_failed_attempts(w, 0, {{30, NAN}, {200, NAN}});
  w.finalize("test");
  EngineOptions options;
  options.keep_progress_on_failure = true;
  const RunResult keep = run_policy("fifo", w, uniform_cluster(1, 1), options);
  CHECK(keep.jobs[0].end == 110);
  CHECK(keep.jobs[0].attempts == 2);
  CHECK(keep.jobs[0].failed_attempts() == 1);
  CHECK(keep.jobs[0].final_start == 30);
  CHECK(keep.jobs[0].failed_gpu_seconds == 30);
  CHECK(keep.jobs[0].gpu_seconds == 110);
  // From scratch, no restore: 0-30, 30-230 (fails), 230-330.
  const RunResult restart = run_policy("fifo", w, uniform_cluster(1, 1));
  CHECK(restart.jobs[0].end == 330);
  CHECK(restart.jobs[0].attempts == 3);
  CHECK(restart.jobs[0].failed_gpu_seconds == 230);
}

TEST_CASE("attempts: slower GPUs stretch a failed run like any work; GPU-seconds count every GPU") {
  // 2 GPUs of speed 0.5; A needs both, work 40, one failed attempt of 10 s:
  // 0-20 fails (10 reference seconds at half speed), 20-100 completes.
  Workload w = make_workload({{0, 2, 40}});
  add_failed_attempts(w, 0, {{10, NAN}});
  w.finalize("test");
  const RunResult r = run_policy("fifo", w, uniform_cluster(1, 2, 0.5));
  CHECK(r.jobs[0].final_start == 20);
  CHECK(r.jobs[0].end == 100);
  CHECK(r.jobs[0].failed_gpu_seconds == 40);
  CHECK(r.jobs[0].gpu_seconds == 200);
}

TEST_CASE("attempts: recorded replays every attempt at its recorded start") {
  // A: submit 0, 2 GPUs, attempts 10 s @ 5 and 20 s @ 40, final run 50 s @ 100.
  //   5-15 fails, ready again at its next recorded start 40: 40-60 fails, 100-150.
  // B: submit 0, 1 GPU, work 30, recorded 20: GPUs are free, 20-50 on time.
  Workload w = make_workload({{0, 2, 50, 100}, {0, 1, 30, 20}});
  add_failed_attempts(w, 0, {{10, 5}, {20, 40}});
  w.finalize("test");
  const RunResult r = run_policy("recorded", w, uniform_cluster(1, 4));
  const JobRecord& a = r.jobs[0];
  CHECK(a.first_start == 5);
  CHECK(a.final_start == 100);
  CHECK(a.end == 150);
  CHECK(a.attempts == 3);
  CHECK(a.gpu_seconds == 2 * (10 + 20 + 50));
  CHECK(a.failed_gpu_seconds == 2 * (10 + 20));
  CHECK(r.jobs[1].first_start == 20);
  CHECK(r.jobs[1].end == 50);
  CHECK(r.attributes.at("recorded_delayed") == "0");
}

TEST_CASE("attempts: a resumption pays the restore time, a restart from scratch does not") {
  // 1 GPU, srtf (preempts for less remaining work), checkpoint and restore 10 s.
  // A: submit 0, work 100, one failed attempt of 30 s. B: submit 10, work 5.
  //   10: B (5 s) beats A (90 s left by its estimate): A preempted, GPU held until 20; B 20-25.
  //   25: A resumes its first run with a 10 s restore: progress from 35, 20 s left: fails at 55.
  //   55: A restarts from scratch, no restore: 55-155.
  Workload w = make_workload({{0, 1, 100}, {10, 1, 5}});
  add_failed_attempts(w, 0, {{30, NAN}});
  w.finalize("test");
  EngineOptions options;
  options.checkpoint_seconds = 10;
  options.restore_seconds = 10;
  const RunResult r = run_policy("srtf", w, uniform_cluster(1, 1), options);
  CHECK(r.jobs[0].preemptions == 1);
  CHECK(r.jobs[1].first_start == 20);
  CHECK(r.jobs[1].end == 25);
  CHECK(r.jobs[0].first_start == 0);
  CHECK(r.jobs[0].final_start == 55);
  CHECK(r.jobs[0].attempts == 2);
  CHECK(r.jobs[0].end == 155);
  CHECK(r.jobs[0].failed_gpu_seconds == 20 + 30);  // 0-20 (checkpoint included) and 25-55
}

TEST_CASE("attempts: a failed attempt with a negative length names the job and the field") {
  Workload w = make_workload({{0, 1, 100}});
  add_failed_attempts(w, 0, {{-1, NAN}});
  try {
    w.finalize("jobs.csv");
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(e.where().field == "failed_attempts");
    CHECK(std::string(e.what()).find("job 0") != std::string::npos);
  }
}
