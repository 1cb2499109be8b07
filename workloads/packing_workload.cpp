#include "workloads/packing_workload.h"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "sim/error.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

// Reads a bounded integer column; InputError naming the field otherwise.
std::int64_t integer_in(trace::CsvRows& rows, int col, const char* field, std::int64_t lo, std::int64_t hi) {
  std::int64_t v = 0;
  rows.row().integer(rows[col], field, v);  // throws: packing lists are read strictly
  if (v < lo || v > hi) throw InputError(rows.at(field), fmt::format("must be in {}..{}, got {}", lo, hi, v));
  return v;
}

struct RequestHash {
  std::size_t operator()(const PodRequest& r) const {
    std::size_t h = std::hash<std::int64_t>()(r.cpu_milli);
    h = h * 31 + std::hash<std::int64_t>()(r.memory_mib);
    h = h * 31 + r.num_gpu * 1001 + r.gpu_milli;
    return h * 31 + std::hash<std::uint64_t>()(r.models);
  }
};

// A node or pod list: a CSV with a header, with the default trace options
// (a malformed row is an InputError naming the file, line and field).
struct PackingCsv {
  explicit PackingCsv(const std::string& path) : rows(path, issues) {}
  TraceReadOptions options;
  TraceReadReport report;
  trace::Issues issues{options, report};
  trace::CsvRows rows;
};

}  // namespace

void read_packing_nodes(const std::string& path, PackingWorkload& out) {
  PackingCsv csv(path);
  trace::CsvRows& rows = csv.rows;
  const int c_cpu = rows.require("cpu_milli"), c_mem = rows.require("memory_mib"), c_gpu = rows.require("gpu"),
            c_model = rows.require("model"), c_name = rows.column("sn");
  out.node_path = path;
  while (rows.next()) {
    PackingNode node;
    node.cpu_milli = integer_in(rows, c_cpu, "cpu_milli", 1, std::int64_t{1} << 40);
    node.memory_mib = integer_in(rows, c_mem, "memory_mib", 1, std::int64_t{1} << 40);
    node.gpus = static_cast<std::uint32_t>(integer_in(rows, c_gpu, "gpu", 0, kMaxPackingGpusPerNode));
    if (c_name >= 0) node.name = std::string(trace::trim(rows[c_name]));
    const std::string model(trace::trim(rows[c_model]));
    if (node.gpus > 0) {
      if (model.empty()) throw InputError(rows.at("model"), "a GPU node without a GPU model");
      auto it = std::find(out.models.begin(), out.models.end(), model);
      if (it == out.models.end()) {
        if (out.models.size() == 64) throw InputError(rows.at("model"), "more than 64 GPU models");
        out.models.push_back(model);
        it = out.models.end() - 1;
      }
      node.model = static_cast<std::uint32_t>(it - out.models.begin());
    }
    out.nodes.push_back(std::move(node));
  }
  if (out.nodes.empty()) throw InputError({path, 0, ""}, "the node list has no nodes");
}

void read_packing_pods(const std::string& path, PackingWorkload& out) {
  PackingCsv csv(path);
  trace::CsvRows& rows = csv.rows;
  const int c_cpu = rows.require("cpu_milli"), c_mem = rows.require("memory_mib"), c_num = rows.require("num_gpu"),
            c_milli = rows.require("gpu_milli"), c_spec = rows.column("gpu_spec");
  out.pod_path = path;
  std::unordered_map<PodRequest, std::uint32_t, RequestHash> index;
  for (std::uint32_t i = 0; i < out.requests.size(); ++i) index.emplace(out.requests[i], i);
  while (rows.next()) {
    PodRequest r;
    r.cpu_milli = integer_in(rows, c_cpu, "cpu_milli", 0, std::int64_t{1} << 40);
    r.memory_mib = integer_in(rows, c_mem, "memory_mib", 0, std::int64_t{1} << 40);
    r.num_gpu = static_cast<std::uint32_t>(integer_in(rows, c_num, "num_gpu", 0, kMaxPackingGpusPerNode));
    r.gpu_milli = static_cast<std::uint32_t>(integer_in(rows, c_milli, "gpu_milli", 0, 1000));
    if (r.num_gpu > 0 && r.gpu_milli == 0)
      throw InputError(rows.at("gpu_milli"), "must be in 1..1000 for a pod with num_gpu > 0, got 0");
    if (r.num_gpu == 0) r.gpu_milli = 0;
    if (c_spec >= 0 && r.num_gpu > 0) {
      const std::string_view spec = trace::trim(rows[c_spec]);
      if (!spec.empty()) {
        r.models = 0;
        std::size_t i = 0;
        while (i <= spec.size()) {
          std::size_t bar = spec.find('|', i);
          if (bar == std::string_view::npos) bar = spec.size();
          const std::string_view t = trace::trim(spec.substr(i, bar - i));
          if (t.empty()) throw InputError(rows.at("gpu_spec"), fmt::format("empty GPU model in '{}'", spec));
          for (std::size_t m = 0; m < out.models.size(); ++m)
            if (out.models[m] == t) r.models |= std::uint64_t{1} << m;
          i = bar + 1;
        }
      }
    }
    auto [it, added] = index.emplace(r, static_cast<std::uint32_t>(out.requests.size()));
    if (added) {
      out.requests.push_back(r);
      out.request_pods.push_back(0);
    }
    ++out.request_pods[it->second];
    out.pods.push_back(it->second);
  }
  if (out.pods.empty()) throw InputError({path, 0, ""}, "the pod list has no pods");
}

PackingWorkload load_packing_workload(const std::string& pod_list, const std::string& node_list) {
  PackingWorkload w;
  read_packing_nodes(node_list, w);
  read_packing_pods(pod_list, w);
  w.name = trace::file_stem(pod_list);
  return w;
}

}  // namespace fastgpu
