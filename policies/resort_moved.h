#pragma once
// Brings a sorted order up to date after some elements' keys changed: the
// elements whose keys did not change are still in order among themselves, so
// only the moved ones are sorted and merged back in, O(n + c log c) for c
// moved of n rather than O(n log n) for a full sort. With a strict total
// order (`before` ties broken by index) the result is exactly the full sort's.
#include <algorithm>
#include <cstdint>
#include <ranges>
#include <vector>

namespace fastgpu {

// `order` holds indexes 0..n-1, sorted by `before` under the old keys;
// `moved` lists (once each) the indexes whose keys changed. Re-sorts `order`
// by the current keys and returns whether it changed. `mark` is scratch,
// all zero between calls.
template <class Before>
bool resort_moved(std::vector<std::uint32_t>& order, std::vector<std::uint32_t> moved,
                  std::vector<std::uint8_t>& mark, Before before) {
  if (moved.empty()) return false;
  mark.resize(order.size(), 0);  // all zero between calls
  for (std::uint32_t i : moved) mark[i] = 1;
  std::sort(moved.begin(), moved.end(), before);
  std::vector<std::uint32_t> merged(order.size());
  std::ranges::merge(order | std::views::filter([&](std::uint32_t i) { return mark[i] == 0; }), moved, merged.begin(),
                     before);
  for (std::uint32_t i : moved) mark[i] = 0;
  if (merged == order) return false;
  order.swap(merged);
  return true;
}

}  // namespace fastgpu
