// The registry's entries of the JSON trace formats: their readers are reached
// through json_trace_readers(), linked or loaded (json_trace_readers.h).
#include "workloads/json_trace_readers.h"
#include "workloads/production_traces.h"

namespace fastgpu {

TraceFormat philly_trace_format() {
  return {"philly", "Microsoft Philly cluster_job_log (JSON; also its per-job subsets and JSON Lines)",
          [](const std::vector<std::string>& paths, const TraceReadOptions& options, Workload& out,
             TraceReadReport& report) { json_trace_readers().philly(paths, options, out, report); }};
}

}  // namespace fastgpu
