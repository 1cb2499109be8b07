// The checks the engine runs on every job's record in its final pass
// (check_job_run, check_progress_accounting) fire on hand-made bad records and
// pass on consistent ones.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/error.h"
#include "sim/failure_recovery.h"
#include "sim/invariants.h"

using namespace fastgpu;

namespace {
// A job that finished in one run: started at 10, ended at 20 on 2 GPUs.
JobRecord one_run() {
  JobRecord r;
  r.id = 7;
  r.first_start = r.final_start = 10;
  r.end = 20;
  r.attempts = 1;
  r.gpu_seconds = 20;
  r.useful_gpu_seconds = 20;
  return r;
}
}  // namespace

TEST_CASE("final job checks: a consistent record passes") {
  Job job;
  CHECK_NOTHROW(check_job_run(job, 0, one_run(), false));
  CHECK_NOTHROW(check_progress_accounting(one_run()));
}

TEST_CASE("final job checks: each inconsistency of the runs is caught") {
  Job job;
  JobRecord r = one_run();
  r.attempts = 0;  // finished without a run
  CHECK_THROWS_AS(check_job_run(job, 0, r, false), InternalError);
  r = one_run();
  r.final_start = 5;  // last run before the first
  CHECK_THROWS_AS(check_job_run(job, 0, r, false), InternalError);
  r = one_run();
  r.failed_gpu_seconds = 21;  // more than it held in all
  CHECK_THROWS_AS(check_job_run(job, 0, r, false), InternalError);
  r = one_run();
  r.attempts = 2;  // one failed run, but the job has no failed attempt
  CHECK_THROWS_AS(check_job_run(job, 0, r, false), InternalError);
  // one failed attempt never run: only allowed when progress is kept
  CHECK_THROWS_AS(check_job_run(job, 1, one_run(), false), InternalError);
  CHECK_NOTHROW(check_job_run(job, 1, one_run(), true));
}

TEST_CASE("final job checks: progress beyond the GPU-seconds held is caught") {
  JobRecord r = one_run();
  r.useful_gpu_seconds = 15;
  r.lost_gpu_seconds = 5;  // 15 + 5 = 20 held: fine
  CHECK_NOTHROW(check_progress_accounting(r));
  r.lost_gpu_seconds = 6;  // 21 > 20
  CHECK_THROWS_AS(check_progress_accounting(r), InternalError);
  r = one_run();
  r.useful_gpu_seconds = -1;
  CHECK_THROWS_AS(check_progress_accounting(r), InternalError);
}
