// The keys of [workload] for kind = "packing" (workloads/packing_spec.h).
#include <cmath>
#include <filesystem>

#include "config/sections.h"

namespace fastgpu::config_reader {

namespace {

// Paths written in the file are relative to the file; paths given with --set
// are relative to the working directory.
std::string resolve(const ReadContext& ctx, const std::string& key, const std::string& p) {
  std::filesystem::path fp(p);
  if (fp.is_absolute() || ctx.where(key).file == kOverrideFile) return p;
  return (ctx.dir / fp).lexically_normal().string();
}

}  // namespace

void read_packing(TableReader& t, PackingSpec& p, ReadContext& ctx) {
  if (const toml::node* n = t.node("pods")) {
    const std::string key = t.key("pods");
    if (n->is_string()) {
      std::string s;
      convert(ctx, *n, key, s);
      p.pod_lists = {s};
    } else if (n->is_array()) {
      convert(ctx, *n, key, p.pod_lists);
    } else {
      type_error(ctx, *n, key, "a string or an array of strings (pod list paths)");
    }
    for (std::string& s : p.pod_lists) s = resolve(ctx, key, s);
  }
  if (t.read("nodes", p.node_list)) p.node_list = resolve(ctx, t.key("nodes"), p.node_list);
  t.read("target", p.target);
  t.read("step", p.step_percent);
  t.read("shape_coverage", p.shape_coverage);
  t.read("baseline", p.baseline);
}

void validate_packing(const WorkloadSpec& w, const ReadContext& ctx) {
  auto k = [](const char* name) { return std::string("workload.") + name; };
  const PackingSpec& p = w.packing;
  if (w.kind != "packing") {
    ctx.check(p.pod_lists.empty(), k("pods"), "pod lists are for workload.kind = \"packing\"");
    ctx.check(p.node_list.empty(), k("nodes"), "a node list is for workload.kind = \"packing\"");
    return;
  }
  ctx.check(!p.pod_lists.empty(), k("pods"), "kind = \"packing\" needs workload.pods (a path or a list of paths)");
  ctx.check(!p.node_list.empty(), k("nodes"), "kind = \"packing\" needs workload.nodes (a node list path)");
  ctx.check(w.trace_paths.empty(), k("trace"), "kind = \"packing\" reads workload.pods, not workload.trace");
  ctx.check(std::isfinite(p.target) && p.target > 0 && p.target <= 100, k("target"),
            fmt::format("must be in (0, 100] (a multiple of the GPU capacity), got {}", p.target));
  ctx.check(std::isfinite(p.step_percent) && p.step_percent > 0 && p.step_percent <= 100, k("step"),
            fmt::format("must be in (0, 100] (percent of the capacity), got {}", p.step_percent));
  ctx.check(std::isfinite(p.shape_coverage) && p.shape_coverage > 0 && p.shape_coverage <= 1, k("shape_coverage"),
            fmt::format("must be in (0, 1], got {}", p.shape_coverage));
}

}  // namespace fastgpu::config_reader
