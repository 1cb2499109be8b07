#include "results_io/deflated_chunks.h"

#include <libdeflate.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "results_io/hdf5_common.h"
#include "sim/error.h"

namespace fastgpu::h5 {

namespace {

// HDF5's shuffle filter: byte k of every row, then byte k + 1 of every row.
void shuffle(const std::byte* in, std::size_t rows, std::size_t row_bytes, std::byte* out) {
  std::size_t k = 0;
  // Eight byte positions per pass: one 8-byte load per row, eight stores.
  for (; k + 8 <= row_bytes; k += 8) {
    const std::byte* from = in + k;
    std::byte* to = out + k * rows;
    for (std::size_t r = 0; r < rows; ++r, from += row_bytes) {
      std::uint64_t word;
      std::memcpy(&word, from, sizeof word);
      for (std::size_t j = 0; j < 8; ++j) to[j * rows + r] = static_cast<std::byte>(word >> (8 * j));
    }
  }
  for (; k < row_bytes; ++k) {
    const std::byte* from = in + k;
    std::byte* to = out + k * rows;
    for (std::size_t r = 0; r < rows; ++r, from += row_bytes) to[r] = *from;
  }
}

}  // namespace

DeflatedChunks::DeflatedChunks(hid_t dataset, std::size_t row_bytes, std::size_t chunk_rows, int deflate_level)
    : dataset_(dataset), row_bytes_(row_bytes), chunk_rows_(chunk_rows) {
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

void DeflatedChunks::write(std::size_t first, std::size_t count, const void* rows) {
  const auto* bytes = static_cast<const std::byte*>(rows);
  for (std::size_t done = 0; done < count; done += chunk_rows_)
    write_chunk(first + done, std::min(chunk_rows_, count - done), bytes + done * row_bytes_);
}

void DeflatedChunks::write_chunk(std::size_t first, std::size_t count, const std::byte* rows) {
  if (first % chunk_rows_ != 0) throw InternalError("DeflatedChunks: a chunk must start at a multiple of its rows");
  const std::byte* whole = rows;
  if (count < chunk_rows_) {  // the edge chunk: padded with zero bytes
    padded_.assign(shuffled_.size(), std::byte{0});
    std::memcpy(padded_.data(), rows, count * row_bytes_);
    whole = padded_.data();
  }
  const std::size_t chunk_bytes = shuffled_.size();
  if (row_bytes_ > 1) {
    shuffle(whole, chunk_rows_, row_bytes_, shuffled_.data());
  } else {
    std::memcpy(shuffled_.data(), whole, chunk_bytes);
  }
  const void* stored = shuffled_.data();
  std::size_t stored_bytes = chunk_bytes;
  if (compressor_) {
    stored_bytes = libdeflate_zlib_compress(compressor_, shuffled_.data(), chunk_bytes, deflated_.data(),
                                            deflated_.size());
    if (stored_bytes == 0) throw InternalError("libdeflate: the compress bound was too small");
    stored = deflated_.data();
  }
  const hsize_t offset[1] = {first};
  // Filter mask 0: every filter of the dataset was applied.
  check_status(H5Dwrite_chunk(dataset_, H5P_DEFAULT, 0, offset, stored_bytes, stored), "writing a chunk");
}

}  // namespace fastgpu::h5
