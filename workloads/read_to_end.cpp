#include "workloads/read_to_end.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu::trace {

std::size_t read_to_end(int fd, std::string& buffer, std::size_t first_size, const std::string& path) {
  std::size_t size = 0;
  for (;;) {
    if (buffer.size() == size) buffer.resize(std::max(2 * size, first_size));
    const ssize_t got = ::read(fd, buffer.data() + size, buffer.size() - size);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw InputError({path, 0, ""}, fmt::format("read error: {}", std::strerror(errno)));
    if (got == 0) return size;
    size += static_cast<std::size_t>(got);
  }
}

}  // namespace fastgpu::trace
