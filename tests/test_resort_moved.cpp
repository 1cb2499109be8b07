// Merging the re-sorted changed elements into the unchanged order gives
// exactly the order a full sort by the new keys gives, ties by index
// included, and says whether the order changed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "policies/resort_moved.h"

using namespace fastgpu;

namespace {

std::vector<std::uint32_t> full_sort(const std::vector<double>& key) {
  std::vector<std::uint32_t> order(key.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return key[a] < key[b]; });
  return order;
}

}  // namespace

TEST_CASE("resort_moved matches a full sort after random key changes") {
  std::mt19937_64 rng(11);
  for (const std::uint32_t n : {1u, 2u, 7u, 64u, 512u}) {
    // Few distinct keys, so that ties (broken by index) are common.
    std::vector<double> key(n);
    for (auto& k : key) k = static_cast<double>(rng() % 5) / 4;
    std::vector<std::uint32_t> order = full_sort(key);
    ResortScratch scratch;
    auto before = [&](std::uint32_t a, std::uint32_t b) { return key[a] < key[b] || (key[a] == key[b] && a < b); };
    for (int step = 0; step < 300; ++step) {
      // c distinct indexes change their keys (some to the same value).
      std::vector<std::uint32_t> all(n);
      std::iota(all.begin(), all.end(), 0);
      std::shuffle(all.begin(), all.end(), rng);
      const std::uint32_t c = static_cast<std::uint32_t>(rng() % (n + 1));
      std::vector<std::uint32_t> moved(all.begin(), all.begin() + c);
      for (std::uint32_t i : moved) key[i] = static_cast<double>(rng() % 5) / 4;
      const std::vector<std::uint32_t> old = order;
      const bool changed = resort_moved(order, moved, scratch, before);
      const std::vector<std::uint32_t> expected = full_sort(key);
      REQUIRE(order == expected);
      CHECK(changed == (expected != old));
      CHECK(std::all_of(scratch.mark.begin(), scratch.mark.end(), [](std::uint8_t m) { return m == 0; }));
    }
  }
}

TEST_CASE("resort_moved: a hand-worked merge") {
  // Keys 0.5, 0.2, 0.5, 0.9 sorted: 1, 0, 2, 3. Node 3 drops to 0.2 (ties node
  // 1, after it by index) and node 1 rises to 0.5 (ties 0 and 2, last by index).
  std::vector<double> key{0.5, 0.2, 0.5, 0.9};
  std::vector<std::uint32_t> order{1, 0, 2, 3};
  ResortScratch scratch;
  auto before = [&](std::uint32_t a, std::uint32_t b) { return key[a] < key[b] || (key[a] == key[b] && a < b); };
  key[3] = 0.2;
  key[1] = 0.5;
  const std::uint32_t moved[] = {3, 1};
  CHECK(resort_moved(order, moved, scratch, before));
  CHECK(order == std::vector<std::uint32_t>{3, 0, 1, 2});
  // No change of position: empty, order kept.
  key[0] = 0.4;
  const std::uint32_t zero[] = {0};
  CHECK_FALSE(resort_moved(order, zero, scratch, before));
  CHECK(order == std::vector<std::uint32_t>{3, 0, 1, 2});
  CHECK_FALSE(resort_moved(order, {}, scratch, before));
  // Node 1 rises to 0.55, past node 2 (0.5) only: positions 2 and 3 swap.
  key[1] = 0.55;
  const std::uint32_t one[] = {1};
  CHECK(resort_moved(order, one, scratch, before));
  CHECK(order == std::vector<std::uint32_t>{3, 0, 2, 1});
}
