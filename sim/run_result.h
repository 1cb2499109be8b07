#pragma once
// Everything one simulation run produces: a record per job, a time series of
// cluster samples and the summary metrics (formulas in docs/metrics.md).
#include <cmath>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "sim/job_records.h"
#include "sim/types.h"

namespace fastgpu {

struct TimeSample {
  Seconds time = 0;
  double busy_gpus = 0;            // allocated GPUs (shares counted)
  double utilisation = 0;          // busy_gpus / num_gpus
  double load_variance = 0;        // population variance of per-GPU load over the last interval
  std::uint32_t queue_length = 0;  // pending jobs
  std::uint32_t running = 0;       // running jobs
  double reserved_idle = 0;        // reserved GPUs that are idle
  double memory_used_gb = 0;       // GPU memory held by running jobs (sum over GPUs)
};

struct Summary {
  Seconds makespan = 0;            // last end - first submit
  std::uint64_t jobs_total = 0, jobs_completed = 0, jobs_rejected = 0;
  Seconds jct_mean = 0, jct_p50 = 0, jct_p90 = 0, jct_p99 = 0;
  Seconds wait_mean = 0, wait_p50 = 0, wait_p90 = 0, wait_p99 = 0;
  double slowdown_mean = 0;
  double bounded_slowdown_mean = 0;  // max(1, JCT / max(runtime_alone, 10 s))
  double utilisation = 0;            // busy GPU-seconds / (GPUs x makespan)
  double load_variance_mean = 0;     // time average of TimeSample::load_variance
  std::uint64_t reservation_hits = 0, reservation_misses = 0;
  double reserved_idle_gpu_seconds = 0;
  std::uint64_t deadline_jobs = 0, deadline_misses = 0;
  double deadline_miss_rate = 0;     // misses / jobs with a deadline (rejected ones count as missed)
  double fairness_jain = 1;          // Jain's index over per-user mean slowdown
  double responsiveness = 0;         // sum over jobs of 1 / (JCT + alpha x load); higher is better
  double busy_variance = 0;          // population variance of the per-GPU busy fraction
  double energy_kwh = 0;
  double cost = 0;                   // allocated GPU-hours x price per hour
  std::uint64_t preemptions = 0, migrations = 0;
  std::uint64_t failed_attempts = 0;   // runs that ended in failure, over all jobs
  double failed_gpu_seconds = 0;       // GPU-seconds those runs held
  std::uint64_t hardware_failures = 0;  // GPU or node failures during the run
  std::uint64_t failure_stops = 0;      // jobs stopped by them (a job stopped twice counts twice)
  double lost_gpu_seconds = 0;          // GPU-seconds of progress thrown away by failures
  double useful_gpu_seconds = 0;        // GPU-seconds of progress the jobs kept (goodput)
  double goodput_utilisation = 0;       // useful GPU-seconds / (GPUs x makespan)
  Seconds final_wait_mean = 0;         // mean of final_start - submit over finished jobs
  double busy_gpu_seconds = 0;
  double scheduler_seconds = 0;      // wall time spent inside the policy
  double wall_seconds = 0;           // wall time of the whole run
  std::uint64_t events = 0;
  double events_per_second = 0;
};

// Summary of one virtual cluster ([[cluster.vcs]]): its jobs and its share.
struct VcSummary {
  std::string name;
  std::uint32_t gpus = 0;            // GPUs of its nodes
  std::uint64_t jobs_total = 0, jobs_completed = 0, jobs_rejected = 0;
  Seconds wait_mean = 0;             // over its finished jobs, first start - submit
  Seconds jct_mean = 0;              // over its finished jobs
  double utilisation = 0;            // busy GPU-seconds on its GPUs (any job's) / (gpus x makespan)
  double lent_gpu_seconds = 0;       // GPU-seconds other VCs' jobs held on its GPUs
  std::uint64_t reclaims = 0;        // borrowers stopped to give it its GPUs back
};

struct RunResult {
  std::string policy;
  std::string workload;
  std::uint64_t seed = 0;
  std::uint32_t num_gpus = 0;
  JobRecords jobs;                           // in Workload::jobs order
  std::vector<TimeSample> timeseries;
  Summary summary;
  std::vector<std::string> reject_reasons{""};
  std::map<std::string, std::string> policy_params;  // as resolved, for HDF5 attributes
  std::map<std::string, std::string> attributes;     // policy-specific facts (e.g. GA backend)
  // Parameter values of a sweep point ([sweep] in the config): sweep key ->
  // value as written ("workload.load" -> "0.7"), plus "policy" -> the policy
  // label without the point's suffix. Empty outside sweeps. /summary columns.
  std::map<std::string, std::string> sweep;

  // GPUs each job last ran on, in CSR form: job j's are
  // gpu_arena[gpu_offset[j] .. gpu_offset[j+1]) (empty for rejected jobs).
  std::vector<GpuIndex> gpu_arena;
  std::vector<std::uint64_t> gpu_offset{0};
  std::span<const GpuIndex> gpus_of(JobIndex j) const {
    return {gpu_arena.data() + gpu_offset[j], gpu_arena.data() + gpu_offset[j + 1]};
  }

  // Raw per-GPU and per-type accounting the summary is computed from.
  std::vector<double> gpu_busy_seconds;        // per GPU, shares counted
  std::vector<double> type_busy_gpu_seconds;   // per GPU type
  std::vector<std::uint32_t> type_gpu_count;   // per GPU type
  std::vector<double> type_idle_watts, type_busy_watts, type_price_per_hour;

  // One per virtual cluster, in [[cluster.vcs]] order; empty without VCs.
  std::vector<VcSummary> vcs;
};

}  // namespace fastgpu
