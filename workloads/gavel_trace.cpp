// Job traces of the Gavel simulator (Narayanan et al., OSDI'20;
// github.com/stanford-futuredata/gavel, scheduler/traces/): TAB-separated, no
// header, one job per line. Layouts, told apart by the field count:
//   7  job_type command num_steps_arg needs_data_dir total_steps arrival_time scale_factor
//      (older traces, e.g. traces/msr/seed=N/<vc>.trace)
//   9  job_type command num_steps_arg needs_data_dir total_steps scale_factor priority_weight SLO arrival_time
//   10 job_type command working_directory num_steps_arg needs_data_dir total_steps scale_factor
//      priority_weight SLO arrival_time   (Gavel's current parse_trace)
//   11 as 10 with `mode` after scale_factor (Shockwave's fork)
// arrival_time = seconds from the trace start; scale_factor = GPUs.
// The 7-field traces hold one virtual cluster per file (<vc>.trace): their
// jobs get the file's stem as VC. The other layouts name no VC.
//
// Gavel stores the work as training steps, not seconds. The run time is
// total_steps / steps_per_second, where steps_per_second comes from
// options.gavel_throughputs (CSV "job_type,steps_per_second", the rate of the
// whole job on the reference GPU type) or else options.steps_per_second for
// every job type. Gavel itself derives durations from measured per-GPU-type
// throughputs (its simulation_throughputs.json); supply those V100 rates as
// the CSV to recover Gavel's intended durations.
// Mapping: num_gpus = scale_factor; submit = arrival_time; priority =
// round(priority_weight); SLO > 0 -> deadline = submit + SLO x run time
// (Gavel's SLO is a multiple of the job's duration). Job types are kept in
// Workload::job_names ("<n>:<job_type>"), ids are row positions.
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include <fmt/format.h>

#include "workloads/production_traces.h"
#include "workloads/gpu_count.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

using trace::Issues;

struct Layout {
  std::size_t fields;
  int total_steps, arrival, scale, priority, slo;  // -1 = absent
};
constexpr Layout kLayouts[] = {
    {7, 4, 5, 6, -1, -1},
    {9, 4, 8, 5, 6, 7},
    {10, 5, 9, 6, 7, 8},
    {11, 5, 10, 6, 8, 9},
};

std::unordered_map<std::string, double> read_throughputs(const std::string& path, Issues& issues) {
  std::unordered_map<std::string, double> rates;
  TraceReadOptions strict_rows;  // a throughput table must be fully valid
  TraceReadReport ignored;
  Issues table_issues(strict_rows, ignored);
  trace::CsvRows rows(path, table_issues);
  const int c_type = rows.require("job_type"), c_rate = rows.require("steps_per_second");
  while (rows.next()) {
    double r = 0;
    if (!rows.row().number(rows[c_rate], "steps_per_second", r)) continue;
    if (!(r > 0)) throw InputError(rows.at("steps_per_second"), fmt::format("steps_per_second must be > 0, got {}", r));
    rates[std::string(trace::trim(rows[c_type]))] = r;
  }
  issues.note(fmt::format("run time = total_steps / steps_per_second of the job type from {} ({} types)", path,
                          rates.size()));
  return rates;
}

void read_gavel(const std::vector<std::string>& paths, const TraceReadOptions& options, Workload& out,
                TraceReadReport& report) {
  if (!(options.steps_per_second > 0) || !std::isfinite(options.steps_per_second))
    throw InputError({"", 0, "steps_per_second"},
                     fmt::format("steps_per_second must be > 0, got {}", options.steps_per_second));
  Issues issues(options, report);
  std::unordered_map<std::string, double> rates;
  if (!options.gavel_throughputs.empty()) rates = read_throughputs(options.gavel_throughputs, issues);
  std::vector<std::string_view> f;
  for (const auto& path : paths) {
    trace::LineReader in(path);
    trace::reserve_for_file(out, path, 150, {.names = true});
    const std::string file_vc = std::filesystem::path(path).stem().string();
    std::string_view line;
    while (in.next(line)) {
      if (trace::trim(line).empty()) continue;
      ++report.rows;
      if (!trace::check_line(issues, in, line)) continue;
      // Plain split on TAB: commands hold quotes that are not CSV quoting.
      f.clear();
      for (std::size_t i = 0;;) {
        std::size_t tab = line.find('\t', i);
        f.push_back(line.substr(i, tab == std::string_view::npos ? std::string_view::npos : tab - i));
        if (tab == std::string_view::npos) break;
        i = tab + 1;
      }
      const Layout* layout = nullptr;
      for (const auto& l : kLayouts)
        if (l.fields == f.size()) layout = &l;
      if (!layout) {
        issues.bad_row({path, in.line_number(), ""},
                       fmt::format("expected 7, 9, 10 or 11 TAB-separated fields, found {}{}", f.size(),
                                   in.last_unterminated() ? " (the file ends inside this row: cut?)" : ""));
        continue;
      }
      trace::RowFields row(issues, path, in.line_number());
      double steps = 0, arrival = 0, scale = 0, weight = 1, slo = -1;
      if (!row.number(f[static_cast<std::size_t>(layout->total_steps)], "total_steps", steps) ||
          !row.number(f[static_cast<std::size_t>(layout->arrival)], "arrival_time", arrival) ||
          !row.number(f[static_cast<std::size_t>(layout->scale)], "scale_factor", scale))
        continue;
      if (layout->priority >= 0 &&
          (!row.number(f[static_cast<std::size_t>(layout->priority)], "priority_weight", weight) ||
           !row.number(f[static_cast<std::size_t>(layout->slo)], "SLO", slo)))
        continue;
      std::uint32_t gpus = 0;
      if (!trace::checked_gpu_count(issues, row.at("scale_factor"), scale, gpus)) continue;
      if (arrival < 0) {
        row.bad("arrival_time", fmt::format("arrival_time must be >= 0, got {}", arrival));
        continue;
      }
      if (scale == 0) {
        issues.skip({path, in.line_number(), "scale_factor"}, trace::reason::no_gpu, "scale_factor 0");
        continue;
      }
      std::string type(trace::trim(f[0]));
      double rate = options.steps_per_second;
      if (!rates.empty()) {
        auto it = rates.find(type);
        if (it != rates.end()) rate = it->second;
        else issues.note(fmt::format("job type '{}' not in the throughput table: {:g} steps/s", type, rate));
      }
      double runtime = steps / rate;
      if (!trace::runtime_ok(issues, {path, in.line_number(), "total_steps"}, runtime)) continue;
      Job j;
      j.id = static_cast<std::int64_t>(out.jobs.size());
      j.submit = arrival;
      j.num_gpus = gpus;
      j.work = runtime;
      j.priority = static_cast<std::int32_t>(std::lround(weight));
      if (slo > 0) j.deadline = arrival + slo * runtime;
      if (layout->fields == 7) j.vc = out.intern_vc(file_vc);
      out.jobs.push_back(j);
      out.job_names.push_back(fmt::format("{}:{}", j.id, type));
      ++report.kept;
      issues.note(fmt::format("{}-field Gavel layout", layout->fields));
    }
  }
  trace::rebase_to_first_submit(out, issues);
  if (rates.empty())
    issues.note(fmt::format("run time = total_steps / {:g} steps per second for every job type (no throughput table)",
                            options.steps_per_second));
  issues.finish();
}

}  // namespace

TraceFormat gavel_trace_format() {
  return {"gavel", "Gavel simulator .trace (TAB-separated, 7/9/10/11-field layouts; steps -> seconds by a rate)",
          &read_gavel};
}

}  // namespace fastgpu
