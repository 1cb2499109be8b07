// Job traces of the Tiresias simulator (Gu et al., NSDI'19;
// github.com/SymbioticLab/Tiresias, simulator/*_job.csv), with the header
//   job_id,num_gpu,submit_time,iterations,model_name,duration,interval
// submit_time and duration in seconds (submit from 0). Columns are found by
// name; num_gpu, submit_time and duration are required, job_id optional (the
// row's position is used without it). iterations, model_name and interval
// (the gap to the next submit) are not needed for replay.
// Skips: num_gpu = 0, duration <= 0.
#include <cmath>

#include <fmt/format.h>

#include "workloads/production_traces.h"
#include "workloads/gpu_count.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

using trace::CsvRows;
using trace::Issues;

void read_tiresias(const std::vector<std::string>& paths, const TraceReadOptions& options, Workload& out,
                   TraceReadReport& report) {
  Issues issues(options, report);
  for (const auto& path : paths) {
    CsvRows rows(path, issues);
    trace::reserve_for_file(out, path, 25, {});
    const int c_gpu = rows.require("num_gpu"), c_submit = rows.require("submit_time"),
              c_duration = rows.require("duration");
    const int c_id = rows.column("job_id");
    if (c_id < 0) issues.note("no job_id column: ids are row positions");
    while (rows.next()) {
      ++report.rows;
      auto f = rows.row();
      std::int64_t id = static_cast<std::int64_t>(out.jobs.size()), gpus = 0;
      double submit = 0, duration = 0;
      if ((c_id >= 0 && !f.integer(rows[c_id], "job_id", id)) || !f.integer(rows[c_gpu], "num_gpu", gpus) ||
          !f.number(rows[c_submit], "submit_time", submit))
        continue;
      std::uint32_t num_gpus = 0;
      if (!trace::checked_gpu_count(issues, f.at("num_gpu"), static_cast<double>(gpus), num_gpus)) continue;
      if (submit < 0) {
        f.bad("submit_time", fmt::format("submit_time must be >= 0, got {}", submit));
        continue;
      }
      if (gpus == 0) {
        issues.skip(rows.at("num_gpu"), trace::reason::no_gpu, "num_gpu 0");
        continue;
      }
      std::string_view d = trace::trim(rows[c_duration]);
      if (d.empty()) {
        issues.skip(rows.at("duration"), trace::reason::missing_runtime, "empty duration");
        continue;
      }
      if (!f.number(d, "duration", duration)) continue;
      if (!trace::runtime_ok(issues, rows.at("duration"), duration)) continue;
      Job j;
      j.id = id;
      j.submit = submit;
      j.num_gpus = num_gpus;
      j.work = duration;
      out.jobs.push_back(j);
      ++report.kept;
    }
  }
  trace::rebase_to_first_submit(out, issues);
  issues.note("work = duration; iterations, model_name and interval not used");
  issues.finish();
}

}  // namespace

TraceFormat tiresias_trace_format() {
  return {"tiresias", "Tiresias simulator job CSV (job_id,num_gpu,submit_time,iterations,model_name,duration,...)",
          &read_tiresias};
}

}  // namespace fastgpu
