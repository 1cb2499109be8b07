#pragma once
// Reading workloads from trace files. Each format is one reader file in
// workloads/ registered in trace_formats.cpp; every reader streams its input
// and fills a Workload, counting what it skipped and why.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/workload.h"

namespace fastgpu {

struct TraceReadOptions {
  bool strict = false;          // any row that would be skipped is an InputError instead
  bool skip_bad_rows = false;   // malformed rows are skipped and counted instead of failing
  double gpus_per_proc = 1.0;   // SWF: processors -> GPUs
  // Philly: a job retried after failures keeps each failed attempt (JobTraceFields::failed_attempts)
  // unless one of these asks for a single run: only the last attempt, or the
  // sum of all attempts' lengths starting at the first.
  bool last_attempt_only = false;
  bool sum_attempts = false;
  // Gavel: training steps per second of a job on the reference GPU, used to
  // turn total_steps into a run time; `gavel_throughputs` (a CSV file
  // "job_type,steps_per_second") overrides it per job type.
  double steps_per_second = 1.0;
  std::string gavel_throughputs;
  bool pin_gpu_type = false;    // Alibaba 2020: the recorded gpu_type becomes a type constraint
};

struct TraceReadReport {
  std::uint64_t rows = 0;                          // data rows seen
  std::uint64_t kept = 0;                          // jobs in the workload
  std::map<std::string, std::uint64_t> skipped;    // reason -> count
  std::vector<std::string> assumptions;            // what the reader assumed (format variants)
  std::uint64_t skipped_total() const;
};

using TraceReaderFn = std::function<void(const std::vector<std::string>& paths, const TraceReadOptions&,
                                         Workload& out, TraceReadReport& report)>;

struct TraceFormat {
  std::string name;          // "csv", "philly", ...
  std::string description;   // one line
  TraceReaderFn read;
};

const std::vector<TraceFormat>& trace_formats();
const TraceFormat& find_trace_format(const std::string& name);  // InputError listing the known ones

// Reads and finalizes a workload in the given format.
Workload read_trace(const std::string& format, const std::vector<std::string>& paths,
                    const TraceReadOptions& options, TraceReadReport* report = nullptr);

}  // namespace fastgpu
