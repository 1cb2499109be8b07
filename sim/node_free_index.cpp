#include "sim/node_free_index.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fastgpu {

NodeFreeIndex::NodeFreeIndex(std::span<const NodeIndex> order, std::span<const std::uint32_t> free_of) {
  reorder(order, free_of);
}

// Rebuilt whole, a level's word at a time: a load-aware re-order moves most
// positions (every node between a moved node's old and new places shifts by
// one), so rewriting the changed positions one bit at a time cost more.
void NodeFreeIndex::reorder(std::span<const NodeIndex> order, std::span<const std::uint32_t> free_of) {
  const auto n = static_cast<std::uint32_t>(order.size());
  const std::size_t words = (n + 63) / 64;
  order_.assign(order.begin(), order.end());
  pos_of_.assign(free_of.size(), npos);
  free_.resize(n);
  count_bytes_.assign(words * 64, 0);  // whole words; the padding has no free GPU
  // Through plain pointers: the byte stores may alias anything, and would
  // make the compiler reload every vector's bounds at each position.
  std::uint32_t* const pos_of = pos_of_.data();
  std::uint32_t* const free = free_.data();
  std::int8_t* const bytes = count_bytes_.data();
  std::uint32_t most = 0;
  for (std::uint32_t p = 0; p < n; ++p) {
    const std::uint32_t f = free_of[order[p]];
    pos_of[order[p]] = p;
    free[p] = f;
    bytes[p] = static_cast<std::int8_t>(std::min(f, 127u));
    most = std::max(most, f);
  }
  // As many levels as the largest count: the levels a former node with more
  // free GPUs needed go, and the comparison by bytes stays usable.
  levels_.resize(most);
  level_words_.assign(levels_.size() * words, 0);
  fill_level_words(words);
  for (std::size_t k = 0; k < levels_.size(); ++k)
    levels_[k].assign_words(std::span<const std::uint64_t>(level_words_).subspan(k * words, words));
}

// Level k (index k - 1) holds the positions with at least k free GPUs. With
// SSE2 and counts below 128, sixteen positions' counts (count_bytes_) are
// compared with k - 1 at once and the results gathered by movemask, a word in
// four steps; otherwise each position sets its bit in its count's levels.
void NodeFreeIndex::fill_level_words(std::size_t words) {
  const auto levels = static_cast<std::uint32_t>(levels_.size());
#if defined(__SSE2__)
  if (levels < 128) {
    for (std::size_t w = 0; w < words; ++w) {
      __m128i counts[4];
      for (int q = 0; q < 4; ++q)
        counts[q] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(count_bytes_.data() + w * 64 + 16 * q));
      for (std::uint32_t k = 0; k < levels; ++k) {
        const __m128i below = _mm_set1_epi8(static_cast<char>(k));
        std::uint64_t bits = 0;
        for (int q = 0; q < 4; ++q) {
          const auto mask = static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpgt_epi8(counts[q], below)));
          bits |= std::uint64_t{mask} << (16 * q);
        }
        level_words_[k * words + w] = bits;
      }
    }
    return;
  }
#endif
  for (std::uint32_t p = 0; p < free_.size(); ++p) {
    const std::uint64_t bit = std::uint64_t{1} << (p % 64);
    for (std::uint32_t k = 0; k < free_[p]; ++k) level_words_[k * words + p / 64] |= bit;
  }
}

void NodeFreeIndex::add_levels(std::uint32_t k) {
  while (levels_.size() < k) {
    levels_.emplace_back();
    levels_.back().resize(size());
  }
}

// The highest count with a member (a level empties when its last node drops
// below it; updates never remove a level).
std::uint32_t NodeFreeIndex::max_free() const {
  for (auto k = static_cast<std::uint32_t>(levels_.size()); k >= 1; --k)
    if (!levels_[k - 1].empty()) return k;
  return 0;
}

std::uint32_t NodeFreeIndex::find_first(std::uint32_t k, std::uint32_t from) const {
  if (from >= order_.size() || k > levels_.size()) return npos;
  if (k == 0) return from;  // every node has >= 0 free
  return levels_[k - 1].first_from(from);
}

}  // namespace fastgpu
