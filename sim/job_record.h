#pragma once
// One job's record as readers see it: its inputs and what the run made of it.
// Assembled on read from JobRecords (sim/job_records.h), which stores it compactly.
#include <cmath>
#include <cstdint>

#include "sim/types.h"

namespace fastgpu {

enum class JobOutcome : std::uint8_t { finished = 0, rejected = 1 };

struct JobRecord {
  std::int64_t id = 0;             // Job::id
  std::uint32_t user = 0;
  std::int32_t priority = 0;
  std::uint32_t num_gpus = 0;
  float gpu_share = 1.0f;
  Seconds submit = 0;
  Seconds first_start = NAN;       // NaN if it never started
  Seconds final_start = NAN;       // start of its last run (= first_start unless a run failed)
  Seconds end = NAN;               // finish time, or the rejection time
  Seconds deadline = kNever;
  double work = 0;                 // reference seconds (Job::work)
  Seconds runtime_alone = NAN;     // work / speed of the fastest type it may use, no slowdown
  double gpu_seconds = 0;          // allocated GPU-seconds, shares counted, overheads included
  double failed_gpu_seconds = 0;   // the part of gpu_seconds held by runs that ended in failure
  double useful_gpu_seconds = 0;   // the part of gpu_seconds that made progress the job kept
  double lost_gpu_seconds = 0;     // the part that made progress a failure threw away
  std::uint32_t preemptions = 0;
  std::uint32_t migrations = 0;
  std::uint32_t attempts = 0;      // runs started (a failed run's job starts a new run; resuming is not one)
  std::uint32_t failure_stops = 0; // times a hardware failure stopped it
  std::int8_t deadline_met = -1;   // -1 no deadline, 0 missed, 1 met
  bool on_reserved = false;        // started at least once on reserved GPUs
  TypeIndex gpu_type = 0;          // type of its (last) GPUs
  JobOutcome outcome = JobOutcome::finished;
  // The byte the alignment of reject_reason leaves, named so that it is always 0: the MPI codec
  // sends records as bytes, and an assembled record's padding would be indeterminate. No column.
  std::uint8_t unused = 0;
  std::uint16_t reject_reason = 0; // index into RunResult::reject_reasons (0 = none)

  Seconds wait() const { return first_start - submit; }        // until the first start
  // Until the start of the last run (a record without one had a single run).
  Seconds final_wait() const { return (std::isnan(final_start) ? first_start : final_start) - submit; }
  // Runs that ended in failure: every run but one that is still counted by
  // final_start (the last one, unless the job was rejected after a failure).
  std::uint32_t failed_attempts() const { return attempts - (std::isnan(final_start) || attempts == 0 ? 0u : 1u); }
  Seconds jct() const { return end - submit; }
};

}  // namespace fastgpu
