#include "workloads/failure_trace.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "sim/error.h"
#include "sim/parse_number.h"
#include "workloads/csv_scanner.h"

namespace fastgpu {

namespace {

constexpr std::array<std::string_view, 4> kColumns{"time", "node", "gpu", "duration"};

struct Row {
  Outage outage;
  std::size_t line;
};

}  // namespace

std::vector<Outage> read_failure_trace(const std::string& path, const ClusterSpec& cluster) {
  // First GPU and GPU count of every node, as the engine numbers them.
  std::vector<GpuIndex> node_first;
  std::vector<std::uint32_t> node_gpus;
  GpuIndex next = 0;
  for (const NodeGroup& g : cluster.node_groups) {
    for (std::uint32_t i = 0; i < g.count; ++i) {
      node_first.push_back(next);
      node_gpus.push_back(g.gpus_per_node);
      next += g.gpus_per_node;
    }
  }

  CsvScanner csv(path);
  if (!csv.next()) throw InputError(SourceLocation{path, 1, ""}, "empty failure trace: the header time,node,gpu,duration is missing");
  std::array<std::size_t, 4> column{};
  {
    const auto& header = csv.fields();
    if (header.size() != kColumns.size())
      throw InputError(SourceLocation{path, csv.line(), ""},
                       fmt::format("header has {} columns; expected time,node,gpu,duration", header.size()));
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
      const auto it = std::find_if(header.begin(), header.end(),
                                   [&](std::string_view h) { return trim_blanks(h) == kColumns[c]; });
      if (it == header.end())
        throw InputError(SourceLocation{path, csv.line(), std::string(kColumns[c])},
                         "missing column (the header must be time,node,gpu,duration)");
      column[c] = static_cast<std::size_t>(it - header.begin());
    }
  }

  std::vector<Row> rows;
  while (csv.next()) {
    const auto& f = csv.fields();
    const std::size_t line = csv.line();
    auto fail = [&](std::string_view field, const std::string& what) -> void {
      throw InputError(SourceLocation{path, line, std::string(field)}, what);
    };
    if (f.size() != kColumns.size()) fail("", fmt::format("{} fields; expected 4 (time,node,gpu,duration)", f.size()));
    const NumberSyntax blanks{.blanks = true};
    double time = 0, duration = 0;
    std::uint32_t node = 0;
    if (parse_number(f[column[0]], time, blanks) != NumberError::none || !std::isfinite(time) || time < 0)
      fail("time", fmt::format("must be a number of seconds >= 0, got \"{}\"", f[column[0]]));
    if (parse_number(f[column[1]], node, blanks) != NumberError::none)
      fail("node", fmt::format("must be a node number (0-based), got \"{}\"", f[column[1]]));
    if (node >= node_first.size())
      fail("node", fmt::format("node {} does not exist: the cluster has {} nodes (0 to {})", node, node_first.size(),
                               node_first.size() - 1));
    Outage o{.time = time, .first_gpu = node_first[node], .gpus = node_gpus[node]};
    const std::string_view gpu_cell = trim_blanks(f[column[2]]);
    if (!gpu_cell.empty()) {
      std::uint32_t gpu = 0;
      if (parse_number(gpu_cell, gpu) != NumberError::none)
        fail("gpu", fmt::format("must be a GPU number on the node (0-based) or empty for the whole node, got \"{}\"",
                                gpu_cell));
      if (gpu >= node_gpus[node])
        fail("gpu", fmt::format("GPU {} does not exist: node {} has {} GPUs (0 to {})", gpu, node, node_gpus[node],
                                node_gpus[node] - 1));
      o.first_gpu += gpu;
      o.gpus = 1;
    }
    if (parse_number(f[column[3]], duration, blanks) != NumberError::none || !std::isfinite(duration) ||
        duration <= 0)
      fail("duration", fmt::format("must be a number of seconds > 0, got \"{}\"", f[column[3]]));
    o.duration = duration;
    rows.push_back(Row{o, line});
  }

  // Overlaps: per GPU, each outage must begin at or after the previous one ends.
  struct Interval {
    GpuIndex gpu;
    double begin, end;
    std::size_t line;
  };
  std::vector<Interval> intervals;
  for (const Row& r : rows)
    for (GpuIndex g = r.outage.first_gpu; g < r.outage.first_gpu + r.outage.gpus; ++g)
      intervals.push_back(Interval{g, r.outage.time, r.outage.time + r.outage.duration, r.line});
  std::sort(intervals.begin(), intervals.end(), [](const Interval& a, const Interval& b) {
    if (a.gpu != b.gpu) return a.gpu < b.gpu;
    if (a.begin != b.begin) return a.begin < b.begin;
    return a.line < b.line;
  });
  for (std::size_t i = 1; i < intervals.size(); ++i) {
    const Interval &a = intervals[i - 1], &b = intervals[i];
    if (a.gpu == b.gpu && b.begin < a.end) {
      const Interval& later = a.line > b.line ? a : b;
      const Interval& earlier = a.line > b.line ? b : a;
      throw InputError(SourceLocation{path, later.line, "time"},
                       fmt::format("this outage of GPU {} overlaps the one on line {} ([{}, {}) and [{}, {}))",
                                   a.gpu, earlier.line, a.begin, a.end, b.begin, b.end));
    }
  }

  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.outage.time < b.outage.time; });
  std::vector<Outage> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(r.outage);
  return out;
}

}  // namespace fastgpu
