// The registry of trace formats: one line per format in the list below.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>

#include <fmt/format.h>

#include "sim/error.h"
#include "workloads/csv_trace.h"
#include "workloads/production_traces.h"
#include "workloads/trace_reader.h"

namespace fastgpu {

const std::vector<TraceFormat>& trace_formats() {
  static const std::vector<TraceFormat> formats = {
      {"csv", "fastgpu native CSV: one job per row, header names the columns", read_csv_trace},
      philly_trace_format(),
      alibaba2020_trace_format(),
      alibaba2023_trace_format(),
      helios_trace_format(),
      swf_trace_format(),
      gavel_trace_format(),
      tiresias_trace_format(),
  };
  return formats;
}

const TraceFormat& find_trace_format(const std::string& name) {
  for (const auto& f : trace_formats())
    if (f.name == name) return f;
  std::string known;
  for (const auto& f : trace_formats()) known += (known.empty() ? "" : ", ") + f.name;
  throw InputError(SourceLocation{"", 0, "workload.format"},
                   fmt::format("unknown trace format '{}' (known: {})", name, known));
}

std::uint64_t TraceReadReport::skipped_total() const {
  std::uint64_t total = 0;
  for (const auto& [reason, count] : skipped) total += count;
  return total;
}

Workload read_trace(const std::string& format, const std::vector<std::string>& paths,
                    const TraceReadOptions& options, TraceReadReport* report) {
  const TraceFormat& f = find_trace_format(format);
  if (paths.empty()) throw InputError(SourceLocation{"", 0, "workload.trace"}, "no trace files given");
  TraceReadReport local;
  TraceReadReport& r = report ? *report : local;
  Workload w;
  w.name = std::filesystem::path(paths.front()).stem().string();
  f.read(paths, options, w, r);
  const std::string source =
      paths.size() == 1 ? paths.front() : fmt::format("{} (+{} more)", paths.front(), paths.size() - 1);
  // The same rule in every format: an empty file (no bytes but blanks) is
  // almost always the wrong file or a failed download, not a workload. (A
  // header or comments without rows is an empty workload.)
  const auto blank = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    for (char c; in.get(c);)
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
    return true;
  };
  if (r.rows == 0 && std::all_of(paths.begin(), paths.end(), blank))
    throw InputError(SourceLocation{source, 0, ""}, "the trace is empty: no data rows");
  w.finalize(source);
  r.kept = w.jobs.size();
  return w;
}

}  // namespace fastgpu
