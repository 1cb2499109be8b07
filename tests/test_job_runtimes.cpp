// The engine's per-job state: a runtime exists only while the job is live,
// finished jobs' runtimes are reused, and the remaining work reads the same in
// every state as it did when every job kept a runtime for the whole run.
#include <doctest/doctest.h>

#include <vector>

#include "sim/attempt_plan.h"
#include "sim/error.h"
#include "sim/job_runtimes.h"
#include "sim/workload.h"

using namespace fastgpu;

namespace {

Workload three_jobs() {
  Workload w;
  for (int k = 0; k < 3; ++k) w.jobs.push_back(Job{.id = k, .submit = 0, .work = 100.0 * (k + 1)});
  return w;
}

}  // namespace

TEST_CASE("job runtimes: only live jobs hold one, and a finished job's runtime is reused") {
  const Workload w = three_jobs();
  AttemptPlan attempts(w, false);
  JobRuntimes rts(w.jobs, attempts);
  REQUIRE(rts.size() == 3);
  CHECK(rts.state(0) == JobState::not_arrived);
  CHECK_THROWS_AS(rts[0], InternalError);  // not live yet

  JobRuntime& a = rts.begin_live(0);
  CHECK(a.seg_remaining == 100.0);  // the job's work: its first run does all of it
  a.version = 7;
  a.slot = 3;
  rts.begin_live(1);
  CHECK_THROWS_AS(rts.begin_live(1), InternalError);  // already live
  CHECK(&rts[0] != &rts[1]);

  rts.set_state(0, JobState::finished);
  const JobRuntime* const first = &rts[0];
  rts.end_live(0);
  CHECK_THROWS_AS(rts[0], InternalError);
  CHECK_THROWS_AS(rts.end_live(0), InternalError);
  // Job 2 takes job 0's runtime, reset: nothing of job 0 is left in it.
  JobRuntime& c = rts.begin_live(2);
  CHECK(&c == first);
  CHECK(c.version == 0);
  CHECK(c.slot == kNoSlot);
  CHECK(c.seg_remaining == 300.0);
}

TEST_CASE("job runtimes: remaining work in every state") {
  const Workload w = three_jobs();
  AttemptPlan attempts(w, false);
  JobRuntimes rts(w.jobs, attempts);
  CHECK(rts.remaining_at(1, 50.0) == 200.0);  // not arrived: all of its work

  JobRuntime& rt = rts.begin_live(1);
  rts.set_state(1, JobState::pending);
  CHECK(rts.remaining_at(1, 50.0) == 200.0);
  // Running at 2 reference seconds a second from t = 10: by t = 60, 100 done.
  rts.set_state(1, JobState::running);
  rt.seg_start = 10;
  rt.rate = 2;
  CHECK(rts.remaining_at(1, 60.0) == 100.0);
  CHECK(rts.remaining_at(1, 5.0) == 200.0);    // before the segment starts (restore time): none done
  CHECK(rts.remaining_at(1, 500.0) == 0.0);    // never below 0
  // Suspending: the remaining work stored at the preemption, not extrapolated.
  rt.seg_remaining = 120;
  rts.set_state(1, JobState::suspending);
  CHECK(rts.remaining_at(1, 500.0) == 120.0);
  // A job the policy rejects keeps its runtime and its remaining work.
  rts.set_state(1, JobState::rejected);
  CHECK(rts.remaining_at(1, 500.0) == 120.0);
  // Finished: none left, with the runtime given back.
  rts.set_state(1, JobState::finished);
  rts.end_live(1);
  CHECK(rts.remaining_at(1, 500.0) == 0.0);
  // Rejected on arrival (never live): all of its work.
  rts.set_state(2, JobState::rejected);
  CHECK(rts.remaining_at(2, 500.0) == 300.0);
}

TEST_CASE("job runtimes: replaying failed attempts, a job's first run is its first attempt's length") {
  Workload w = three_jobs();
  const std::vector<FailedAttempt> two{{.length = 30.0}, {.length = 40.0}};
  w.set_failed_attempts(w.mutable_trace_fields(1), two);
  AttemptPlan attempts(w, false);
  JobRuntimes rts(w.jobs, attempts);
  CHECK(rts.remaining_at(0, 0.0) == 100.0);  // no attempts: its work
  CHECK(rts.remaining_at(1, 0.0) == 30.0);   // before it arrives, as once it is live
  CHECK(rts.begin_live(1).seg_remaining == 30.0);
  CHECK(attempts.work_beyond_run(1) == 170.0);  // planned as the run starts, for every job
}
