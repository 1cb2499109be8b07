#pragma once
// What the benchmarks share: the median of repeated runs, a comma-separated
// option, and one measurement in a forked child so that its peak RSS (wait4)
// and allocator state are its own. bench/ga stays standalone (standard library
// only) and keeps its own.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "policies/builtin.h"

namespace fastgpu::bench {

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// "a,b,c" -> {"a", "b", "c"}.
inline std::vector<std::string> split_commas(const std::string& value) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= value.size();) {
    const std::size_t end = std::min(value.find(',', start), value.size());
    out.push_back(value.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Runs `fn` (returning a trivially copyable M with a `peak_rss_mb` member) in
// a forked child and returns its result with the child's peak RSS. Throws
// std::runtime_error(`failure`) when the child fails.
template <class M, class F>
M measure_in_child(F&& fn, const std::string& failure) {
  static_assert(std::is_trivially_copyable_v<M>);
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    M m{};
    try {
      m = fn();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", failure.c_str(), e.what());
      _exit(3);
    }
    if (write(fds[1], &m, sizeof m) != static_cast<ssize_t>(sizeof m)) _exit(3);
    _exit(0);
  }
  close(fds[1]);
  M m{};
  const ssize_t got = read(fds[0], &m, sizeof m);
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  if (got != static_cast<ssize_t>(sizeof m) || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(failure);
  m.peak_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
  return m;
}

// The policy a benchmark runs under `label`. "least-loaded" names fifo with
// the least-loaded placement, as the shipped configs define it.
inline std::unique_ptr<Policy> make_policy(const std::string& label) {
  if (label == "least-loaded")
    return builtin_policies().create("fifo", {{"placement", {std::string("least-loaded"), {}}}});
  return builtin_policies().create(label, {});
}

}  // namespace fastgpu::bench
