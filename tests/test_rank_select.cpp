// Radix selection of order statistics, checked against a sort of the same
// values: the value at each rank, bit for bit (zeros by value: -0 and +0 are
// one value to a selection).
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "sim/rank_select.h"

using namespace fastgpu;

namespace {

void check_against_sort(const std::vector<double>& values, const std::vector<std::size_t>& ranks) {
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> got(ranks.size()), reordered = values;
  select_ranks(reordered, ranks, got);
  std::sort(reordered.begin(), reordered.end());
  CHECK(std::equal(reordered.begin(), reordered.end(), sorted.begin(), sorted.end()));  // a permutation
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    const double want = sorted[ranks[i]];
    INFO("rank ", ranks[i], " of ", values.size());
    if (want == 0) {
      CHECK(got[i] == 0);
    } else {
      CHECK(std::bit_cast<std::uint64_t>(got[i]) == std::bit_cast<std::uint64_t>(want));
    }
  }
}

std::vector<std::size_t> spread_ranks(std::size_t n) {
  std::vector<std::size_t> r = {0, n / 2, (9 * n) / 10, (99 * n) / 100, n - 1, n - 1};
  std::sort(r.begin(), r.end());
  return r;
}

}  // namespace

TEST_CASE("rank select: random values of every sign and magnitude") {
  std::mt19937_64 rng(2026);
  for (const std::size_t n : {1u, 2u, 63u, 64u, 65u, 1000u, 100000u}) {
    std::vector<double> v(n);
    for (double& x : v) {
      const double mag = std::ldexp(static_cast<double>(rng() % 1000000 + 1), static_cast<int>(rng() % 200) - 100);
      x = rng() % 2 ? mag : -mag;
    }
    check_against_sort(v, spread_ranks(n));
  }
}

TEST_CASE("rank select: many ties, zeros of both signs and infinities") {
  std::mt19937_64 rng(7);
  std::vector<double> v(50000);
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (double& x : v) {
    switch (rng() % 6) {
      case 0: x = 0.0; break;
      case 1: x = -0.0; break;
      case 2: x = 3.5; break;
      case 3: x = kInf; break;
      case 4: x = -kInf; break;
      default: x = static_cast<double>(rng() % 7) - 3; break;
    }
  }
  check_against_sort(v, spread_ranks(v.size()));
  std::vector<std::size_t> every;
  for (std::size_t r = 0; r < v.size(); r += 997) every.push_back(r);
  check_against_sort(v, every);
}

TEST_CASE("rank select: mostly one value, as the waits of a lightly loaded cluster") {
  // 95 % zeros and a spread tail: the first level's zero bucket holds the
  // median, whose second level finds one value.
  std::mt19937_64 rng(3);
  std::vector<double> v(20000, 0.0);
  for (std::size_t i = 0; i < v.size(); i += 20) v[i] = static_cast<double>(rng() % 100000) / 7;
  check_against_sort(v, spread_ranks(v.size()));
}

TEST_CASE("rank select: all values equal, and keys that differ only in the lowest bit") {
  check_against_sort(std::vector<double>(1000, 42.0), {0, 500, 999});
  std::vector<double> close;
  for (int i = 0; i < 3000; ++i) close.push_back(std::nextafter(1.0, 2.0 + i % 3));
  for (int i = 0; i < 3000; ++i) close.push_back(1.0 + (i % 2) * std::numeric_limits<double>::epsilon());
  check_against_sort(close, spread_ranks(close.size()));
}
