#pragma once
// The Adler-32 that closes a zlib stream, over a chunk in the shuffle filter's
// layout: `planes` byte planes of `plane_bytes` bytes each. A plane that is
// one byte repeated (most planes of a job table: zero columns, flags, the high
// bytes of times and counts) is added in closed form; the others by igzip's
// vector code. The result equals the Adler-32 of the whole chunk.
#include <cstddef>
#include <cstdint>

namespace fastgpu::h5 {

std::uint32_t plane_adler32(const std::uint8_t* chunk, std::size_t planes, std::size_t plane_bytes);

}  // namespace fastgpu::h5
