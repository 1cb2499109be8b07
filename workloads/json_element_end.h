#pragma once
// Finds where a JSON object or array ends without parsing it: brackets are
// counted outside strings, and strings are skipped with their escapes. Used
// to split a top-level array into its elements, so that each can be parsed
// on its own. Internal to the workloads library.
#include <cstddef>

namespace fastgpu::json {

// The offset just past the container that opens at data[start] ('{' or '['),
// or `size` when the text is unusual: it does not open a container there, a
// string holds a control character, or the text ends first. Reads up to 15
// bytes past `size` (the caller keeps them readable).
std::size_t container_end(const char* data, std::size_t size, std::size_t start);

}  // namespace fastgpu::json
