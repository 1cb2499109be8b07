#pragma once
// The progress line of a batch of runs on stderr: runs done/total, elapsed
// time and an estimate of the time left, rewritten in place ('\r') as runs
// finish; a batch of one long run also shows where that run stands. Only
// used when stderr is a terminal. Thread-safe.
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>

#include "sim/run_progress.h"

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

  // Inside a run (sim/run_progress.h), for a batch of one run:
  // rewrites the line at most 5 times a second.
  void within_run(const RunProgress& p, const std::string& what);

  // "[0/1] 3.2 s elapsed: simulated 12.5 d, 1200000/2000000 jobs arrived, 4.1 M events (fifo seed 1)".
  static std::string format_within(const RunProgress& p, double elapsed_seconds, const std::string& what);

  // "[3/12] 4.1 s elapsed, ~12 s left (las seed 2)": the estimate assumes
  // the remaining runs take as long on average as the finished ones.
  static std::string format(std::size_t done, std::size_t total, double elapsed_seconds, const std::string& what);

 private:
  std::size_t total_, done_ = 0;
  bool enabled_, printed_ = false;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_;
  double last_within_ = -1;  // elapsed seconds at the last within_run line
  std::mutex mutex_;
};

// "42 s", "3 min 20 s", "2 h 05 min".
std::string format_duration(double seconds);

}  // namespace fastgpu::experiments
