// The chunk checksum of the results writer (results_io/plane_adler32.*),
// checked against Adler-32 computed byte by byte from its definition: s1 is 1
// plus the bytes, s2 the sum of the successive s1, both modulo 65521.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include "results_io/plane_adler32.h"

using fastgpu::h5::plane_adler32;

namespace {

std::uint32_t adler32_by_definition(const std::uint8_t* data, std::size_t n) {
  std::uint64_t s1 = 1, s2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    s1 = (s1 + data[i]) % 65521;
    s2 = (s2 + s1) % 65521;
  }
  return static_cast<std::uint32_t>(s2 << 16 | s1);
}

}  // namespace

TEST_CASE("plane adler32: a published value, one plane and one byte a plane") {
  const std::string_view text = "Wikipedia";
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  CHECK(plane_adler32(bytes, 1, text.size()) == 0x11E60398u);
  CHECK(plane_adler32(bytes, text.size(), 1) == 0x11E60398u);
  CHECK(plane_adler32(bytes, 0, 7) == 1u);  // nothing: the initial value
}

TEST_CASE("plane adler32: repeated-byte planes in closed form equal the byte-by-byte sums") {
  std::mt19937 rng(7);
  // Plane lengths around the modulus and the run lengths where n (n + 1) / 2
  // wraps it; byte values at both ends.
  for (const std::size_t plane_bytes : {std::size_t{2}, std::size_t{1613}, std::size_t{65520}, std::size_t{65521},
                                        std::size_t{65522}, std::size_t{200003}}) {
    for (const int planes : {1, 3, 8}) {
      std::vector<std::uint8_t> chunk(plane_bytes * static_cast<std::size_t>(planes));
      for (int p = 0; p < planes; ++p) {
        std::uint8_t* plane = chunk.data() + static_cast<std::size_t>(p) * plane_bytes;
        switch (p % 4) {
          case 0: std::fill(plane, plane + plane_bytes, std::uint8_t{255}); break;
          case 1:  // varied: igzip's path
            for (std::size_t i = 0; i < plane_bytes; ++i) plane[i] = static_cast<std::uint8_t>(rng());
            break;
          case 2: std::fill(plane, plane + plane_bytes, std::uint8_t{0}); break;
          default:  // repeated but for the last byte: not a run
            std::fill(plane, plane + plane_bytes, std::uint8_t{17});
            plane[plane_bytes - 1] = 18;
        }
      }
      CAPTURE(plane_bytes);
      CAPTURE(planes);
      CHECK(plane_adler32(chunk.data(), static_cast<std::size_t>(planes), plane_bytes) ==
            adler32_by_definition(chunk.data(), chunk.size()));
    }
  }
}
