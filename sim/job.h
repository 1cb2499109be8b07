#pragma once
// A job of the workload, as submitted. Immutable during a run; the engine keeps
// the changing state (remaining work, placement) separately.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "sim/types.h"

namespace fastgpu {

// One recorded run of a job that ended in failure, after which the job queued
// again (a trace's earlier attempts). Stored in Workload::failed_attempts.
struct FailedAttempt {
  Seconds length = 0;             // seconds the attempt ran (reference GPUs) before it failed
  Seconds recorded_start = NAN;   // its start in the trace (for replaying it); NaN = unknown
};

// The fields of a job that only some traces carry. Workload::trace_fields holds
// them, one per job, only when the workload has any; trace_fields_of() gives
// these defaults for every job otherwise.
struct JobTraceFields {
  Seconds earliest_start = 0;     // absolute start of the time window; <= submit = none
  Seconds requested_time = NAN;   // user's runtime request from the trace; NaN = unknown
  Seconds recorded_start = NAN;   // start recorded in a trace (for replaying it); NaN = unknown
                                  // (with failed attempts: the start of the final, successful run)
  // Failed attempts before the final run: Workload::failed_attempts
  // [failed_attempts_begin, failed_attempts_begin + failed_attempts), in order.
  std::uint32_t failed_attempts_begin = 0;
  std::uint32_t failed_attempts = 0;

  // Every field at its default (earliest_start +0.0, not -0.0, which a trace
  // writer would print): a job with these needs no entry in the column.
  bool is_default() const {
    return earliest_start == 0 && !std::signbit(earliest_start) && std::isnan(requested_time) &&
           std::isnan(recorded_start) && failed_attempts_begin == 0 && failed_attempts == 0;
  }
};

// The most distinct GPU type constraints a workload holds (Job::gpu_types has 15 bits).
inline constexpr std::size_t kMaxTypeConstraints = (std::size_t{1} << 15) - 1;

struct Job {
  std::int64_t id = 0;            // external id (trace id, or 0..n-1 for synthetic)
  Seconds submit = 0;             // arrival time, seconds since the workload start
  std::uint32_t num_gpus = 1;     // gang size: all GPUs start and stop together
  std::uint32_t user = 0;         // index into Workload::users
  double work = 0;                // seconds the job runs on reference GPUs (speed 1.0), per GPU
  Seconds deadline = kNever;      // absolute completion deadline; kNever = none
  std::int32_t priority = 0;      // higher runs first under priority-aware policies
  float gpu_memory_gb = 0;        // memory needed on each GPU (GB); 0 = unknown
  float gpu_share = 1.0f;         // fraction of one GPU (< 1 only with num_gpus == 1)
  std::uint16_t vc = 0;           // 0 = none; k = Workload::vcs[k-1]
  // 0 = any type; k = Workload::type_constraints[k-1]. 15 bits (at most
  // kMaxTypeConstraints): the flag below shares their two bytes.
  std::uint16_t gpu_types : 15 = 0;
  bool preemptible : 1 = true;
  // The fields only some traces carry are in Workload::trace_fields (JobTraceFields).

  bool has_deadline() const { return deadline != kNever; }
  // GPU capacity this job holds on each of its GPUs, in thousandths of a GPU.
  std::uint32_t milli_per_gpu() const {
    if (gpu_share == 1.0f) return kMilliPerGpu;  // the common case, without a library call
    return static_cast<std::uint32_t>(std::lround(static_cast<double>(gpu_share) * kMilliPerGpu));
  }
};
// A million jobs make the workload's largest table: 56 bytes a job, laid out so
// that nothing pads (six jobs in eight straddle two cache lines, which measured
// no slower than a line each and touches an eighth less memory).
static_assert(sizeof(Job) == 56, "Job grew: check the bytes a job in docs/performance.md");

}  // namespace fastgpu
