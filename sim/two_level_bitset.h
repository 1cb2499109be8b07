#pragma once
// A set of positions 0..n-1: one bit each, plus one summary bit per non-zero
// word, so the lowest member (from a position on) is found in two bit scans
// plus O(n / 4096) summary word tests, and an insert or erase is O(1). The
// free-GPU indexes are built from it (NodeFreeIndex, NodeFreeBuckets).
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

namespace fastgpu {

class TwoLevelBitset {
 public:
  static constexpr std::uint32_t npos = UINT32_MAX;

  // Empties the set and sizes it for positions 0..n-1.
  void resize(std::uint32_t n) {
    words_.assign((n + 63) / 64, 0);
    summary_.assign((words_.size() + 63) / 64, 0);
    count_ = 0;
  }
  // Replaces the members with the set bits of `words` (bit p % 64 of word
  // p / 64 for position p), sized for positions 0..64 * words.size() - 1: a
  // whole set built at once, O(words) rather than O(1) per member.
  void assign_words(std::span<const std::uint64_t> words) {
    words_.assign(words.begin(), words.end());
    summary_.assign((words_.size() + 63) / 64, 0);
    count_ = 0;
    for (std::size_t w = 0; w < words_.size(); ++w) {
      if (words_[w] == 0) continue;
      summary_[w / 64] |= std::uint64_t{1} << (w % 64);
      count_ += static_cast<std::uint32_t>(std::popcount(words_[w]));
    }
  }
  void insert(std::uint32_t pos) {
    std::uint64_t& w = words_[pos / 64];
    const std::uint64_t bit = std::uint64_t{1} << (pos % 64);
    if (w & bit) return;
    w |= bit;
    summary_[pos / 4096] |= std::uint64_t{1} << (pos / 64 % 64);
    ++count_;
  }
  void erase(std::uint32_t pos) {
    std::uint64_t& w = words_[pos / 64];
    const std::uint64_t bit = std::uint64_t{1} << (pos % 64);
    if (!(w & bit)) return;
    w &= ~bit;
    if (w == 0) summary_[pos / 4096] &= ~(std::uint64_t{1} << (pos / 64 % 64));
    --count_;
  }
  bool empty() const { return count_ == 0; }
  std::uint32_t lowest() const { return first_from(0); }
  // The lowest member >= from, or npos.
  std::uint32_t first_from(std::uint32_t from) const {
    std::uint32_t word = from / 64;
    if (word >= words_.size()) return npos;
    // The rest of from's word, then the next non-empty word by the summary.
    if (const std::uint64_t rest = words_[word] & (~std::uint64_t{0} << (from % 64)); rest != 0)
      return word * 64 + static_cast<std::uint32_t>(std::countr_zero(rest));
    if (++word >= words_.size()) return npos;
    std::uint64_t bits = summary_[word / 64] & (~std::uint64_t{0} << (word % 64));
    for (std::uint32_t s = word / 64;;) {
      if (bits != 0) {
        const std::uint32_t w = s * 64 + static_cast<std::uint32_t>(std::countr_zero(bits));
        return w * 64 + static_cast<std::uint32_t>(std::countr_zero(words_[w]));
      }
      if (++s >= summary_.size()) return npos;
      bits = summary_[s];
    }
  }

 private:
  std::vector<std::uint64_t> words_, summary_;
  std::uint32_t count_ = 0;
};

}  // namespace fastgpu
