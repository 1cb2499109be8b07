#include "workloads/json_element_end.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fastgpu::json {

namespace {

// One byte of the scan; returns true when the container is closed.
// `skip` is set when the next byte is escaped.
struct Scan {
  std::size_t depth = 0;
  bool in_string = false;
  bool unusual = false;

  bool step(char c, bool& skip) {
    if (in_string) {
      if (c == '"') in_string = false;
      else if (c == '\\') skip = true;
      else if (static_cast<unsigned char>(c) < 0x20) unusual = true;  // simdjson refuses these up front
      return unusual;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') ++depth;
    else if ((c == '}' || c == ']') && --depth == 0) return true;
    return false;
  }
};

}  // namespace

std::size_t container_end(const char* data, std::size_t size, std::size_t start) {
  if (start >= size || (data[start] != '{' && data[start] != '[')) return size;
  Scan scan;
#if defined(__SSE2__)
  // 16 bytes at a time: only quotes, backslashes, brackets and control
  // characters need a look (ORing 0x20 maps '[' to '{' and ']' to '}').
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  const __m128i open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}');
  const __m128i case_bit = _mm_set1_epi8(0x20), control_max = _mm_set1_epi8(0x1F);
  std::size_t next = start;
  while (next < size) {
    const std::size_t block = next;
    next = block + 16;
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + block));
    const __m128i folded = _mm_or_si128(bytes, case_bit);
    const __m128i interesting =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                     _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(folded, open), _mm_cmpeq_epi8(folded, close)),
                                  _mm_cmpeq_epi8(_mm_max_epu8(bytes, control_max), control_max)));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(interesting));
    while (mask) {
      const std::size_t at = block + static_cast<std::size_t>(__builtin_ctz(mask));
      mask &= mask - 1;
      if (at >= size) return size;
      bool skip = false;
      if (scan.step(data[at], skip)) return scan.unusual ? size : at + 1;
      if (skip) {
        if (at + 1 >= size || static_cast<unsigned char>(data[at + 1]) < 0x20) return size;
        const std::size_t escaped = at + 1 - block;
        if (escaped < 16) mask &= ~(1u << escaped);
        else next = at + 2;
      }
    }
  }
  return size;
#else
  for (std::size_t at = start; at < size; ++at) {
    bool skip = false;
    if (scan.step(data[at], skip)) return scan.unusual ? size : at + 1;
    if (skip && (++at >= size || static_cast<unsigned char>(data[at]) < 0x20)) return size;
  }
  return size;
#endif
}

}  // namespace fastgpu::json
