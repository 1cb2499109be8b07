#pragma once
// Counter-based random draws: every value is a pure function of (seed, key or
// counter), so it does not depend on how many draws came before it or on the
// order in which jobs, individuals or threads are visited. The one wrapper of
// the project's random numbers: the engine's estimate noise, the synthetic
// workload generator and the GA (CPU and CUDA backends) all draw from here.
// Standard library and Random123 only, so the GA core includes it and still
// builds standalone (bench/ga) without the rest of sim/.
#include <cmath>
#include <cstdint>
#include <numbers>

#include <Random123/philox.h>

// Marks a function callable from host and CUDA device code.
#ifndef FASTGPU_HD
#if defined(__CUDACC__)
#define FASTGPU_HD __host__ __device__
#else
#define FASTGPU_HD
#endif
#endif

namespace fastgpu {

// --- splitmix64: one 64-bit hash per draw ----------------------------------------

FASTGPU_HD inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Uniform in (0, 1): 53 random bits, never exactly 0.
FASTGPU_HD inline double stable_uniform(std::uint64_t seed, std::uint64_t key, std::uint64_t stream = 0) {
  const std::uint64_t bits = splitmix64(splitmix64(seed ^ splitmix64(key)) + stream);
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
}

// Standard normal by Box-Muller on two stable uniforms.
inline double stable_normal(std::uint64_t seed, std::uint64_t key) {
  const double u1 = stable_uniform(seed, key, 1), u2 = stable_uniform(seed, key, 2);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// --- Philox4x32-10: four 32-bit words per (key, 4-word counter) ------------------

struct PhiloxKey {
  std::uint32_t k0 = 0, k1 = 0;
};

// The key of a 64-bit seed: its low and high words.
FASTGPU_HD inline PhiloxKey philox_key(std::uint64_t seed) {
  return PhiloxKey{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
}

using PhiloxBlock = philox4x32_ctr_t;  // .v[0..3]: four independent uniform words

FASTGPU_HD inline PhiloxBlock philox_block(PhiloxKey key, std::uint32_t c0, std::uint32_t c1, std::uint32_t c2,
                                           std::uint32_t c3) {
  const philox4x32_ctr_t c = {{c0, c1, c2, c3}};
  const philox4x32_key_t k = {{key.k0, key.k1}};
  return philox4x32(c, k);
}

// Uniform in [0, 1) from the top 53 bits of the 64-bit word (hi, lo).
FASTGPU_HD inline double uniform53(std::uint32_t hi, std::uint32_t lo) {
  return static_cast<double>(((static_cast<std::uint64_t>(hi) << 32) | lo) >> 11) * 0x1.0p-53;
}

}  // namespace fastgpu
