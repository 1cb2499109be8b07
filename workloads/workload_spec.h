#pragma once
// What the [workload] section of a config asks for: a synthetic generator or
// trace files in one of the formats of workloads/trace_reader.h.
#include <string>
#include <vector>

#include "workloads/packing_spec.h"
#include "workloads/synthetic_spec.h"

namespace fastgpu {

struct WorkloadSpec {
  std::string kind = "synthetic";       // synthetic | trace | packing
  std::string name;                     // defaults to the kind or the trace file's stem
  SyntheticSpec synthetic;
  std::vector<std::string> trace_paths; // kind = trace (paths relative to the config file)
  std::string format = "csv";           // trace format, see workloads/trace_reader.h
  bool skip_bad_rows = false;           // skip malformed rows (counted) instead of failing
  double gpus_per_proc = 1.0;           // SWF: GPUs per processor
  bool last_attempt_only = false;       // Philly: a single run, the last attempt (TraceReadOptions)
  bool sum_attempts = false;            // Philly: a single run, the sum of the attempts
  PackingSpec packing;                  // kind = packing (docs/packing.md)
};

}  // namespace fastgpu
