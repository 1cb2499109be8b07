#pragma once
// Writes the chunks of a 1-D chunked dataset directly (H5Dwrite_chunk), each
// one shuffled and deflated here exactly as HDF5's shuffle and deflate filters
// store it: any HDF5 reader reads it back through those filters. This skips
// HDF5's chunk cache and filter pipeline, and deflates with libdeflate, which
// writes the same zlib format as zlib's deflate in a third of the time.
#include <cstddef>
#include <vector>

#include <hdf5.h>

struct libdeflate_compressor;

namespace fastgpu::h5 {

class DeflatedChunks {
 public:
  // `dataset` is chunked in `chunk_rows` rows of `row_bytes` bytes, with the
  // shuffle filter and, when `deflate_level` > 0, the deflate filter.
  DeflatedChunks(hid_t dataset, std::size_t row_bytes, std::size_t chunk_rows, int deflate_level);
  ~DeflatedChunks();
  DeflatedChunks(const DeflatedChunks&) = delete;
  DeflatedChunks& operator=(const DeflatedChunks&) = delete;

  // Writes rows [first, first + count) in the file's layout. `first` is a
  // multiple of chunk_rows; `count` is too, except for the dataset's last
  // rows (the last chunk is stored whole, padded with zero bytes, as HDF5
  // stores an edge chunk).
  void write(std::size_t first, std::size_t count, const void* rows);

 private:
  void write_chunk(std::size_t first, std::size_t count, const std::byte* rows);

  hid_t dataset_;
  std::size_t row_bytes_, chunk_rows_;
  libdeflate_compressor* compressor_ = nullptr;
  std::vector<std::byte> padded_, shuffled_, deflated_;  // the edge chunk; a chunk shuffled; deflated
};

}  // namespace fastgpu::h5
