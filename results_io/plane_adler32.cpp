#include "results_io/plane_adler32.h"

#include <isa-l/igzip_lib.h>

#include <cstring>

namespace fastgpu::h5 {

namespace {

constexpr std::uint64_t kAdlerModulus = 65521;

// Adler-32 `adler` continued over n bytes of value c. With s1 and s2 its two
// sums, each byte adds c to s1 and the new s1 to s2, so after n bytes
// s1 + n c and s2 + n s1 + c n (n + 1) / 2.
std::uint32_t adler32_of_run(std::uint32_t adler, std::uint64_t n, std::uint64_t c) {
  const std::uint64_t s1 = adler & 0xffff, s2 = adler >> 16;
  const std::uint64_t triangle = n % 2 == 0 ? (n / 2 % kAdlerModulus) * ((n + 1) % kAdlerModulus)
                                            : (n % kAdlerModulus) * ((n + 1) / 2 % kAdlerModulus);
  const std::uint64_t new_s1 = (s1 + n % kAdlerModulus * c) % kAdlerModulus;
  const std::uint64_t new_s2 = (s2 + n % kAdlerModulus * s1 + triangle % kAdlerModulus * c) % kAdlerModulus;
  return static_cast<std::uint32_t>(new_s2 << 16 | new_s1);
}

}  // namespace

std::uint32_t plane_adler32(const std::uint8_t* chunk, std::size_t planes, std::size_t plane_bytes) {
  std::uint32_t adler = 1;
  for (std::size_t p = 0; p < planes; ++p) {
    const std::uint8_t* plane = chunk + p * plane_bytes;
    // Each byte equals the next: the plane is one byte repeated. A plane that
    // is not usually differs within its first bytes, so the test costs little.
    if (plane_bytes > 0 && std::memcmp(plane, plane + 1, plane_bytes - 1) == 0)
      adler = adler32_of_run(adler, plane_bytes, plane[0]);
    else
      adler = isal_adler32(adler, plane, plane_bytes);
  }
  return adler;
}

}  // namespace fastgpu::h5
