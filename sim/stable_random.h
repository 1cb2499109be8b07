#pragma once
// Portable, order-independent random draws: a pure function of (seed, key), so
// a value does not depend on how many draws came before it. Used where
// results must not change with the order in which jobs are visited.
#include <cmath>
#include <cstdint>
#include <numbers>

namespace fastgpu {

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Uniform in (0, 1): 53 random bits, never exactly 0.
inline double stable_uniform(std::uint64_t seed, std::uint64_t key, std::uint64_t stream = 0) {
  const std::uint64_t bits = splitmix64(splitmix64(seed ^ splitmix64(key)) + stream);
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
}

// Standard normal by Box-Muller on two stable uniforms.
inline double stable_normal(std::uint64_t seed, std::uint64_t key) {
  const double u1 = stable_uniform(seed, key, 1), u2 = stable_uniform(seed, key, 2);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace fastgpu
