#pragma once
// "did you mean" for a mistyped name: the known name closest to it by edit
// distance (insertions, deletions, substitutions), when it is close enough to
// be a typo rather than a different word.
#include <string>
#include <string_view>
#include <vector>

namespace fastgpu {

// Levenshtein distance between a and b.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `name` if at most 2 edits away (and fewer edits
// than name has characters), the first such in `candidates` on ties; "" if none.
std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or "".
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace fastgpu
