// The free-GPU index answers like a scan of the nodes in its order: the first
// position from a given one with at least k free GPUs, the largest count, and
// the counts themselves, through updates that raise a node above any count
// seen before, orders that leave some nodes out, and re-orders of the same
// nodes (rewritten in place) between updates.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "sim/node_free_index.h"

using namespace fastgpu;

namespace {

std::uint32_t scan_first(const std::vector<NodeIndex>& order, const std::vector<std::uint32_t>& free,
                         std::uint32_t k, std::uint32_t from) {
  for (std::uint32_t p = from; p < order.size(); ++p)
    if (free[order[p]] >= k) return p;
  return NodeFreeIndex::npos;
}

void check_against_scan(std::uint32_t nodes, std::uint32_t covered, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::uint32_t> free(nodes);
  for (auto& f : free) f = static_cast<std::uint32_t>(rng() % 9);
  std::vector<NodeIndex> all(nodes);
  std::iota(all.begin(), all.end(), 0);
  std::shuffle(all.begin(), all.end(), rng);
  std::vector<NodeIndex> order(all.begin(), all.begin() + covered);
  NodeFreeIndex index(order, free);
  for (int step = 0; step < 20000; ++step) {
    if (rng() % 200 == 0) {
      // The same nodes in another order, a few of them moved (as a load-aware
      // placement re-orders) or all shuffled, some counts changed meanwhile.
      if (rng() % 2 == 0) {
        std::shuffle(order.begin(), order.end(), rng);
      } else {
        for (int swaps = 0; swaps < 3; ++swaps) std::swap(order[rng() % covered], order[rng() % covered]);
      }
      free[order[rng() % covered]] = static_cast<std::uint32_t>(rng() % 9);
      index.reorder(order, free);
    } else if (rng() % 2 == 0) {
      const auto node = static_cast<NodeIndex>(rng() % nodes);
      // Mostly within 0..8; now and then up to 16, more than any count before.
      free[node] = static_cast<std::uint32_t>(rng() % 50 == 0 ? rng() % 17 : rng() % 9);
      index.update(node, free[node]);
    } else {
      const auto k = static_cast<std::uint32_t>(rng() % 18);
      const auto from = static_cast<std::uint32_t>(rng() % (covered + 2));
      REQUIRE(index.find_first(k, from) == scan_first(order, free, k, from));
    }
  }
  std::uint32_t most = 0;
  for (std::uint32_t p = 0; p < covered; ++p) {
    CHECK(index.free_at(p) == free[order[p]]);
    CHECK(index.node_at(p) == order[p]);
    most = std::max(most, free[order[p]]);
  }
  CHECK(index.max_free() == most);
  CHECK(index.size() == covered);
}

}  // namespace

TEST_CASE("NodeFreeIndex finds what a scan of its order finds") {
  check_against_scan(5, 5, 1);
  check_against_scan(128, 128, 2);
  check_against_scan(200, 150, 3);       // some nodes not covered: their updates are ignored
  check_against_scan(9000, 9000, 4);     // more than one summary word
  check_against_scan(9000, 4100, 5);
}

TEST_CASE("NodeFreeIndex: empty, all busy, re-ordered") {
  NodeFreeIndex empty;
  CHECK(empty.find_first(0) == NodeFreeIndex::npos);
  CHECK(empty.max_free() == 0);
  const std::vector<std::uint32_t> busy(70, 0);
  NodeFreeIndex index(std::vector<NodeIndex>{3, 1, 69}, busy);
  CHECK(index.max_free() == 0);
  CHECK(index.find_first(1) == NodeFreeIndex::npos);
  CHECK(index.find_first(0, 2) == 2);
  index.update(69, 8);
  CHECK(index.find_first(1) == 2);
  CHECK(index.find_first(8, 1) == 2);
  CHECK(index.find_first(9) == NodeFreeIndex::npos);
  CHECK(index.max_free() == 8);
  std::vector<std::uint32_t> free(70, 0);
  free[69] = 8;
  free[1] = 3;
  index.reorder(std::vector<NodeIndex>{69, 1}, free);
  CHECK(index.find_first(2) == 0);
  CHECK(index.find_first(2, 1) == 1);
  CHECK(index.find_first(4, 1) == NodeFreeIndex::npos);
  index.update(69, 0);
  CHECK(index.max_free() == 3);
  CHECK(index.find_first(1) == 1);
}

TEST_CASE("NodeFreeIndex: a re-order to another set of the same size is a rebuild") {
  // Covered {3, 1, 69}; the new order {1, 3, 5} swaps the first two (in place)
  // before it reaches node 5, which was not covered: the index is rebuilt.
  std::vector<std::uint32_t> free(70, 0);
  free[3] = 2, free[1] = 1, free[69] = 4, free[5] = 3;
  NodeFreeIndex index(std::vector<NodeIndex>{3, 1, 69}, free);
  CHECK(index.find_first(3) == 2);
  index.reorder(std::vector<NodeIndex>{1, 3, 5}, free);
  CHECK(index.node_at(0) == 1);
  CHECK(index.node_at(1) == 3);
  CHECK(index.node_at(2) == 5);
  CHECK(index.free_at(2) == 3);
  CHECK(index.find_first(2) == 1);
  CHECK(index.find_first(3) == 2);
  CHECK(index.find_first(4) == NodeFreeIndex::npos);  // node 69 is no longer covered
  CHECK(index.max_free() == 3);
  index.update(69, 8);  // ignored
  CHECK(index.find_first(4) == NodeFreeIndex::npos);
  index.update(5, 0);
  CHECK(index.find_first(3) == NodeFreeIndex::npos);
  CHECK(index.find_first(1) == 0);
}

TEST_CASE("NodeFreeIndex: nodes with more free GPUs than a byte's comparison takes") {
  // 128 levels or more: the re-order fills the levels position by position
  // instead of sixteen positions at a time; the answers are the same.
  std::vector<std::uint32_t> free{200, 3, 127, 128, 0};
  NodeFreeIndex index(std::vector<NodeIndex>{4, 3, 2, 1, 0}, free);
  CHECK(index.max_free() == 200);
  CHECK(index.find_first(1) == 1);      // node 3
  CHECK(index.find_first(128) == 1);
  CHECK(index.find_first(129) == 4);    // node 0
  CHECK(index.find_first(127, 2) == 2); // node 2
  CHECK(index.find_first(4, 3) == 4);
  CHECK(index.find_first(201) == NodeFreeIndex::npos);
  free[0] = 5;
  index.reorder(std::vector<NodeIndex>{0, 1, 2, 3, 4}, free);
  CHECK(index.max_free() == 128);
  CHECK(index.find_first(6) == 2);
  CHECK(index.find_first(4) == 0);
  CHECK(index.find_first(128) == 3);
  CHECK(index.find_first(129) == NodeFreeIndex::npos);
}
