#include "sim/node_free_index.h"

#include <algorithm>
#include <bit>

namespace fastgpu {

NodeFreeIndex::NodeFreeIndex(std::vector<NodeIndex> order, std::span<const std::uint32_t> free_of) {
  reorder(std::move(order), free_of);
}

void NodeFreeIndex::reorder(std::vector<NodeIndex> order, std::span<const std::uint32_t> free_of) {
  order_ = std::move(order);
  pos_of_.assign(free_of.size(), npos);
  free_.assign(order_.size(), 0);
  words_ = static_cast<std::uint32_t>((order_.size() + 63) / 64);
  level_words_ = words_ + (words_ + 63) / 64;
  levels_ = 0;
  bits_.clear();
  std::uint32_t most = 0;
  for (std::uint32_t p = 0; p < order_.size(); ++p) {
    pos_of_[order_[p]] = p;
    most = std::max(most, free_of[order_[p]]);
  }
  grow(most);
  for (std::uint32_t p = 0; p < order_.size(); ++p) {
    free_[p] = free_of[order_[p]];
    for (std::uint32_t k = 1; k <= free_[p]; ++k) set(k, p);
  }
}

void NodeFreeIndex::grow(std::uint32_t k) {
  if (k <= levels_) return;
  levels_ = k;
  bits_.resize(std::size_t{levels_} * level_words_, 0);
}

void NodeFreeIndex::set(std::uint32_t k, std::uint32_t pos) {
  words(k)[pos / 64] |= std::uint64_t{1} << (pos % 64);
  summary(k)[pos / 4096] |= std::uint64_t{1} << (pos / 64 % 64);
}

void NodeFreeIndex::clear(std::uint32_t k, std::uint32_t pos) {
  std::uint64_t& word = words(k)[pos / 64];
  word &= ~(std::uint64_t{1} << (pos % 64));
  if (word == 0) summary(k)[pos / 4096] &= ~(std::uint64_t{1} << (pos / 64 % 64));
}

void NodeFreeIndex::update(NodeIndex node, std::uint32_t free) {
  if (node >= pos_of_.size() || pos_of_[node] == npos) return;
  const std::uint32_t pos = pos_of_[node];
  const std::uint32_t old = free_[pos];
  free_[pos] = free;
  if (free > old) {
    grow(free);
    for (std::uint32_t k = old + 1; k <= free; ++k) set(k, pos);
  } else {
    for (std::uint32_t k = free + 1; k <= old; ++k) clear(k, pos);
  }
}

std::uint32_t NodeFreeIndex::max_free() const {
  // The highest count whose summary has a bit set (a level empties when its
  // last node drops below it, and levels are never removed).
  const std::uint32_t summary_words = level_words_ - words_;
  for (std::uint32_t k = levels_; k >= 1; --k) {
    const std::uint64_t* s = summary(k);
    for (std::uint32_t i = 0; i < summary_words; ++i)
      if (s[i] != 0) return k;
  }
  return 0;
}

std::uint32_t NodeFreeIndex::find_first(std::uint32_t k, std::uint32_t from) const {
  if (from >= order_.size() || k > levels_) return npos;
  if (k == 0) return from;  // every node has >= 0 free
  const std::uint64_t* w = words(k);
  // The rest of from's word, then the next non-empty word by the summary.
  std::uint32_t at = from / 64;
  if (const std::uint64_t rest = w[at] & (~std::uint64_t{0} << (from % 64)); rest != 0)
    return at * 64 + static_cast<std::uint32_t>(std::countr_zero(rest));
  if (++at >= words_) return npos;
  const std::uint64_t* s = summary(k);
  const std::uint32_t summary_words = level_words_ - words_;
  std::uint64_t bits = s[at / 64] & (~std::uint64_t{0} << (at % 64));
  for (std::uint32_t sw = at / 64;;) {
    if (bits != 0) {
      const std::uint32_t word = sw * 64 + static_cast<std::uint32_t>(std::countr_zero(bits));
      return word * 64 + static_cast<std::uint32_t>(std::countr_zero(w[word]));
    }
    if (++sw >= summary_words) return npos;
    bits = s[sw];
  }
}

}  // namespace fastgpu
