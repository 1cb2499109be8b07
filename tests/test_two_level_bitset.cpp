// The two-level bitset answers like a std::set of its positions: membership
// changes, emptiness and the lowest member from any position, built by inserts
// or assigned word by word, over sizes that take one word, several words and
// several summary words.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <set>
#include <vector>

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

TEST_CASE("TwoLevelBitset: a set assigned word by word answers as one built by inserts") {
  for (const std::uint32_t words : {1u, 2u, 64u, 65u, 300u}) {
    std::mt19937_64 rng(words);
    std::vector<std::uint64_t> raw(words);
    std::set<std::uint32_t> want;
    for (std::uint32_t w = 0; w < words; ++w) {
      // Empty words, full ones and sparse ones, so the summary has gaps.
      const std::uint64_t r = rng();
      raw[w] = r % 4 == 0 ? 0 : r % 4 == 1 ? ~std::uint64_t{0} : rng() & rng() & rng();
      for (std::uint32_t b = 0; b < 64; ++b)
        if (raw[w] >> b & 1) want.insert(w * 64 + b);
    }
    TwoLevelBitset bits;
    bits.resize(7);  // another size before: the assignment replaces it
    bits.insert(3);
    bits.assign_words(raw);
    REQUIRE(bits.empty() == want.empty());
    for (std::uint32_t from = 0; from <= words * 64; from += 1 + static_cast<std::uint32_t>(rng() % 37)) {
      const auto it = want.lower_bound(from);
      REQUIRE(bits.first_from(from) == (it == want.end() ? TwoLevelBitset::npos : *it));
    }
    // Inserts and erases go on from the assigned state: emptied one by one, it is empty.
    for (std::uint32_t pos : want) {
      bits.insert(pos);  // already a member: no change
      bits.erase(pos);
    }
    CHECK(bits.empty());
    CHECK(bits.first_from(0) == TwoLevelBitset::npos);
  }
}
