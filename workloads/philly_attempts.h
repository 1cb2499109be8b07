#pragma once
// How the attempts of one Philly job become its runs. A Philly job that failed
// was retried: `attempts` lists each try's start and end, the earlier ones
// ending in failure. By default every attempt is kept: the last is the job's
// run (Job::work, JobTraceFields::recorded_start) and each earlier one a failed attempt
// (JobTraceFields::failed_attempts). TraceReadOptions asks for a single run instead: the
// last attempt only, or the sum of all attempts starting at the first.
#include <cstdint>
#include <span>
#include <vector>

#include "sim/workload.h"
#include "workloads/trace_io.h"

namespace fastgpu::philly {

struct AttemptTimes {
  bool has_start = false, has_end = false;
  std::int64_t start = 0, end = 0;  // UTC seconds
};

struct JobRuns {
  double work = 0;                    // length of the run that completes the job
  std::int64_t start = 0;             // its start (UTC seconds)
  std::vector<FailedAttempt> failed;  // earlier attempts (recorded_start in UTC seconds)
};

// The runs of a job whose last attempt has a start and an end. Earlier
// attempts without a start or an end, or ending before they start, are left
// out (noted): their length is unknown.
void read_runs(std::span<const AttemptTimes> attempts, trace::Issues& issues, JobRuns& runs);

// Stores runs.failed as job's failed attempts in `out` and points `trace` (the
// job's fields) at them; a start before the job's submit (clock skew) is set
// to the submit, as JobTraceFields::recorded_start is.
void store_failed_attempts(const JobRuns& runs, trace::Issues& issues, Workload& out, const Job& job,
                           JobTraceFields& trace);

// The note describing the reading chosen by the options.
const char* runs_note(const TraceReadOptions& options);

}  // namespace fastgpu::philly
