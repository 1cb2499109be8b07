#pragma once
// Reading a file descriptor into memory: whole (the JSON reader, with a pipe,
// a small file or a file that cannot be mapped), or a buffer at a time (the
// CSV scanner).
#include <cstddef>
#include <string>

namespace fastgpu::trace {

// Reads `fd` to its end into `buffer` (from its start), which grows to
// `first_size` bytes first (the expected size plus room to see the end; 4 KiB
// for a pipe) and doubles when full; returns the bytes read. The buffer may
// be larger than that. A read error is an InputError naming `path`.
std::size_t read_to_end(int fd, std::string& buffer, std::size_t first_size, const std::string& path);

// Reads up to `n` bytes of `fd` into `into`, retrying short and interrupted
// reads; returns fewer than `n` only at the end of the input. A read error is
// an InputError naming `path`.
std::size_t read_up_to(int fd, char* into, std::size_t n, const std::string& path);

}  // namespace fastgpu::trace
