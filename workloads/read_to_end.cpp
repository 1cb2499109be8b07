#include "workloads/read_to_end.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu::trace {

std::size_t read_up_to(int fd, char* into, std::size_t n, const std::string& path) {
  std::size_t size = 0;
  while (size < n) {
    const ssize_t got = ::read(fd, into + size, n - size);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw InputError({path, 0, ""}, fmt::format("read error: {}", std::strerror(errno)));
    if (got == 0) break;
    size += static_cast<std::size_t>(got);
  }
  return size;
}

std::size_t read_to_end(int fd, std::string& buffer, std::size_t first_size, const std::string& path) {
  std::size_t size = 0;
  for (;;) {
    if (buffer.size() == size) buffer.resize(std::max(2 * size, first_size));
    const std::size_t room = buffer.size() - size;
    const std::size_t got = read_up_to(fd, buffer.data() + size, room, path);
    size += got;
    if (got < room) return size;
  }
}

}  // namespace fastgpu::trace
