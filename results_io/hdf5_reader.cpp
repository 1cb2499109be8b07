#include "results_io/hdf5_reader.h"

#include <fmt/format.h>

#include <cstring>
#include <filesystem>

#include "sim/error.h"
#include "sim/metrics.h"
#include "results_io/hdf5_common.h"
#include "results_io/hdf5_writer.h"
#include "results_io/vc_table.h"

namespace fastgpu {

using h5::check;
using h5::check_status;
using h5::Handle;

namespace {

Handle open_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(SourceLocation{path, 0, ""}, "no such results file");
  return {check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "opening as HDF5"), H5Fclose};
}

Handle open_dataset(hid_t loc, const std::string& name) {
  return {check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), "opening dataset " + name), H5Dclose};
}

std::size_t row_count(hid_t ds, const std::string& name) {
  Handle space = h5::make_space(H5Dget_space(ds), "reading the shape of " + name);
  if (H5Sget_simple_extent_ndims(space) != 1) throw h5::Error(name + " is not a 1-D table");
  hsize_t dims[1] = {0};
  check_status(H5Sget_simple_extent_dims(space, dims, nullptr), "reading the shape of " + name);
  return dims[0];
}

// Runs `body` and turns HDF5 failures into InputErrors naming the file.
template <class F>
auto guarded(const std::string& path, F body) {
  const h5::QuietErrors quiet;
  try {
    return body();
  } catch (const h5::Error& e) {
    throw InputError(SourceLocation{path, 0, ""}, fmt::format("cannot read results file: {}", e.what()));
  }
}

// The run's group path; InputError naming the file when the run is not in it.
std::string require_run(hid_t file, const std::string& path, const std::string& policy, const std::string& workload,
                        std::uint64_t seed) {
  const std::string group = run_group_path(policy, workload, seed);
  // H5Lexists needs every intermediate link to exist: walk the path.
  std::string prefix;
  for (std::size_t at = 1; at != std::string::npos;) {
    const std::size_t next = group.find('/', at);
    prefix = group.substr(0, next);
    if (check_status(H5Lexists(file, prefix.c_str(), H5P_DEFAULT), "looking up " + prefix) <= 0)
      throw InputError(SourceLocation{path, 0, group},
                       fmt::format("no run of policy '{}' on workload '{}' with seed {}", policy, workload, seed));
    at = next == std::string::npos ? next : next + 1;
  }
  return group;
}

// Reads a whole 1-D table of one run into a vector of T via `mem_type`.
template <class T>
std::vector<T> read_run_table(const std::string& path, const std::string& policy, const std::string& workload,
                              std::uint64_t seed, const char* dataset, hid_t mem_type) {
  Handle file = open_file(path);
  const std::string name = require_run(file, path, policy, workload, seed) + "/" + dataset;
  Handle ds = open_dataset(file, name);
  std::vector<T> rows(row_count(ds, name));
  Handle file_type = h5::make_type(H5Dget_type(ds), "reading the type of " + name);
  Handle dxpl = h5::transfer_plist(rows.size(), file_type, mem_type);
  if (!rows.empty()) check_status(H5Dread(ds, mem_type, H5S_ALL, H5S_ALL, dxpl, rows.data()), "reading " + name);
  return rows;
}

}  // namespace

std::vector<SummaryRow> read_summary_table(const std::string& path) {
  return guarded(path, [&] {
    Handle file = open_file(path);
    Handle ds = open_dataset(file, h5::kSummaryDataset);
    Handle file_type = h5::make_type(H5Dget_type(ds), "reading the type of /summary");
    if (H5Tget_class(file_type) != H5T_COMPOUND) throw h5::Error("/summary is not a compound table");

    // A memory row with the strings as they are and every number as double,
    // so files with more or fewer metric columns read fine.
    struct Column { std::string name; std::size_t offset; std::size_t size; bool text; };
    std::vector<Column> columns;
    std::vector<Handle> string_types;
    std::size_t row_bytes = 0;
    const int members = check(H5Tget_nmembers(file_type), "counting /summary columns");
    for (int i = 0; i < members; ++i) {
      Column c{h5::member_name(file_type, static_cast<unsigned>(i)), 0, sizeof(double), false};
      const H5T_class_t cls = H5Tget_member_class(file_type, static_cast<unsigned>(i));
      if (cls == H5T_STRING) {
        Handle t = h5::make_type(H5Tget_member_type(file_type, static_cast<unsigned>(i)), "reading a column type");
        if (H5Tis_variable_str(t) > 0) throw h5::Error("/summary column " + c.name + " is not a fixed-length string");
        c.text = true;
        c.size = H5Tget_size(t);
      } else if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
        continue;  // not a metric; skipped
      }
      c.offset = row_bytes;
      row_bytes += (c.size + 7) / 8 * 8;
      columns.push_back(std::move(c));
    }
    Handle mem = h5::make_type(H5Tcreate(H5T_COMPOUND, std::max<std::size_t>(row_bytes, 1)), "creating a row type");
    for (const Column& c : columns) {
      if (c.text) string_types.push_back(h5::fixed_string_type(c.size));
      const hid_t t = c.text ? string_types.back().get() : c.name == "seed" ? H5T_NATIVE_UINT64 : H5T_NATIVE_DOUBLE;
      check_status(H5Tinsert(mem, c.name.c_str(), c.offset, t), "adding column " + c.name);
    }

    const std::size_t n = row_count(ds, h5::kSummaryDataset);
    std::vector<std::byte> buf(n * row_bytes);
    Handle dxpl = h5::transfer_plist(n, file_type, mem);
    if (n > 0) check_status(H5Dread(ds, mem, H5S_ALL, H5S_ALL, dxpl, buf.data()), "reading /summary");
    std::vector<SummaryRow> rows(n);
    for (std::size_t k = 0; k < n; ++k) {
      const std::byte* row = buf.data() + k * row_bytes;
      for (const Column& c : columns) {
        if (c.text) {
          const auto* s = reinterpret_cast<const char*>(row + c.offset);
          const std::string value(s, strnlen(s, c.size));
          if (c.name == "policy") rows[k].policy = value;
          else if (c.name == "workload") rows[k].workload = value;
          else if (c.name.rfind("sweep.", 0) == 0 && !value.empty()) rows[k].sweep.emplace(c.name.substr(6), value);
        } else if (c.name == "seed") {
          std::memcpy(&rows[k].seed, row + c.offset, sizeof(std::uint64_t));
        } else {
          double v;
          std::memcpy(&v, row + c.offset, sizeof v);
          rows[k].metrics.emplace(current_metric_name(c.name), v);  // older files: seed_F, seed_L
        }
      }
    }
    return rows;
  });
}

std::vector<JobRecord> read_job_records(const std::string& path, const std::string& policy,
                                        const std::string& workload, std::uint64_t seed) {
  return guarded(path, [&] {
    Handle type = h5::job_record_type(sizeof(JobRecord));  // the extra text columns are not read
    return read_run_table<JobRecord>(path, policy, workload, seed, h5::kJobsDataset, type);
  });
}

std::vector<std::string> read_reject_reason_texts(const std::string& path, const std::string& policy,
                                                  const std::string& workload, std::uint64_t seed) {
  return guarded(path, [&] {
    Handle file = open_file(path);
    const std::string name = require_run(file, path, policy, workload, seed) + "/" + h5::kJobsDataset;
    Handle ds = open_dataset(file, name);
    Handle file_type = h5::make_type(H5Dget_type(ds), "reading the type of " + name);
    const int member = H5Tget_member_index(file_type, h5::kRejectReasonTextColumn);
    if (member < 0) throw h5::Error(name + " has no column " + h5::kRejectReasonTextColumn);
    Handle column = h5::make_type(H5Tget_member_type(file_type, static_cast<unsigned>(member)), "reading a column type");
    const std::size_t width = H5Tget_size(column);
    Handle text = h5::fixed_string_type(width);
    Handle mem = h5::make_type(H5Tcreate(H5T_COMPOUND, width), "creating a row type");
    check_status(H5Tinsert(mem, h5::kRejectReasonTextColumn, 0, text), "adding the reason column");
    const std::size_t n = row_count(ds, name);
    std::vector<char> buf(n * width);
    Handle dxpl = h5::transfer_plist(n, file_type, mem);
    if (n > 0) check_status(H5Dread(ds, mem, H5S_ALL, H5S_ALL, dxpl, buf.data()), "reading " + name);
    std::vector<std::string> out(n);
    for (std::size_t k = 0; k < n; ++k) out[k] = std::string(buf.data() + k * width, strnlen(buf.data() + k * width, width));
    return out;
  });
}

std::vector<std::string> read_gpu_type_names(const std::string& path) {
  return guarded(path, [&] {
    Handle file = open_file(path);
    if (check_status(H5Aexists(file, "gpu_type_names"), "looking up gpu_type_names") <= 0)
      return std::vector<std::string>{};
    Handle attr{check(H5Aopen(file, "gpu_type_names", H5P_DEFAULT), "opening gpu_type_names"), H5Aclose};
    Handle space = h5::make_space(H5Aget_space(attr), "reading the shape of gpu_type_names");
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    if (n < 0) throw h5::Error("gpu_type_names has no size");
    Handle type = h5::vl_string_type();
    std::vector<char*> raw(static_cast<std::size_t>(n), nullptr);
    if (n > 0) check_status(H5Aread(attr, type, raw.data()), "reading gpu_type_names");
    std::vector<std::string> out;
    for (char* p : raw) out.emplace_back(p ? p : "");
    if (n > 0) H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw.data());  // H5Treclaim from HDF5 1.12 on
    return out;
  });
}

std::vector<TimeSample> read_timeseries(const std::string& path, const std::string& policy,
                                        const std::string& workload, std::uint64_t seed) {
  return guarded(path, [&] {
    Handle type = h5::time_sample_type();
    return read_run_table<TimeSample>(path, policy, workload, seed, h5::kTimeseriesDataset, type);
  });
}

}  // namespace fastgpu

namespace fastgpu {

std::vector<VcSummary> read_vc_summaries(const std::string& path, const std::string& policy,
                                         const std::string& workload, std::uint64_t seed) {
  return guarded(path, [&] {
    Handle type = h5::vc_row_type();
    return h5::from_vc_rows(read_run_table<h5::VcRow>(path, policy, workload, seed, h5::kVcsDataset, type));
  });
}

}  // namespace fastgpu
