#pragma once
// A workload: the jobs to replay, plus the string tables they refer to and the
// optional dependency DAG between them.
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/job.h"

namespace fastgpu {

struct Workload {
  std::string name = "workload";
  std::vector<Job> jobs;                  // sorted by (submit, id) by finalize()
  std::vector<std::string> users;         // Job::user indexes this; may be empty (user 0 = "")
  std::vector<std::vector<std::string>> type_constraints;  // allowed GPU type names
  std::vector<std::string> vcs;           // virtual cluster names; Job::vc = k names vcs[k-1]
  std::vector<std::string> job_names;     // optional: empty, or one per job (trace ids that are not numbers)
  // Dependencies as (before, after) pairs of job ids (Job::id): `after` cannot
  // arrive before `before` has finished. Resolved to indexes by finalize().
  std::vector<std::pair<std::int64_t, std::int64_t>> dependencies;
  // The fields only some traces carry: empty (every job has the defaults, as
  // in a synthetic workload) or one per job, in job order. Apart from the job
  // table so that workloads without them do not pay for them in every Job.
  std::vector<JobTraceFields> trace_fields;
  // Every job's recorded failed attempts, each job's in one run (JobTraceFields::failed_attempts_begin).
  std::vector<FailedAttempt> failed_attempts;

  const JobTraceFields& trace_fields_of(JobIndex j) const {
    static const JobTraceFields kDefaults;
    return trace_fields.empty() ? kDefaults : trace_fields[j];
  }
  // Job j's fields to write: the column is filled up to jobs.size() with
  // defaults first, so a reader may call this right after pushing job j.
  JobTraceFields& mutable_trace_fields(JobIndex j);
  // Appends a job with its trace fields (the column is made only when a job
  // has other than the defaults).
  void push_job(const Job& job, const JobTraceFields& fields = {}) {
    jobs.push_back(job);
    if (!trace_fields.empty() || !fields.is_default())
      mutable_trace_fields(static_cast<JobIndex>(jobs.size() - 1)) = fields;
  }

  std::span<const FailedAttempt> failed_attempts_of(JobIndex j) const {
    const JobTraceFields& f = trace_fields_of(j);
    return std::span(failed_attempts).subspan(f.failed_attempts_begin, f.failed_attempts);
  }
  // Appends a job's failed attempts and points the fields at them.
  void set_failed_attempts(JobTraceFields& fields, std::span<const FailedAttempt> attempts) {
    fields.failed_attempts_begin = static_cast<std::uint32_t>(failed_attempts.size());
    fields.failed_attempts = static_cast<std::uint32_t>(attempts.size());
    failed_attempts.insert(failed_attempts.end(), attempts.begin(), attempts.end());
  }

  // Sorts jobs (with their names and trace fields) by (submit, id), checks
  // every field's range, checks that the dependency graph is acyclic
  // (Boost.Graph) and refers to existing jobs.
  // `source` names the file for error messages. Throws InputError
  // (InternalError for a trace_fields column of the wrong length).
  void finalize(const std::string& source = "");

  // Dependencies as job indexes after finalize(): predecessors[i] lists the
  // jobs that must finish before job i arrives. Empty when there are none.
  std::vector<std::vector<JobIndex>> predecessors;

  const std::string& user_name(std::uint32_t user) const;
  std::uint32_t intern_user(const std::string& name);        // adds if new
  std::uint16_t intern_type_constraint(std::vector<std::string> types);  // 0 for empty
  std::uint16_t intern_vc(std::string_view name);             // 0 for empty; adds if new (few VCs: linear)
  const std::string& vc_name(std::uint16_t vc) const;         // "" for 0

  // Lookup caches behind intern_user / intern_type_constraint (O(1) amortised).
  // They follow `users` / `type_constraints` when those only grow; call
  // reset_intern_caches() after editing the tables in place. Not part of the value.
  void reset_intern_caches();
  std::unordered_map<std::string, std::uint32_t> user_lookup_;
  std::unordered_map<std::string, std::uint16_t> type_lookup_;  // key: names joined by '|'
  std::size_t user_lookup_synced_ = 0, type_lookup_synced_ = 0;  // table entries already cached
};

}  // namespace fastgpu
