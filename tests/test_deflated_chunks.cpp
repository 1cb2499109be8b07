// The results writer's own chunk path (results_io/deflated_chunks.*,
// results_io/shuffled_columns.*), checked against HDF5's: what it writes is
// read back through HDF5's shuffle and deflate filters, and its chunks equal
// H5Tconvert's packing followed by the shuffle done by hand.
#include <doctest/doctest.h>
#include <hdf5.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "results_io/deflated_chunks.h"
#include "results_io/hdf5_common.h"
#include "results_io/hdf5_file.h"
#include "results_io/shuffled_columns.h"
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

// A 1-D dataset of `rows` rows in chunks of `chunk` rows, with the shuffle
// filter and the deflate filter at `level`, as the results writer makes them.
h5::Handle filtered_dataset(hid_t file, const char* name, hid_t type, std::size_t rows, std::size_t chunk, int level) {
  const hsize_t dims[1] = {rows}, chunk_dims[1] = {chunk};
  h5::Handle space = h5::make_space(H5Screate_simple(1, dims, nullptr), "space");
  h5::Handle dcpl = h5::make_plist(H5Pcreate(H5P_DATASET_CREATE), "dcpl");
  REQUIRE(H5Pset_chunk(dcpl, 1, chunk_dims) >= 0);
  REQUIRE(H5Pset_shuffle(dcpl) >= 0);
  REQUIRE(H5Pset_deflate(dcpl, static_cast<unsigned>(level)) >= 0);
  h5::Handle ds{H5Dcreate2(file, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose};
  REQUIRE(ds.get() >= 0);
  return ds;
}

}  // namespace

// HDF5's shuffle filter by hand: byte k of every row, then byte k + 1.
std::vector<std::byte> shuffled_by_hand(const std::vector<std::byte>& packed_rows, std::size_t row_bytes,
                                        std::size_t chunk_rows) {
  std::vector<std::byte> out(row_bytes * chunk_rows, std::byte{0});
  const std::size_t rows = packed_rows.size() / row_bytes;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t k = 0; k < row_bytes; ++k) out[k * chunk_rows + r] = packed_rows[r * row_bytes + k];
  return out;
}

TEST_CASE("shuffled columns: a padded compound's chunk is H5Tconvert's packed rows, shuffled") {
  const h5::QuietErrors quiet;
  const h5::Handle mem = row_type();
  const h5::Handle file = packed(mem);
  REQUIRE(H5Tget_size(file) == 1 + 8 + 4);  // no padding
  const hid_t sources[1] = {mem};
  const auto plan = h5::ShuffledColumns::plan(file, sources);
  REQUIRE(plan.has_value());
  CHECK(plan->row_bytes() == 13);
  // 37 rows in a chunk of 40: two blocks of sixteen rows, five more, three
  // rows of zeros (an edge chunk).
  const std::size_t n = 37, chunk = 40;
  const std::vector<Row> in = rows(n);
  std::vector<std::byte> ours(13 * chunk, std::byte{0x5a});
  const void* at[1] = {in.data()};
  plan->shuffle(at, n, chunk, ours.data());
  std::vector<std::byte> converted(n * sizeof(Row)), background(n * 13);
  std::memcpy(converted.data(), in.data(), converted.size());
  REQUIRE(H5Tconvert(mem, file, n, converted.data(), background.data(), H5P_DEFAULT) >= 0);
  converted.resize(n * 13);
  CHECK(ours == shuffled_by_hand(converted, 13, chunk));
  // By hand: row 3 is 'd', 1.5 - 3 = -1.5, 9; its bytes lie one plane apart.
  CHECK(static_cast<char>(ours[3]) == 'd');
  std::byte value[8], count[4];
  for (std::size_t b = 0; b < 8; ++b) value[b] = ours[(1 + b) * chunk + 3];
  for (std::size_t b = 0; b < 4; ++b) count[b] = ours[(9 + b) * chunk + 3];
  double v = 0;
  std::int32_t c = 0;
  std::memcpy(&v, value, sizeof v);
  std::memcpy(&c, count, sizeof c);
  CHECK(v == -1.5);
  CHECK(c == 9);
  CHECK(ours[12 * chunk + 39] == std::byte{0});  // the edge chunk's padding
}

TEST_CASE("shuffled columns: a file row taken from two sources") {
  const h5::QuietErrors quiet;
  struct Extra {
    double twice;
  };
  const std::size_t n = 21;
  const std::vector<Row> in = rows(n);
  std::vector<Extra> extra(n);
  for (std::size_t i = 0; i < n; ++i) extra[i].twice = 2.0 * in[i].value;
  const h5::Handle mem = row_type();
  const h5::Handle extra_type = h5::compound_type(sizeof(Extra), {{"twice", 0, H5T_NATIVE_DOUBLE}});
  // The file row: value, twice, count (count after a member of the other source).
  const h5::Handle file = h5::compound_type(20, {{"value", 0, H5T_NATIVE_DOUBLE},
                                                 {"twice", 8, H5T_NATIVE_DOUBLE},
                                                 {"count", 16, H5T_NATIVE_INT32}});
  const hid_t sources[2] = {mem, extra_type};
  const auto plan = h5::ShuffledColumns::plan(file, sources);
  REQUIRE(plan.has_value());
  std::vector<std::byte> ours(20 * n);
  const void* at[2] = {in.data(), extra.data()};
  plan->shuffle(at, n, n, ours.data());
  std::vector<std::byte> packed_rows(20 * n);
  for (std::size_t i = 0; i < n; ++i) {
    std::memcpy(&packed_rows[i * 20], &in[i].value, 8);
    std::memcpy(&packed_rows[i * 20 + 8], &extra[i].twice, 8);
    std::memcpy(&packed_rows[i * 20 + 16], &in[i].count, 4);
  }
  CHECK(ours == shuffled_by_hand(packed_rows, 20, n));
}

TEST_CASE("shuffled columns: a table of 4-byte values (job_gpus), edge chunk included") {
  const h5::QuietErrors quiet;
  // 16-row blocks and the rows after the last one, for several counts.
  for (const std::size_t n : {std::size_t{1}, std::size_t{15}, std::size_t{16}, std::size_t{47}, std::size_t{64}}) {
    CAPTURE(n);
    const std::size_t chunk = 64;
    std::vector<std::uint32_t> in(n);
    for (std::size_t i = 0; i < n; ++i) in[i] = static_cast<std::uint32_t>(0x01020304u * (i + 1) + (i << 24));
    const hid_t sources[1] = {H5T_NATIVE_UINT32};
    const auto plan = h5::ShuffledColumns::plan(H5T_NATIVE_UINT32, sources);
    REQUIRE(plan.has_value());
    CHECK(plan->row_bytes() == 4);
    std::vector<std::byte> ours(4 * chunk, std::byte{0x5a});
    const void* at[1] = {in.data()};
    plan->shuffle(at, n, chunk, ours.data());
    std::vector<std::byte> packed_rows(4 * n);
    std::memcpy(packed_rows.data(), in.data(), packed_rows.size());
    CHECK(ours == shuffled_by_hand(packed_rows, 4, chunk));
    // By hand: byte k of value i lies at plane k, row i.
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < 4; ++k)
        CHECK(ours[k * chunk + i] == static_cast<std::byte>((in[i] >> (8 * k)) & 0xff));
  }
}

TEST_CASE("shuffled columns: no plan when a member is missing or differs") {
  const h5::QuietErrors quiet;
  const h5::Handle mem = row_type();
  const h5::Handle other = h5::compound_type(sizeof(float), {{"value", 0, H5T_NATIVE_FLOAT}});
  const hid_t sources[1] = {mem};
  CHECK_FALSE(h5::ShuffledColumns::plan(other, sources).has_value());
  const h5::Handle missing = h5::compound_type(sizeof(double), {{"absent", 0, H5T_NATIVE_DOUBLE}});
  CHECK_FALSE(h5::ShuffledColumns::plan(missing, sources).has_value());
  const hid_t doubles[1] = {H5T_NATIVE_DOUBLE};
  CHECK(h5::ShuffledColumns::plan(H5T_NATIVE_DOUBLE, doubles).has_value());
  CHECK_FALSE(h5::ShuffledColumns::plan(H5T_NATIVE_INT32, doubles).has_value());
}

TEST_CASE("deflated chunks: HDF5's shuffle and deflate filters read back what was written, edge chunk included") {
  const h5::QuietErrors quiet;
  ScratchDir dir("chunks");
  const std::string path = (dir.path() / "t.h5").string();
  const h5::Handle mem = row_type();
  const h5::Handle file_type = packed(mem);
  const std::size_t n = 10, chunk = 4;  // chunks of 4, 4 and an edge chunk of 2
  const std::vector<Row> in = rows(n);
  const hid_t sources[1] = {mem};
  const auto plan = h5::ShuffledColumns::plan(file_type, sources);
  REQUIRE(plan.has_value());
  {
    h5::AtomicFile f(path);
    h5::Handle ds = filtered_dataset(f, "rows", file_type, n, chunk, 2);
    h5::DeflatedChunks chunks(ds, H5Tget_size(file_type), chunk, 2);
    for (std::size_t first = 0; first < n; first += chunk) {
      const void* at[1] = {&in[first]};
      plan->shuffle(at, std::min(chunk, n - first), chunk, chunks.chunk());
      chunks.write(first);
    }
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

TEST_CASE("deflated chunks: incompressible chunks at every level read back whole") {
  // Random bytes do not deflate: igzip then stores them, and the output
  // buffer must hold the stored blocks (several, a chunk of 200,000 bytes
  // being over three of 64 KiB) inside the zlib header and trailer.
  const h5::QuietErrors quiet;
  ScratchDir dir("chunks");
  const std::size_t n = 400000, chunk = 200000;
  std::vector<std::uint8_t> in(n);
  std::mt19937_64 random(7);
  for (auto& b : in) b = static_cast<std::uint8_t>(random());
  for (int level = 1; level <= 3; ++level) {
    INFO("level " << level);
    const std::string path = (dir.path() / ("random-" + std::to_string(level) + ".h5")).string();
    {
      h5::AtomicFile f(path);
      h5::Handle ds = filtered_dataset(f, "bytes", H5T_STD_U8LE, n, chunk, level);
      h5::DeflatedChunks chunks(ds, 1, chunk, level);
      for (std::size_t first = 0; first < n; first += chunk) {
        std::memcpy(chunks.chunk(), &in[first], chunk);  // one-byte rows: the shuffle is the identity
        chunks.write(first);
      }
      ds.close("closing");
      f.commit();
    }
    h5::Handle f{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
    h5::Handle ds{H5Dopen2(f, "bytes", H5P_DEFAULT), H5Dclose};
    std::vector<std::uint8_t> out(n);
    REQUIRE(H5Dread(ds, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) >= 0);
    CHECK(out == in);
  }
}

TEST_CASE("even chunk rows: as few chunks as the limit allows, padding under one row per chunk") {
  // By hand: 100,000 rows at most 1,638 a chunk need ceil(100000 / 1638) = 62
  // chunks, and ceil(100000 / 62) = 1,613 rows each fill them with 6 rows of
  // padding (1,638 rows a chunk would leave 1,556).
  CHECK(h5::even_chunk_rows(100000, 1638) == 1613);
  CHECK(h5::even_chunk_rows(9, 4) == 3);    // three chunks of 3: no padding
  CHECK(h5::even_chunk_rows(10, 4) == 4);   // three chunks: 4, 4 and 2
  CHECK(h5::even_chunk_rows(8, 4) == 4);    // exact
  CHECK(h5::even_chunk_rows(3, 4) == 3);    // one chunk, as small as the table
  CHECK(h5::even_chunk_rows(0, 4) == 1);    // an empty table still has a chunk shape
  CHECK(h5::even_chunk_rows(5, 0) == 1);
  // Brute force: the fewest chunks, and no smaller chunk that fits in as few.
  for (std::size_t rows = 1; rows <= 300; ++rows)
    for (std::size_t most = 1; most <= 40; ++most) {
      const std::size_t got = h5::even_chunk_rows(rows, most);
      const std::size_t fewest = (rows + most - 1) / most;
      REQUIRE(got <= most);
      REQUIRE((rows + got - 1) / got == fewest);
      REQUIRE(fewest * got - rows < fewest);  // under one row of padding per chunk
      REQUIRE((got == 1 || (rows + got - 2) / (got - 1) > fewest));
    }
}
