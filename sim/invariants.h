#pragma once
// Consistency checks of the engine's state as a policy sees it, run after
// every simulated instant when EngineOptions::check_invariants is set.
#include <span>

#include "sim/run_result.h"
#include "sim/scheduling_context.h"

namespace fastgpu {

// Throws InternalError when a GPU's allocation differs from the sum of its
// jobs' shares or exceeds one GPU, a running job has negative remaining work,
// or the pending set holds a job that is not pending.
void check_invariants(const SchedulingContext& ctx);

}  // namespace fastgpu

namespace fastgpu {

// After the run: each job's runs agree with its recorded failed attempts.
// A finished job started at least one run, its last run started no earlier
// than its first and ended after it started; the GPU-seconds of failed runs
// are part of its GPU-seconds; it failed no more often than it has failed
// attempts, and exactly that often when failures restart the job (with
// keep_progress a job whose work runs out first completes early). A job
// without failed attempts has one run. Throws InternalError naming the job.
// Called per job by the engine's final pass over its jobs.
// `failed_attempts` is the job's count (JobTraceFields::failed_attempts).
void check_job_run(const Job& job, std::uint32_t failed_attempts, const JobRecord& r, bool keep_progress);

}  // namespace fastgpu
