#pragma once
// Writes a workload as a Batsim JSON workload (batsim.readthedocs.io,
// "Workloads"), so that a trace converted by fastgpu can be replayed in
// Batsim and the results compared:
//   {"nb_res": N, "jobs": [{"id", "subtime", "walltime", "res", "profile"}],
//    "profiles": {"<name>": {"type": "delay", "delay": seconds}}}
// One Batsim resource = one GPU. subtime = Job::submit, res = num_gpus,
// profile = a "delay" profile of Job::work seconds (profiles with the same
// delay are shared), walltime = JobTraceFields::requested_time when the trace has one.
// Job ids are Workload::job_names when present, else Job::id (the position
// when ids repeat). Batsim has no fractional resources: a job with
// gpu_share < 1 takes one whole resource (counted in the report).
#include <cstdint>
#include <string>

#include "sim/workload.h"

namespace fastgpu {

struct BatsimWriteOptions {
  std::uint64_t nb_res = 0;  // resources of the platform; 0 = the largest job's GPU count
};

struct BatsimWriteReport {
  std::uint64_t jobs = 0, profiles = 0;
  std::uint64_t shared_as_whole = 0;  // jobs with gpu_share < 1 written as one whole resource
  std::uint64_t nb_res = 0;
};

// Writes `path`.tmp and renames it to `path`. InputError when the file cannot
// be written or when options.nb_res is smaller than a job's GPU count.
BatsimWriteReport write_batsim_workload(const Workload& workload, const std::string& path,
                                        const BatsimWriteOptions& options = {});

}  // namespace fastgpu
