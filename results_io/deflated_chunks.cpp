#include "results_io/deflated_chunks.h"

#include <libdeflate.h>

#include <new>

#include "results_io/hdf5_common.h"
#include "sim/error.h"

namespace fastgpu::h5 {

std::size_t even_chunk_rows(std::size_t rows, std::size_t most_rows) {
  if (rows == 0 || most_rows == 0) return 1;
  const std::size_t chunks = (rows + most_rows - 1) / most_rows;
  return (rows + chunks - 1) / chunks;
}

DeflatedChunks::DeflatedChunks(hid_t dataset, std::size_t row_bytes, std::size_t chunk_rows, int deflate_level)
    : dataset_(dataset), chunk_rows_(chunk_rows) {
  const std::size_t chunk_bytes = row_bytes * chunk_rows;
  shuffled_.resize(chunk_bytes);
  if (deflate_level > 0) {
    compressor_ = libdeflate_alloc_compressor(deflate_level);
    if (!compressor_) throw std::bad_alloc();
    deflated_.resize(libdeflate_zlib_compress_bound(compressor_, chunk_bytes));
  }
}

DeflatedChunks::~DeflatedChunks() {
  if (compressor_) libdeflate_free_compressor(compressor_);
}

void DeflatedChunks::write(std::size_t first) {
  if (first % chunk_rows_ != 0) throw InternalError("DeflatedChunks: a chunk must start at a multiple of its rows");
  const void* stored = shuffled_.data();
  std::size_t stored_bytes = shuffled_.size();
  if (compressor_) {
    stored_bytes = libdeflate_zlib_compress(compressor_, shuffled_.data(), shuffled_.size(), deflated_.data(),
                                            deflated_.size());
    if (stored_bytes == 0) throw InternalError("libdeflate: the compress bound was too small");
    stored = deflated_.data();
  }
  const hsize_t offset[1] = {first};
  // Filter mask 0: every filter of the dataset was applied.
  check_status(H5Dwrite_chunk(dataset_, H5P_DEFAULT, 0, offset, stored_bytes, stored), "writing a chunk");
}

}  // namespace fastgpu::h5
