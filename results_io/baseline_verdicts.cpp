#include "results_io/baseline_verdicts.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "results_io/baseline_verdicts_table.h"
#include "results_io/hdf5_file.h"
#include "sim/error.h"

namespace fastgpu {

namespace {

using h5::check;
using h5::check_status;
using h5::Handle;

// The text columns, in row order, and where each lives in a BaselineVerdict.
constexpr std::array<std::pair<const char*, std::string BaselineVerdict::*>, 5> kTextColumns{{
    {"workload", &BaselineVerdict::workload},
    {"baseline", &BaselineVerdict::baseline},
    {"policy", &BaselineVerdict::policy},
    {"metric", &BaselineVerdict::metric},
    {"verdict", &BaselineVerdict::verdict},
}};
constexpr std::array<std::pair<const char*, double BaselineVerdict::*>, 4> kNumberColumns{{
    {"baseline_mean", &BaselineVerdict::baseline_mean},
    {"policy_mean", &BaselineVerdict::policy_mean},
    {"difference_mean", &BaselineVerdict::difference_mean},
    {"difference_half_width", &BaselineVerdict::difference_half_width},
}};

// Row layout for the given text column widths: texts, then pairs, then the numbers.
struct Layout {
  std::array<std::size_t, kTextColumns.size()> text_at{}, text_len{};
  std::size_t pairs_at = 0, numbers_at = 0, row_bytes = 0;
  std::vector<Handle> string_types;
  Handle type;
};

Layout make_layout(const std::array<std::size_t, kTextColumns.size()>& lengths) {
  Layout l;
  std::size_t at = 0;
  for (std::size_t i = 0; i < kTextColumns.size(); ++i) {
    l.text_at[i] = at;
    l.text_len[i] = std::max<std::size_t>(lengths[i], 1);
    at += l.text_len[i];
  }
  l.pairs_at = at;
  l.numbers_at = at + sizeof(std::uint64_t);
  l.row_bytes = l.numbers_at + kNumberColumns.size() * sizeof(double);
  l.type = h5::make_type(H5Tcreate(H5T_COMPOUND, l.row_bytes), "creating the verdict row type");
  for (std::size_t i = 0; i < kTextColumns.size(); ++i) {
    l.string_types.push_back(h5::fixed_string_type(l.text_len[i]));
    check_status(H5Tinsert(l.type, kTextColumns[i].first, l.text_at[i], l.string_types.back()),
                 std::string("adding column ") + kTextColumns[i].first);
  }
  check_status(H5Tinsert(l.type, "pairs", l.pairs_at, H5T_NATIVE_UINT64), "adding column pairs");
  for (std::size_t i = 0; i < kNumberColumns.size(); ++i)
    check_status(H5Tinsert(l.type, kNumberColumns[i].first, l.numbers_at + i * sizeof(double), H5T_NATIVE_DOUBLE),
                 std::string("adding column ") + kNumberColumns[i].first);
  return l;
}

}  // namespace

namespace h5 {

void write_baseline_verdicts(hid_t file, const std::vector<BaselineVerdict>& rows) {
  if (rows.empty()) return;
  std::array<std::size_t, kTextColumns.size()> lengths{};
  for (const BaselineVerdict& v : rows) {
    for (std::size_t i = 0; i < kTextColumns.size(); ++i)
      lengths[i] = std::max(lengths[i], (v.*kTextColumns[i].second).size());
  }
  const Layout l = make_layout(lengths);
  std::vector<std::byte> buf(rows.size() * l.row_bytes, std::byte{0});
  for (std::size_t k = 0; k < rows.size(); ++k) {
    std::byte* row = buf.data() + k * l.row_bytes;
    for (std::size_t i = 0; i < kTextColumns.size(); ++i) {
      const std::string& s = rows[k].*kTextColumns[i].second;
      std::memcpy(row + l.text_at[i], s.data(), s.size());
    }
    std::memcpy(row + l.pairs_at, &rows[k].pairs, sizeof(std::uint64_t));
    for (std::size_t i = 0; i < kNumberColumns.size(); ++i)
      std::memcpy(row + l.numbers_at + i * sizeof(double), &(rows[k].*kNumberColumns[i].second), sizeof(double));
  }
  // Like every table of the file: no modification time, so equal results give equal bytes.
  const hsize_t dims[1] = {rows.size()};
  Handle space = make_space(H5Screate_simple(1, dims, nullptr), "creating dataspace of /baseline_verdicts");
  Handle dcpl = make_plist(H5Pcreate(H5P_DATASET_CREATE), "creating dataset properties");
  check_status(H5Pset_obj_track_times(dcpl, false), "disabling object times");
  Handle ds{check(H5Dcreate2(file, kBaselineVerdictsDataset, l.type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                  "creating dataset /baseline_verdicts"),
            H5Dclose};
  check_status(H5Dwrite(ds, l.type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "writing /baseline_verdicts");
  ds.close("closing /baseline_verdicts");
}

}  // namespace h5

std::vector<BaselineVerdict> read_baseline_verdicts(const std::string& path) {
  const h5::QuietErrors quiet;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(SourceLocation{path, 0, ""}, "no such results file");
  try {
    Handle file{check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "opening as HDF5"), H5Fclose};
    if (check_status(H5Lexists(file, h5::kBaselineVerdictsDataset, H5P_DEFAULT), "looking up /baseline_verdicts") <= 0)
      return {};
    Handle ds{check(H5Dopen2(file, h5::kBaselineVerdictsDataset, H5P_DEFAULT), "opening /baseline_verdicts"),
              H5Dclose};
    Handle file_type = h5::make_type(H5Dget_type(ds), "reading the type of /baseline_verdicts");
    std::array<std::size_t, kTextColumns.size()> lengths{};
    for (std::size_t i = 0; i < kTextColumns.size(); ++i) {
      const int member = H5Tget_member_index(file_type, kTextColumns[i].first);
      if (member < 0) throw h5::Error(fmt::format("/baseline_verdicts has no column {}", kTextColumns[i].first));
      Handle t = h5::make_type(H5Tget_member_type(file_type, static_cast<unsigned>(member)), "reading a column type");
      lengths[i] = H5Tget_size(t);
    }
    const Layout l = make_layout(lengths);
    Handle space = h5::make_space(H5Dget_space(ds), "reading the shape of /baseline_verdicts");
    hsize_t dims[1] = {0};
    if (H5Sget_simple_extent_ndims(space) != 1) throw h5::Error("/baseline_verdicts is not a 1-D table");
    check_status(H5Sget_simple_extent_dims(space, dims, nullptr), "reading the shape of /baseline_verdicts");
    std::vector<std::byte> buf(dims[0] * l.row_bytes);
    if (dims[0] > 0)
      check_status(H5Dread(ds, l.type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "reading /baseline_verdicts");
    std::vector<BaselineVerdict> rows(dims[0]);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::byte* row = buf.data() + k * l.row_bytes;
      for (std::size_t i = 0; i < kTextColumns.size(); ++i) {
        const auto* s = reinterpret_cast<const char*>(row + l.text_at[i]);
        rows[k].*kTextColumns[i].second = std::string(s, strnlen(s, l.text_len[i]));
      }
      std::memcpy(&rows[k].pairs, row + l.pairs_at, sizeof(std::uint64_t));
      for (std::size_t i = 0; i < kNumberColumns.size(); ++i)
        std::memcpy(&(rows[k].*kNumberColumns[i].second), row + l.numbers_at + i * sizeof(double), sizeof(double));
    }
    return rows;
  } catch (const h5::Error& e) {
    throw InputError(SourceLocation{path, 0, ""}, fmt::format("cannot read results file: {}", e.what()));
  }
}

}  // namespace fastgpu
