#include "sim/rank_select.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

namespace fastgpu {

namespace {

constexpr int kBucketBits = 11;  // 2,048 counts: 16 KiB, in the first-level cache
constexpr std::uint64_t kBucketMask = (std::uint64_t{1} << kBucketBits) - 1;
constexpr std::size_t kSmall = 64;  // fewer values than this: a comparison selection

// The bits of x, mapped so that their unsigned order is the values' order:
// a positive value's sign bit set, a negative value's bits all inverted. -0
// comes just before +0, with nothing between them, so a rank among the zeros
// finds a zero of either sign, as a comparison selection would.
std::uint64_t order_key(double x) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const auto negative = static_cast<std::uint64_t>(static_cast<std::int64_t>(bits) >> 63);
  return bits ^ (negative | std::uint64_t{1} << 63);
}

// `values` are the ranks from `base` on of the whole set: rank r is values[r - base].
void select_by_comparison(std::span<double> values, std::span<const std::size_t> ranks, std::span<double> out,
                          std::size_t base) {
  auto from = values.begin();
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    const auto at = values.begin() + static_cast<std::ptrdiff_t>(ranks[i] - base);
    std::nth_element(from, at, values.end());
    out[i] = *at;
    from = at;
  }
}

void select_in(std::span<double> values, std::span<const std::size_t> ranks, std::span<double> out,
               std::size_t base) {
  if (values.size() < kSmall) return select_by_comparison(values, ranks, out, base);
  std::uint64_t lo = UINT64_MAX, hi = 0;
  for (double x : values) {
    const std::uint64_t k = order_key(x);
    lo = std::min(lo, k);
    hi = std::max(hi, k);
  }
  if (lo == hi) {  // one value
    for (std::size_t i = 0; i < ranks.size(); ++i) out[i] = values[ranks[i] - base];
    return;
  }
  // The buckets are the 11 bits from the highest bit where the keys differ
  // down; the bits above it are the same in every key, so bucket order is key
  // order, and lo and hi fall in different buckets: every level narrows.
  const int top = 63 - std::countl_zero(lo ^ hi);
  const int shift = std::max(0, top + 1 - kBucketBits);
  const auto bucket_of = [shift](double x) { return (order_key(x) >> shift) & kBucketMask; };
  std::array<std::size_t, kBucketMask + 1> count{};
  for (double x : values) ++count[bucket_of(x)];

  // Each bucket that holds a wanted rank is moved to the front of what is
  // left (a partition without a branch on the value: every value is swapped
  // with the slot after the bucket's, which advances when it belongs), and
  // its ranks are selected within it, in place.
  std::size_t front = 0, below = base;  // front: values moved so far; below: ranks before bucket b
  for (std::uint64_t b = 0, i = 0; b <= kBucketMask && i < ranks.size(); below += count[b], ++b) {
    const std::size_t first = i;
    while (i < ranks.size() && ranks[i] < below + count[b]) ++i;
    if (i == first) continue;
    std::size_t end = front;
    for (std::size_t k = front; k < values.size(); ++k) {
      const double x = values[k];
      values[k] = values[end];
      values[end] = x;
      end += bucket_of(x) == b;
    }
    select_in(values.subspan(front, count[b]), ranks.subspan(first, i - first), out.subspan(first, i - first), below);
    front = end;
  }
}

}  // namespace

void select_ranks(std::span<double> values, std::span<const std::size_t> ranks, std::span<double> out) {
  select_in(values, ranks, out, 0);
}

}  // namespace fastgpu
