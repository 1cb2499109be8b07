#pragma once
// Exact order statistics of doubles by radix selection: the values' bit
// patterns, mapped so that they order as the values do, are counted into
// buckets of their leading differing bits; only the buckets that hold a wanted
// rank are moved together and looked at again, in place. Each pass over the
// values is a count or a partition without a data-dependent branch, where a
// comparison selection (std::nth_element) branches on every comparison the
// processor cannot predict.
#include <cstddef>
#include <span>

namespace fastgpu {

// out[i] = the value of 0-based rank ranks[i] among `values` (ascending
// order), as std::nth_element would leave at that position: the same bits,
// except that -0 and +0 are one value to both and either may come back.
// Reorders `values` and allocates nothing (16 KiB of counts on the stack a
// level, at most six levels deep). `ranks` ascending and each
// < values.size(); `values` without NaN; `out` as long as `ranks`.
void select_ranks(std::span<double> values, std::span<const std::size_t> ranks, std::span<double> out);

}  // namespace fastgpu
