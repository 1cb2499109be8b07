#pragma once
// The progress line of a batch of runs on stderr: runs done/total, elapsed
// time and an estimate of the time left, rewritten in place ('\r') as runs
// finish. Only used when stderr is a terminal. Thread-safe.
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>

namespace fastgpu::experiments {

class ProgressLine {
 public:
  // `enabled` false makes every call a no-op. `out` is normally stderr.
  ProgressLine(std::size_t total, bool enabled, std::FILE* out = stderr);
  ~ProgressLine();  // ends the line (newline) if anything was printed
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // One more run finished; `what` names it ("las seed 2").
  void run_done(const std::string& what);

  // "[3/12] 4.1 s elapsed, ~12 s left (las seed 2)": the estimate assumes
  // the remaining runs take as long on average as the finished ones.
  static std::string format(std::size_t done, std::size_t total, double elapsed_seconds, const std::string& what);

 private:
  std::size_t total_, done_ = 0;
  bool enabled_, printed_ = false;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

// "42 s", "3 min 20 s", "2 h 05 min".
std::string format_duration(double seconds);

}  // namespace fastgpu::experiments
