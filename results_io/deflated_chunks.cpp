#include "results_io/deflated_chunks.h"

#include <isa-l/igzip_lib.h>

#include <cstring>
#include <string>

#include "results_io/hdf5_common.h"
#include "results_io/plane_adler32.h"
#include "sim/error.h"

namespace fastgpu::h5 {

namespace {

std::size_t level_buffer_bytes(int level) {
  switch (level) {
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    case 3: return ISAL_DEF_LVL3_DEFAULT;
    default: throw InternalError("DeflatedChunks: igzip has levels 1..3");
  }
}

// Room for the stream of `bytes` bytes at worst: when the compressed stream
// would not fit, igzip stores the data in stored blocks of at most 64 KiB,
// five bytes of header each, inside the zlib header and trailer.
std::size_t deflate_bound(std::size_t bytes) { return bytes + 5 * (bytes / 65535 + 1) + 64; }

// The zlib header igzip writes: deflate with a 32 KiB window, no dictionary,
// the check bits that make the pair a multiple of 31.
constexpr std::uint8_t kZlibHeader[2] = {0x78, 0x01};

}  // namespace

std::size_t even_chunk_rows(std::size_t rows, std::size_t most_rows) {
  if (rows == 0 || most_rows == 0) return 1;
  const std::size_t chunks = (rows + most_rows - 1) / most_rows;
  return (rows + chunks - 1) / chunks;
}

DeflatedChunks::DeflatedChunks(hid_t dataset, std::size_t row_bytes, std::size_t chunk_rows, int deflate_level)
    : dataset_(dataset), row_bytes_(row_bytes), chunk_rows_(chunk_rows), level_(deflate_level) {
  shuffled_bytes_ = row_bytes * chunk_rows;
  shuffled_ = std::make_unique_for_overwrite<std::byte[]>(shuffled_bytes_);
  if (level_ > 0) {
    level_bytes_ = level_buffer_bytes(level_);
    level_buffer_ = std::make_unique_for_overwrite<std::uint8_t[]>(level_bytes_);
    deflated_bytes_ = deflate_bound(shuffled_bytes_);
    deflated_ = std::make_unique_for_overwrite<std::byte[]>(deflated_bytes_);
  }
}

void DeflatedChunks::write(std::size_t first) {
  if (first % chunk_rows_ != 0) throw InternalError("DeflatedChunks: a chunk must start at a multiple of its rows");
  const void* stored = shuffled_.get();
  std::size_t stored_bytes = shuffled_bytes_;
  if (level_ > 0) {
    isal_zstream stream;
    isal_deflate_stateless_init(&stream);
    stream.level = static_cast<std::uint32_t>(level_);
    stream.level_buf = level_buffer_.get();
    stream.level_buf_size = static_cast<std::uint32_t>(level_bytes_);
    // HDF5's deflate filter stores zlib streams: the header, the raw deflate
    // stream igzip writes, and the Adler-32 of the chunk, taken plane by plane
    // here (plane_adler32.h) rather than over every byte by igzip.
    auto* out = reinterpret_cast<std::uint8_t*>(deflated_.get());
    std::memcpy(out, kZlibHeader, sizeof kZlibHeader);
    stream.gzip_flag = IGZIP_DEFLATE;
    stream.end_of_stream = 1;
    stream.flush = NO_FLUSH;
    stream.next_in = reinterpret_cast<std::uint8_t*>(shuffled_.get());
    stream.avail_in = static_cast<std::uint32_t>(shuffled_bytes_);
    stream.next_out = out + sizeof kZlibHeader;
    stream.avail_out = static_cast<std::uint32_t>(deflated_bytes_ - sizeof kZlibHeader - 4);
    const int status = isal_deflate_stateless(&stream);
    if (status != COMP_OK) throw InternalError("igzip: deflating a chunk failed with status " + std::to_string(status));
    const std::uint32_t adler =
        plane_adler32(reinterpret_cast<const std::uint8_t*>(shuffled_.get()), row_bytes_, chunk_rows_);
    std::uint8_t* trailer = out + sizeof kZlibHeader + stream.total_out;
    for (int k = 0; k < 4; ++k) trailer[k] = static_cast<std::uint8_t>(adler >> (24 - 8 * k));  // big-endian
    stored_bytes = sizeof kZlibHeader + stream.total_out + 4;
    stored = deflated_.get();
  }
  const hsize_t offset[1] = {first};
  // Filter mask 0: every filter of the dataset was applied.
  check_status(H5Dwrite_chunk(dataset_, H5P_DEFAULT, 0, offset, stored_bytes, stored), "writing a chunk");
}

}  // namespace fastgpu::h5
