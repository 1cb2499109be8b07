// The two-level bitset answers like a std::set of its positions: membership
// changes, emptiness and the lowest member from any position, over sizes that
// take one word, several words and several summary words.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <set>

#include "sim/two_level_bitset.h"

using namespace fastgpu;

TEST_CASE("TwoLevelBitset finds what a std::set finds") {
  for (const std::uint32_t n : {1u, 64u, 65u, 1000u, 4096u, 4097u, 20000u}) {
    std::mt19937_64 rng(n);
    TwoLevelBitset bits;
    bits.resize(n);
    std::set<std::uint32_t> want;
    for (int step = 0; step < 5000; ++step) {
      const auto pos = static_cast<std::uint32_t>(rng() % n);
      if (rng() % 3 != 0) {
        bits.insert(pos);
        want.insert(pos);
      } else {
        bits.erase(pos);
        want.erase(pos);
      }
      REQUIRE(bits.empty() == want.empty());
      const auto from = static_cast<std::uint32_t>(rng() % (n + 1));
      const auto it = want.lower_bound(from);
      REQUIRE(bits.first_from(from) == (it == want.end() ? TwoLevelBitset::npos : *it));
      if (!want.empty()) REQUIRE(bits.lowest() == *want.begin());
    }
  }
}
