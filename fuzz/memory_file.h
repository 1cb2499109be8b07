#pragma once
// Fuzz inputs for readers that take a path: an anonymous in-memory file
// (memfd_create) rewritten for every input and opened by its /proc/self/fd
// name, so a campaign of millions of inputs never touches the disk.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace fastgpu::fuzz {

class MemoryFile {
 public:
  MemoryFile() : fd_(memfd_create("fastgpu-fuzz", 0)) {
    if (fd_ < 0) std::abort();
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemoryFile() { close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  // Replaces the file's contents with `bytes`.
  const std::string& write(std::string_view bytes) {
    if (ftruncate(fd_, 0) != 0) std::abort();
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
    return path_;
  }
  const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
};

// The fuzzer's bytes as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits off the first option byte (read options, dimensions); the rest is
// the file. Seeds start with a 0 byte.
inline std::uint8_t take_option_byte(std::string_view& text) {
  if (text.empty()) return 0;
  const auto b = static_cast<std::uint8_t>(text.front());
  text.remove_prefix(1);
  return b;
}

}  // namespace fastgpu::fuzz
