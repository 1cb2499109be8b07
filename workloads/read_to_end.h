#pragma once
// Reading a whole file descriptor into memory: what the CSV and JSON readers
// do with a pipe, a small file (mapping it costs more than copying a few
// pages) or a file that cannot be mapped.
#include <cstddef>
#include <string>

namespace fastgpu::trace {

// Reads `fd` to its end into `buffer` (from its start), which grows to
// `first_size` bytes first (the expected size plus room to see the end; 4 KiB
// for a pipe) and doubles when full; returns the bytes read. The buffer may
// be larger than that. A read error is an InputError naming `path`.
std::size_t read_to_end(int fd, std::string& buffer, std::size_t first_size, const std::string& path);

}  // namespace fastgpu::trace
