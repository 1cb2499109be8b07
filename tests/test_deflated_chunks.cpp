// The results writer's own chunk path (results_io/deflated_chunks.*,
// results_io/packed_rows.*), checked against HDF5's: what it writes is read
// back through HDF5's shuffle and deflate filters, and its packing equals
// H5Tconvert's.
#include <doctest/doctest.h>
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "results_io/deflated_chunks.h"
#include "results_io/hdf5_common.h"
#include "results_io/hdf5_file.h"
#include "results_io/packed_rows.h"
#include "tests/scratch_dir.h"

using namespace fastgpu;
using fastgpu::testing::ScratchDir;

namespace {

struct Row {  // padding after `flag` and after `count` in memory
  char flag;
  double value;
  std::int32_t count;
};

h5::Handle row_type() {
  return h5::compound_type(sizeof(Row), {{"flag", offsetof(Row, flag), H5T_NATIVE_CHAR},
                                         {"value", offsetof(Row, value), H5T_NATIVE_DOUBLE},
                                         {"count", offsetof(Row, count), H5T_NATIVE_INT32}});
}

h5::Handle packed(hid_t type) {
  h5::Handle t = h5::make_type(H5Tcopy(type), "copy");
  REQUIRE(H5Tpack(t) >= 0);
  return t;
}

std::vector<Row> rows(std::size_t n) {
  std::vector<Row> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = {static_cast<char>('a' + i % 26), 0.5 * static_cast<double>(i) - 3, static_cast<std::int32_t>(i * i)};
  return out;
}

}  // namespace

TEST_CASE("packed rows: the plan packs a padded compound exactly as H5Tconvert does") {
  const h5::QuietErrors quiet;
  const h5::Handle mem = row_type();
  const h5::Handle file = packed(mem);
  REQUIRE(H5Tget_size(file) == 1 + 8 + 4);  // no padding
  const auto plan = h5::PackedRows::plan(mem, file);
  REQUIRE(plan.has_value());
  const std::vector<Row> in = rows(7);
  std::vector<std::byte> ours(7 * H5Tget_size(file));
  plan->pack(reinterpret_cast<const std::byte*>(in.data()), in.size(), ours.data());
  std::vector<std::byte> theirs(7 * sizeof(Row)), background(7 * H5Tget_size(file));
  std::memcpy(theirs.data(), in.data(), theirs.size());
  REQUIRE(H5Tconvert(mem, file, in.size(), theirs.data(), background.data(), H5P_DEFAULT) >= 0);
  theirs.resize(ours.size());
  CHECK(ours == theirs);
  // Row 3 by hand: 'd', then 1.5 - 3 = -1.5, then 9, each right after the other.
  const std::byte* r3 = ours.data() + 3 * 13;
  double v = 0;
  std::int32_t c = 0;
  std::memcpy(&v, r3 + 1, sizeof v);
  std::memcpy(&c, r3 + 9, sizeof c);
  CHECK(static_cast<char>(r3[0]) == 'd');
  CHECK(v == -1.5);
  CHECK(c == 9);
}

TEST_CASE("packed rows: no plan for types whose members differ") {
  const h5::Handle mem = row_type();
  const h5::Handle other = h5::compound_type(sizeof(double), {{"value", 0, H5T_NATIVE_DOUBLE}});
  CHECK_FALSE(h5::PackedRows::plan(mem, other).has_value());
  CHECK_FALSE(h5::PackedRows::plan(H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE).has_value());
}

TEST_CASE("deflated chunks: HDF5's shuffle and deflate filters read back what was written, edge chunk included") {
  const h5::QuietErrors quiet;
  ScratchDir dir("chunks");
  const std::string path = (dir.path() / "t.h5").string();
  const h5::Handle mem = row_type();
  const h5::Handle file_type = packed(mem);
  const std::size_t n = 10, chunk = 4;  // chunks of 4, 4 and an edge chunk of 2
  const std::vector<Row> in = rows(n);
  const auto plan = h5::PackedRows::plan(mem, file_type);
  REQUIRE(plan.has_value());
  std::vector<std::byte> file_rows(n * H5Tget_size(file_type));
  plan->pack(reinterpret_cast<const std::byte*>(in.data()), n, file_rows.data());
  {
    h5::AtomicFile f(path);
    const hsize_t dims[1] = {n}, chunk_dims[1] = {chunk};
    h5::Handle space = h5::make_space(H5Screate_simple(1, dims, nullptr), "space");
    h5::Handle dcpl = h5::make_plist(H5Pcreate(H5P_DATASET_CREATE), "dcpl");
    REQUIRE(H5Pset_chunk(dcpl, 1, chunk_dims) >= 0);
    REQUIRE(H5Pset_shuffle(dcpl) >= 0);
    REQUIRE(H5Pset_deflate(dcpl, 2) >= 0);
    h5::Handle ds{H5Dcreate2(f, "rows", file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose};
    REQUIRE(ds.get() >= 0);
    h5::DeflatedChunks chunks(ds, H5Tget_size(file_type), chunk, 2);
    chunks.write(0, 8, file_rows.data());  // two whole chunks in one call
    chunks.write(8, 2, file_rows.data() + 8 * H5Tget_size(file_type));
    ds.close("closing");
    f.commit();
  }
  h5::Handle f{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  h5::Handle ds{H5Dopen2(f, "rows", H5P_DEFAULT), H5Dclose};
  std::vector<Row> out(n);
  REQUIRE(H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) >= 0);
  for (std::size_t i = 0; i < n; ++i) {
    CHECK(out[i].flag == in[i].flag);
    CHECK(out[i].value == in[i].value);
    CHECK(out[i].count == in[i].count);
  }
  CHECK(out[9].count == 81);  // by hand: 9 * 9
  h5::Handle dcpl = h5::make_plist(H5Dget_create_plist(ds), "dcpl");
  CHECK(H5Pget_nfilters(dcpl) == 2);
}
