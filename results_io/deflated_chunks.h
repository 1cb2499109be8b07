#pragma once
// Writes the chunks of a 1-D chunked dataset directly (H5Dwrite_chunk), each
// one already in the shuffle filter's layout (ShuffledColumns) and deflated
// here exactly as HDF5's deflate filter stores it: any HDF5 reader reads it
// back through those filters. This skips HDF5's chunk cache and filter
// pipeline, and deflates with ISA-L's igzip, which writes the same deflate
// stream format as zlib's deflate about four times as fast as libdeflate and
// ten times as fast as zlib on these tables (docs/performance.md, "HDF5
// output"). The zlib wrapper's checksum is taken plane by plane
// (plane_adler32.h), most planes in closed form.
#include <cstddef>
#include <cstdint>
#include <memory>

#include <hdf5.h>

namespace fastgpu::h5 {

// Rows per chunk of a table of `rows` rows whose chunks hold at most
// `most_rows`: as few chunks as `most_rows` allows, as even as they can be.
// Every chunk is stored and deflated whole, so the edge chunk's padding rows
// cost as much as data rows; evened out, the padding is under one row per chunk.
std::size_t even_chunk_rows(std::size_t rows, std::size_t most_rows);

class DeflatedChunks {
 public:
  // `dataset` is chunked in `chunk_rows` rows of `row_bytes` bytes, with the
  // shuffle filter and, when `deflate_level` > 0, the deflate filter;
  // `deflate_level` is igzip's level (1..3).
  DeflatedChunks(hid_t dataset, std::size_t row_bytes, std::size_t chunk_rows, int deflate_level);

  // The chunk to fill: chunk_rows rows of row_bytes bytes, shuffled (an edge
  // chunk is stored whole, its missing rows zero, as HDF5 stores it).
  std::byte* chunk() { return shuffled_.get(); }
  // Deflates the filled chunk and writes it as the chunk of rows from
  // `first`, a multiple of chunk_rows.
  void write(std::size_t first);

 private:
  hid_t dataset_;
  std::size_t row_bytes_, chunk_rows_;
  int level_;  // 0: the chunks are stored shuffled only
  // Left uninitialised: igzip sets up what it reads of its level buffer, the
  // shuffle writes every byte of a chunk, padding rows included, and a stream
  // is read back only as far as igzip wrote it. Zeroing them (the level
  // buffer alone is 276 KiB a table) was 0.6 % of a replay's instructions.
  std::size_t level_bytes_ = 0, shuffled_bytes_ = 0, deflated_bytes_ = 0;
  std::unique_ptr<std::uint8_t[]> level_buffer_;  // igzip's hash tables for the level, reused for every chunk
  std::unique_ptr<std::byte[]> shuffled_, deflated_;
};

}  // namespace fastgpu::h5
