// SenseTime Helios trace (Hu et al., SC'21; github.com/S-Lab-System-Group/HeliosData),
// data/<cluster>/cluster_log.csv with the header
//   job_id,user,vc,gpu_num,cpu_num,node_num,state,submit_time,start_time,
//   end_time,duration,queue
// Times are "YYYY-MM-DD HH:MM:SS" in the clusters' local time (China Standard
// Time, UTC+8, no daylight saving, so wall-clock differences are exact);
// plain numbers are accepted as seconds. Columns are found by name; job_id,
// gpu_num, submit_time, start_time and end_time are required, except in the
// Helios simulator's own input (HeliosArtifact): columns user, vc, jobname,
// gpu_num, state, submit_time, duration (and job_id, cpu_num for its Helios
// clusters), start and end times absent or empty. Such a row's run time is
// its duration (> 0) and it has no recorded start; without job_id the id is
// the data row's position from 0. The vc column is kept as the job's virtual cluster.
//
// Mapping: id = job_id (Slurm's integer id), submit = submit_time, recorded
// start = start_time, run time = end_time - start_time (the published
// `duration`); num_gpus = gpu_num; user = user. All end states (COMPLETED,
// CANCELLED, FAILED, TIMEOUT, NODE_FAIL) are kept with the run time used.
// Skips: gpu_num = 0 (CPU jobs, "no GPU requested"); no start_time ("never
// started"); no end_time ("unfinished"); run time <= 0.
#include <cmath>

#include <fmt/format.h>

#include "workloads/production_traces.h"
#include "workloads/gpu_count.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

using trace::CsvRows;
using trace::Issues;

// A time cell: a date string or a number of seconds. Empty -> has = false.
bool helios_time(Issues& issues, CsvRows& rows, int col, const char* field, bool& has, double& out) {
  std::string_view s = trace::trim(rows[col]);
  has = false;
  if (s.empty() || s == "None" || s == "NaT" || s == "nan") return true;
  std::int64_t t = 0;
  if (trace::parse_datetime(s, t)) {
    out = static_cast<double>(t);
    has = true;
    return true;
  }
  if (trace::parse_double(s, out)) {
    if (std::string_view(field) == "submit_time") issues.note("numeric times read as seconds");
    has = true;
    return true;
  }
  issues.bad_row(rows.at(field), fmt::format("not a date 'YYYY-MM-DD HH:MM:SS' or a number: '{}'", trace::excerpt(s)));
  return false;
}

std::string local_label(double origin) {
  return trace::format_epoch_seconds(origin) + " local time (UTC+8)";
}

void read_helios(const std::vector<std::string>& paths, const TraceReadOptions& options, Workload& out,
                 TraceReadReport& report) {
  Issues issues(options, report);
  for (const auto& path : paths) {
    CsvRows rows(path, issues);
    trace::reserve_for_file(out, path, 90, {.trace_fields = true});
    const int c_gpu = rows.require("gpu_num"), c_submit = rows.require("submit_time");
    // The Helios simulator's own input has a duration and no start/end times
    // (and, in its Philly-style file, no job_id): see duration_row below.
    const int c_id = rows.column("job_id"), c_start = rows.column("start_time"), c_end = rows.column("end_time");
    const int c_vc = rows.column("vc");
    const int c_user = rows.column("user"), c_state = rows.column("state"), c_duration = rows.column("duration");
    if ((c_start < 0 || c_end < 0) && c_duration < 0)
      throw InputError({path, 1, c_start < 0 ? "start_time" : "end_time"},
                       "a Helios cluster_log.csv needs start_time and end_time, or duration");
    while (rows.next()) {
      ++report.rows;
      auto f = rows.row();
      // Without job_id, the data row's position (from 0, over all files).
      std::int64_t id = static_cast<std::int64_t>(report.rows) - 1;
      std::uint32_t gpus = 0;
      if (c_id >= 0 && !f.integer(rows[c_id], "job_id", id)) continue;
      double g = 0;
      if (!f.number(rows[c_gpu], "gpu_num", g)) continue;
      if (!trace::checked_gpu_count(issues, f.at("gpu_num"), g, gpus)) continue;
      bool has_submit = false, has_start = false, has_end = false;
      double submit = 0, start = 0, end = 0;
      if (!helios_time(issues, rows, c_submit, "submit_time", has_submit, submit) ||
          (c_start >= 0 && !helios_time(issues, rows, c_start, "start_time", has_start, start)) ||
          (c_end >= 0 && !helios_time(issues, rows, c_end, "end_time", has_end, end)))
        continue;
      if (!has_submit) {
        f.bad("submit_time", "empty submit_time");
        continue;
      }
      if (gpus == 0) {
        issues.skip(rows.at("gpu_num"), trace::reason::no_gpu, "CPU job");
        continue;
      }
      // A duration row (the Helios simulator's input): no start or end time
      // and a positive duration, which is the run time; no recorded start.
      double duration = 0;
      const bool duration_row = !has_start && !has_end && c_duration >= 0 &&
                                trace::parse_double(trace::trim(rows[c_duration]), duration) && duration > 0;
      if (duration_row) {
        issues.note("rows with a duration and no start/end times: run time = duration, no recorded start");
      } else if (!has_start) {
        issues.skip(rows.at("start_time"), trace::reason::never_started, "no start_time");
        continue;
      } else if (!has_end) {
        issues.skip(rows.at("end_time"), trace::reason::unfinished, "no end_time");
        continue;
      }
      if (!duration_row && !trace::runtime_ok(issues, rows.at("end_time"), end - start)) continue;
      if (!duration_row && c_duration >= 0) {
        double d = 0;
        if (trace::parse_double(rows[c_duration], d) && std::abs(d - (end - start)) > 1)
          issues.note("duration differs from end_time - start_time by more than 1 s: end - start used");
      }

      Job j;
      j.id = id;
      j.submit = submit;
      j.num_gpus = gpus;
      j.work = duration_row ? duration : end - start;
      JobTraceFields trace;
      if (!duration_row) trace.recorded_start = start;
      if (!duration_row && start < submit) {
        issues.note("start_time before submit_time: recorded start set to submit");
        trace.recorded_start = submit;
      }
      if (c_user >= 0) j.user = out.intern_user(std::string(trace::trim(rows[c_user])));
      if (c_vc >= 0) j.vc = out.intern_vc(trace::trim(rows[c_vc]));
      if (c_state >= 0) {
        std::string_view state = trace::trim(rows[c_state]);
        if (state != "COMPLETED") issues.note(fmt::format("state {}: kept with the run time it used", state));
      }
      out.push_job(j, trace);
      ++report.kept;
    }
  }
  trace::rebase_to_first_submit(out, issues, &local_label);
  issues.finish();
}

}  // namespace

TraceFormat helios_trace_format() {
  return {"helios", "SenseTime Helios cluster_log.csv (Venus, Earth, Saturn, Uranus)", &read_helios};
}

}  // namespace fastgpu
