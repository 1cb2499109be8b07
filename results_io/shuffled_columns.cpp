#include "results_io/shuffled_columns.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "results_io/hdf5_common.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fastgpu::h5 {

namespace {

bool equal_types(hid_t a, hid_t b) { return a >= 0 && b >= 0 && H5Tequal(a, b) > 0; }

// Eight bytes of each row, at `from` in rows of `stride` bytes, to eight
// planes of `plane` bytes: byte j of row r goes to out[j * plane + r].
void scatter8(const std::byte* from, std::size_t stride, std::size_t count, std::size_t plane, std::byte* out) {
  std::size_t r = 0;
#if defined(__SSE2__)
  // Sixteen rows at a time: a transpose of 16 x 8 bytes by three rounds of
  // byte, word and doubleword interleaving, then eight 16-byte stores.
  for (; r + 16 <= count; r += 16) {
    __m128i x[8];
    for (int k = 0; k < 8; ++k) {
      const __m128i lo = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(from + (r + 2 * k) * stride));
      const __m128i hi = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(from + (r + 2 * k + 1) * stride));
      x[k] = _mm_unpacklo_epi8(lo, hi);  // rows 2k, 2k+1 byte-interleaved: b0 b0 b1 b1 ...
    }
    __m128i y[8];
    for (int k = 0; k < 4; ++k) {
      y[2 * k] = _mm_unpacklo_epi16(x[2 * k], x[2 * k + 1]);      // bytes 0-3 of rows 4k..4k+3
      y[2 * k + 1] = _mm_unpackhi_epi16(x[2 * k], x[2 * k + 1]);  // bytes 4-7
    }
    __m128i z[8];
    for (int k = 0; k < 2; ++k) {
      for (int h = 0; h < 2; ++h) {
        // rows 8k..8k+7, bytes 4h..4h+3: two registers of (byte, 8 rows) pairs
        z[4 * k + 2 * h] = _mm_unpacklo_epi32(y[4 * k + h], y[4 * k + 2 + h]);
        z[4 * k + 2 * h + 1] = _mm_unpackhi_epi32(y[4 * k + h], y[4 * k + 2 + h]);
      }
    }
    // z[4k + m]: rows 8k..8k+7 of bytes 2m and 2m+1 (8 bytes each).
    for (int m = 0; m < 4; ++m) {
      const __m128i even = _mm_unpacklo_epi64(z[m], z[4 + m]);  // byte 2m of the 16 rows
      const __m128i odd = _mm_unpackhi_epi64(z[m], z[4 + m]);   // byte 2m + 1
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + (2 * m) * plane + r), even);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + (2 * m + 1) * plane + r), odd);
    }
  }
#endif
  for (; r < count; ++r) {
    std::uint64_t word;
    std::memcpy(&word, from + r * stride, sizeof word);
    for (std::size_t j = 0; j < 8; ++j) out[j * plane + r] = static_cast<std::byte>(word >> (8 * j));
  }
}

// Four bytes of each row, as scatter8 does eight: the tail of a run whose
// length is not a multiple of eight, and whole 4-byte tables (job_gpus).
void scatter4(const std::byte* from, std::size_t stride, std::size_t count, std::size_t plane, std::byte* out) {
  std::size_t r = 0;
#if defined(__SSE2__)
  // Sixteen rows at a time: a transpose of 16 x 4 bytes by byte, word and
  // doubleword interleaving, then four 16-byte stores.
  for (; r + 16 <= count; r += 16) {
    __m128i x[8];
    for (int k = 0; k < 8; ++k) {
      std::int32_t lo = 0, hi = 0;
      std::memcpy(&lo, from + (r + 2 * k) * stride, sizeof lo);
      std::memcpy(&hi, from + (r + 2 * k + 1) * stride, sizeof hi);
      x[k] = _mm_unpacklo_epi8(_mm_cvtsi32_si128(lo), _mm_cvtsi32_si128(hi));  // rows 2k, 2k+1: b0 b0 b1 b1 ...
    }
    __m128i y[4];
    for (int k = 0; k < 4; ++k) y[k] = _mm_unpacklo_epi16(x[2 * k], x[2 * k + 1]);  // rows 4k..4k+3, byte by byte
    // Bytes 0 and 1 (low) and 2 and 3 (high) of rows 0..7 and of rows 8..15.
    const __m128i low_first = _mm_unpacklo_epi32(y[0], y[1]), high_first = _mm_unpackhi_epi32(y[0], y[1]);
    const __m128i low_second = _mm_unpacklo_epi32(y[2], y[3]), high_second = _mm_unpackhi_epi32(y[2], y[3]);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + r), _mm_unpacklo_epi64(low_first, low_second));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + plane + r), _mm_unpackhi_epi64(low_first, low_second));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * plane + r), _mm_unpacklo_epi64(high_first, high_second));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 3 * plane + r), _mm_unpackhi_epi64(high_first, high_second));
  }
#endif
  for (; r < count; ++r) {
    std::uint32_t word;
    std::memcpy(&word, from + r * stride, sizeof word);
    for (std::size_t j = 0; j < 4; ++j) out[j * plane + r] = static_cast<std::byte>(word >> (8 * j));
  }
}

}  // namespace

std::optional<ShuffledColumns> ShuffledColumns::plan(hid_t file_type, std::span<const hid_t> sources) {
  ShuffledColumns p;
  p.file_bytes_ = H5Tget_size(file_type);
  for (hid_t s : sources) p.strides_.push_back(H5Tget_size(s));
  if (H5Tget_class(file_type) != H5T_COMPOUND) {
    if (sources.size() != 1 || !equal_types(file_type, sources[0])) return std::nullopt;
    p.runs_.push_back({0, 0, 0, p.file_bytes_});
    return p;
  }
  const int n = H5Tget_nmembers(file_type);
  if (n <= 0) return std::nullopt;
  for (unsigned k = 0; k < static_cast<unsigned>(n); ++k) {
    const std::string name = member_name(file_type, k);
    const hid_t file_member = H5Tget_member_type(file_type, k);
    bool found = false;
    for (std::size_t s = 0; s < sources.size() && !found; ++s) {
      if (H5Tget_class(sources[s]) != H5T_COMPOUND) continue;
      const int m = H5Tget_member_index(sources[s], name.c_str());
      if (m < 0) continue;
      const hid_t mem_member = H5Tget_member_type(sources[s], static_cast<unsigned>(m));
      if (equal_types(file_member, mem_member)) {
        p.runs_.push_back({s, H5Tget_member_offset(sources[s], static_cast<unsigned>(m)),
                           H5Tget_member_offset(file_type, k), H5Tget_size(file_member)});
        found = true;
      }
      if (mem_member >= 0) H5Tclose(mem_member);
    }
    if (file_member >= 0) H5Tclose(file_member);
    if (!found) return std::nullopt;
  }
  // Adjacent in both layouts: one run, read eight bytes at a time.
  std::sort(p.runs_.begin(), p.runs_.end(), [](const Run& a, const Run& b) { return a.to < b.to; });
  std::vector<Run> merged;
  for (const Run& r : p.runs_) {
    const bool adjacent = !merged.empty() && merged.back().source == r.source &&
                          merged.back().to + merged.back().bytes == r.to &&
                          merged.back().from + merged.back().bytes == r.from;
    if (adjacent)
      merged.back().bytes += r.bytes;
    else
      merged.push_back(r);
  }
  p.runs_ = std::move(merged);
  return p;
}

void ShuffledColumns::shuffle(std::span<const void* const> rows, std::size_t count, std::size_t chunk_rows,
                              std::byte* out) const {
  if (count < chunk_rows)
    for (std::size_t k = 0; k < file_bytes_; ++k) std::memset(out + k * chunk_rows + count, 0, chunk_rows - count);
  for (const Run& run : runs_) {
    const std::size_t stride = strides_[run.source];
    const std::byte* from = static_cast<const std::byte*>(rows[run.source]) + run.from;
    std::byte* to = out + run.to * chunk_rows;
    std::size_t b = 0;
    for (; b + 8 <= run.bytes; b += 8)
      scatter8(from + b, stride, count, chunk_rows, to + b * chunk_rows);
    if (b + 4 <= run.bytes) {
      scatter4(from + b, stride, count, chunk_rows, to + b * chunk_rows);
      b += 4;
    }
    for (; b < run.bytes; ++b) {
      const std::byte* f = from + b;
      std::byte* t = to + b * chunk_rows;
      for (std::size_t r = 0; r < count; ++r) t[r] = f[r * stride];
    }
  }
}

}  // namespace fastgpu::h5
