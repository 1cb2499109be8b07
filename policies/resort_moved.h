#pragma once
// Brings a sorted order up to date after some elements' keys changed: the
// elements whose keys did not change are still in order among themselves, so
// only the moved ones are sorted and merged back in, O(n + c log c) for c
// moved of n rather than O(n log n) for a full sort. With a strict total
// order (`before` ties broken by index) the result is exactly the full sort's.
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace fastgpu {

// Reused between calls, so a re-order allocates nothing once warm.
struct ResortScratch {
  std::vector<std::uint8_t> mark;  // per element: moved; all zero between calls
  std::vector<std::uint32_t> moved, merged;
};

// `order` holds indexes 0..n-1, sorted by `before` under the old keys;
// `moved` lists (once each) the indexes whose keys changed. Re-sorts `order`
// by the current keys and returns whether it changed.
template <class Before>
bool resort_moved(std::vector<std::uint32_t>& order, std::span<const std::uint32_t> moved, ResortScratch& scratch,
                  Before before) {
  if (moved.empty()) return false;
  scratch.mark.resize(order.size(), 0);
  for (std::uint32_t i : moved) scratch.mark[i] = 1;
  scratch.moved.assign(moved.begin(), moved.end());
  std::sort(scratch.moved.begin(), scratch.moved.end(), before);
  scratch.merged.resize(order.size());
  auto out = scratch.merged.begin();
  auto next = scratch.moved.cbegin();
  const auto last = scratch.moved.cend();
  for (const std::uint32_t i : order) {  // a merge of the unmoved elements, in order, with the moved ones
    if (scratch.mark[i] != 0) continue;
    while (next != last && before(*next, i)) *out++ = *next++;
    *out++ = i;
  }
  std::copy(next, last, out);
  for (std::uint32_t i : moved) scratch.mark[i] = 0;
  if (scratch.merged == order) return false;
  order.swap(scratch.merged);
  return true;
}

}  // namespace fastgpu
