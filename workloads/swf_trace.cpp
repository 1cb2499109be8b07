// Standard Workload Format of the Parallel Workloads Archive
// (www.cs.huji.ac.il/labs/parallel/workload/swf.html): one job per line, 18
// whitespace-separated numeric fields, -1 = unknown; header comments start
// with ';' ("; UnixStartTime: 1027839845", "; MaxProcs: 240", ...).
//   1 job id  2 submit (s from UnixStartTime)  3 wait (s)  4 run time (s)
//   5 allocated procs  6 avg CPU time  7 used memory  8 requested procs
//   9 requested time (s)  10 requested memory  11 status (1 done, 0 failed,
//   5 cancelled)  12 user  13 group  14 executable  15 queue  16 partition
//   17 preceding job  18 think time
//
// Mapping: id = field 1; submit = field 2; recorded start = submit + wait;
// work = run time; requested_time = field 9; user = field 12;
// num_gpus = ceil(procs x gpus_per_proc), procs = allocated (field 5), or
// requested (field 8) when the allocation is unknown. Rounding up keeps every
// job able to hold at least the processors it had (e.g. 30 procs at 0.25 GPU
// per proc -> 8 GPUs).
// Skips: no processor count ("no GPU requested"), run time -1 ("missing
// runtime"), run time <= 0.
// Variants tolerated (each stated in report.assumptions): no header comments,
// submit times that are absolute Unix times rather than offsets, extra
// trailing fields (ignored). Fewer than 18 fields is a malformed row.
#include <cmath>
#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "workloads/production_traces.h"
#include "workloads/gpu_count.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

using trace::Issues;

constexpr double kAbsoluteEpochThreshold = 1e8;  // 1973-03-03: offsets are never this large in practice

void read_swf(const std::vector<std::string>& paths, const TraceReadOptions& options, Workload& out,
              TraceReadReport& report) {
  if (!(options.gpus_per_proc > 0) || !std::isfinite(options.gpus_per_proc))
    throw InputError({"", 0, "gpus_per_proc"},
                     fmt::format("gpus_per_proc must be > 0, got {}", options.gpus_per_proc));
  Issues issues(options, report);
  bool any_clock = false;  // some file gave absolute times (header or epoch submits)
  std::vector<std::string_view> f;
  std::unordered_map<std::int64_t, std::uint32_t> user_of;  // SWF user number -> interned user
  for (const auto& path : paths) {
    trace::LineReader in(path);
    trace::reserve_for_file(out, path, 50, {.trace_fields = true});
    std::string_view line;
    double unix_start = NAN;
    bool saw_header = false, decided = false, absolute = false;
    while (in.next(line)) {
      std::string_view t = trace::trim(line);
      if (t.empty()) continue;
      if (t.front() == ';') {
        saw_header = true;
        t.remove_prefix(1);
        std::size_t colon = t.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view key = trace::trim(t.substr(0, colon)), value = trace::trim(t.substr(colon + 1));
        double v = 0;
        if (key == "UnixStartTime" && trace::parse_double(value, v)) unix_start = v;
        if (key == "MaxProcs" && trace::parse_double(value, v) && v > 0)
          issues.note(fmt::format("{}: MaxProcs {:g} = {:g} GPUs at {:g} GPUs per processor", trace::file_stem(path),
                                  v, std::ceil(v * options.gpus_per_proc - 1e-9), options.gpus_per_proc));
        continue;
      }
      ++report.rows;
      if (!trace::check_line(issues, in, line)) continue;
      trace::split_whitespace(t, f);
      trace::RowFields row(issues, path, in.line_number());
      if (f.size() < 18) {
        issues.bad_row({path, in.line_number(), ""},
                       fmt::format("expected 18 fields, found {}{}", f.size(),
                                   in.last_unterminated() ? " (the file ends inside this row: cut?)" : ""));
        continue;
      }
      if (f.size() > 18) issues.note("extra trailing fields after the 18 SWF fields ignored");
      static constexpr const char* kNames[] = {"job_id", "submit", "wait", "run_time", "allocated_procs",
                                               "avg_cpu_time", "used_memory", "requested_procs",
                                               "requested_time", "requested_memory", "status", "user_id",
                                               "group_id", "executable", "queue", "partition",
                                               "preceding_job", "think_time"};
      double v[18];
      bool ok = true;
      for (int k = 0; k < 18 && ok; ++k) ok = row.number(f[static_cast<std::size_t>(k)], kNames[k], v[k]);
      if (!ok) continue;
      if (v[0] != std::floor(v[0]) || std::abs(v[0]) > 9007199254740992.0) {  // 2^53: exact as an id
        row.bad("job_id", fmt::format("job id must be an integer, got {}", f[0]));
        continue;
      }
      if (!decided) {
        decided = true;
        absolute = v[1] >= kAbsoluteEpochThreshold;
        if (!saw_header) issues.note(fmt::format("{}: no SWF header comments", trace::file_stem(path)));
        if (absolute) {
          issues.note(fmt::format("{}: submit times look like absolute Unix times (first is {:g}), read as such",
                                  trace::file_stem(path), v[1]));
          any_clock = true;
        } else if (!std::isnan(unix_start)) {
          any_clock = true;
        }
      }
      if (v[1] < 0) {
        row.bad("submit", fmt::format("submit time must be >= 0, got {}", f[1]));
        continue;
      }
      double procs = v[4];
      if (procs <= 0 && v[7] > 0) {
        procs = v[7];
        issues.note("allocated processors unknown: requested processors used");
      }
      if (procs <= 0) {
        issues.skip({path, in.line_number(), "allocated_procs"}, trace::reason::no_gpu, "no processor count");
        continue;
      }
      if (v[3] == -1) {
        issues.skip({path, in.line_number(), "run_time"}, trace::reason::missing_runtime, "run time -1");
        continue;
      }
      if (!trace::runtime_ok(issues, {path, in.line_number(), "run_time"}, v[3])) continue;

      double offset = absolute || std::isnan(unix_start) ? 0 : unix_start;
      double gpus = std::ceil(procs * options.gpus_per_proc - 1e-9);
      if (gpus != procs * options.gpus_per_proc) issues.note("processors x gpus_per_proc rounded up to whole GPUs");
      std::uint32_t num_gpus = 0;
      if (!trace::checked_gpu_count(issues, row.at(procs == v[4] ? "allocated_procs" : "requested_procs"),
                                    std::max(1.0, gpus), num_gpus))
        continue;
      Job j;
      j.id = static_cast<std::int64_t>(v[0]);
      j.submit = v[1] + offset;
      j.num_gpus = num_gpus;
      j.work = v[3];
      JobTraceFields trace;
      if (v[2] >= 0) trace.recorded_start = j.submit + v[2];
      else issues.note("wait time -1: recorded start unknown");
      if (v[8] >= 0) trace.requested_time = v[8];
      if (v[11] >= 0) {
        if (v[11] != std::floor(v[11]) || v[11] > 9007199254740992.0) {  // 2^53: exact as an id
          row.bad("user_id", fmt::format("user id must be an integer, got {}", trace::excerpt(f[11])));
          continue;
        }
        auto uid = static_cast<std::int64_t>(v[11]);
        auto [it, fresh] = user_of.try_emplace(uid, 0);
        if (fresh) it->second = out.intern_user(fmt::format("{}", uid));
        j.user = it->second;
      }
      if (v[10] == 0) issues.note("status 0 (failed): kept with the run time used");
      else if (v[10] == 5) issues.note("status 5 (cancelled): kept with the run time used");
      out.push_job(j, trace);
      ++report.kept;
    }
  }
  trace::rebase_to_first_submit(out, issues, [any_clock](double origin) {
    return any_clock ? trace::format_epoch_seconds(origin) + " UTC"
                     : fmt::format("{:g} s in the log's clock (no UnixStartTime)", origin);
  });
  issues.note(fmt::format("GPUs = ceil(processors x {:g})", options.gpus_per_proc));
  issues.finish();
}

}  // namespace

TraceFormat swf_trace_format() {
  return {"swf", "Standard Workload Format (Parallel Workloads Archive), processors x gpus_per_proc = GPUs",
          &read_swf};
}

}  // namespace fastgpu
