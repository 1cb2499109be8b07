#include "results_io/packing_writer.h"

#include <cstring>

#include <fmt/format.h>

#include "results_io/hdf5_file.h"
#include "sim/error.h"

namespace fastgpu {

namespace {

using h5::check;

h5::Handle group_path(hid_t file, const std::string& path) {
  h5::Handle lcpl = h5::make_plist(H5Pcreate(H5P_LINK_CREATE), "creating link properties");
  h5::check_status(H5Pset_create_intermediate_group(lcpl, 1), "creating intermediate groups");
  h5::Handle gcpl = h5::make_plist(H5Pcreate(H5P_GROUP_CREATE), "creating group properties");
  h5::check_status(H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "link order");
  h5::check_status(H5Pset_obj_track_times(gcpl, false), "disabling object times");
  return {check(H5Gcreate2(file, path.c_str(), lcpl, gcpl, H5P_DEFAULT), "creating group " + path), H5Gclose};
}

h5::Handle curve_type() {
  const hid_t d = H5T_NATIVE_DOUBLE;
  using P = PackingCurvePoint;
  return h5::compound_type(sizeof(P), {{"arrived_percent", offsetof(P, arrived_percent), d},
                                       {"allocated_percent", offsetof(P, allocated_percent), d},
                                       {"fragmented_percent", offsetof(P, fragmented_percent), d},
                                       {"fragmented_of_free", offsetof(P, fragmented_of_free), d},
                                       {"unplaceable_pods", offsetof(P, unplaceable_pods), d},
                                       {"unplaceable_gpu_percent", offsetof(P, unplaceable_gpu_percent), d},
                                       {"pods", offsetof(P, pods), d}});
}

constexpr std::size_t kName = 64;
struct SummaryRow {
  char placement[kName];
  char workload[kName];
  std::uint64_t seed;
  double capacity_gpus;
  double allocated_at_100, fragmented_at_100, unplaceable_at_100;
  double allocated_end, fragmented_end, unplaceable_end, arrived_end;
  double wall_seconds;
};

void copy_name(char (&out)[kName], const std::string& s) {
  if (s.size() >= kName) throw InputError(fmt::format("name '{}' is longer than {} bytes", s, kName - 1));
  std::memset(out, 0, kName);
  std::memcpy(out, s.data(), s.size());
}

}  // namespace

void write_packing_results(const std::string& path, const ResultsFileMeta& meta,
                           const std::vector<PackingRunResult>& runs) {
  std::vector<SummaryRow> rows(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const PackingRunResult& r = runs[i];
    SummaryRow& s = rows[i];
    copy_name(s.placement, r.placement);
    copy_name(s.workload, r.workload);
    s.seed = r.seed;
    s.capacity_gpus = static_cast<double>(r.capacity_milli) / 1000.0;
    const PackingCurvePoint& p = r.at(100.0);
    s.allocated_at_100 = p.allocated_percent;
    s.fragmented_at_100 = p.fragmented_percent;
    s.unplaceable_at_100 = p.unplaceable_pods;
    s.allocated_end = r.end.allocated_percent;
    s.fragmented_end = r.end.fragmented_percent;
    s.unplaceable_end = r.end.unplaceable_pods;
    s.arrived_end = r.end.arrived_percent;
    s.wall_seconds = r.wall_seconds;
  }
  const h5::QuietErrors quiet;
  try {
    h5::AtomicFile file(path);
    h5::write_attribute(file, "experiment", meta.experiment);
    h5::write_attribute(file, "config_path", meta.config_path);
    h5::write_attribute(file, "config_text", meta.config_text);
    h5::write_attribute(file, "kind", "packing");
    const h5::Handle curve = curve_type();
    for (const PackingRunResult& r : runs) {
      h5::Handle g = group_path(file, fmt::format("/packing/{}/{}/seed-{}", r.placement, r.workload, r.seed));
      h5::write_dataset(g, "curve", curve, r.curve.data(), r.curve.size());
      h5::write_dataset(g, "end", curve, &r.end, 1);
      h5::write_attribute(g, "capacity_gpus", static_cast<double>(r.capacity_milli) / 1000.0);
      h5::write_attribute(g, "wall_seconds", r.wall_seconds);
    }
    const h5::Handle name = h5::fixed_string_type(kName);
    const hid_t d = H5T_NATIVE_DOUBLE;
    using S = SummaryRow;
    const h5::Handle summary = h5::compound_type(
        sizeof(S), {{"placement", offsetof(S, placement), name},
                    {"workload", offsetof(S, workload), name},
                    {"seed", offsetof(S, seed), H5T_NATIVE_UINT64},
                    {"capacity_gpus", offsetof(S, capacity_gpus), d},
                    {"allocated_at_100", offsetof(S, allocated_at_100), d},
                    {"fragmented_at_100", offsetof(S, fragmented_at_100), d},
                    {"unplaceable_at_100", offsetof(S, unplaceable_at_100), d},
                    {"allocated_end", offsetof(S, allocated_end), d},
                    {"fragmented_end", offsetof(S, fragmented_end), d},
                    {"unplaceable_end", offsetof(S, unplaceable_end), d},
                    {"arrived_end", offsetof(S, arrived_end), d},
                    {"wall_seconds", offsetof(S, wall_seconds), d}});
    h5::write_dataset(file, "packing_summary", summary, rows.data(), rows.size());
    file.commit();
  } catch (const h5::Error& e) {
    throw std::runtime_error(fmt::format("cannot write results file '{}': {}", path, e.what()));
  }
}

}  // namespace fastgpu
