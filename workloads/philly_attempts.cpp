#include "workloads/philly_attempts.h"

namespace fastgpu::philly {

void read_runs(std::span<const AttemptTimes> attempts, trace::Issues& issues, JobRuns& runs) {
  const AttemptTimes& last = attempts.back();
  runs.failed.clear();
  runs.work = static_cast<double>(last.end - last.start);
  runs.start = last.start;
  const TraceReadOptions& o = issues.options();
  if (o.last_attempt_only) {
    if (attempts.size() > 1) issues.note("jobs with several attempts: earlier attempts ignored (last_attempt_only)");
    return;
  }
  if (o.sum_attempts) {
    bool first = true;
    runs.work = 0;
    for (const AttemptTimes& a : attempts) {
      if (!a.has_start || !a.has_end) {
        issues.note("attempts without a start or end time were left out of the sum");
        continue;
      }
      runs.work += static_cast<double>(a.end - a.start);
      if (first) runs.start = a.start;
      first = false;
    }
    return;
  }
  for (const AttemptTimes& a : attempts.first(attempts.size() - 1)) {
    if (!a.has_start || !a.has_end || a.end < a.start) {
      issues.note("failed attempts without a start and a later end time were left out (length unknown)");
      continue;
    }
    runs.failed.push_back({.length = static_cast<double>(a.end - a.start),
                           .recorded_start = static_cast<double>(a.start)});
  }
  if (!runs.failed.empty()) issues.note("jobs retried after failures: each failed attempt kept as a run that fails");
}

void store_failed_attempts(const JobRuns& runs, trace::Issues& issues, Workload& out, const Job& job,
                           JobTraceFields& trace) {
  if (runs.failed.empty()) return;
  const std::size_t begin = out.failed_attempts.size();
  out.set_failed_attempts(trace, runs.failed);
  for (std::size_t i = begin; i < out.failed_attempts.size(); ++i) {
    FailedAttempt& a = out.failed_attempts[i];
    if (a.recorded_start < job.submit) {
      issues.note("failed attempt started before the job's submitted_time (clock skew): its start set to submit");
      a.recorded_start = job.submit;
    }
  }
}

const char* runs_note(const TraceReadOptions& options) {
  if (options.last_attempt_only) return "run time = end - start of the last attempt; recorded start = its start";
  if (options.sum_attempts) return "run time = sum of all attempts; recorded start = start of the first attempt";
  return "every attempt kept: the last is the job's run (work, recorded start), each earlier one a failed attempt "
         "of its recorded length and start";
}

}  // namespace fastgpu::philly
