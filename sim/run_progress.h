#pragma once
// Where a run stands, reported to a progress display while the engine runs.
// The hook belongs to the calling thread (each thread simulates one run at a
// time) and only reads, so results never depend on whether one is set.
#include <cstddef>
#include <cstdint>
#include <functional>

#include "sim/types.h"

namespace fastgpu {

struct RunProgress {
  Seconds now = 0;               // simulated time
  std::uint64_t events = 0;      // events applied so far
  std::size_t jobs_arrived = 0;  // of jobs_total
  std::size_t jobs_total = 0;
};

using ProgressHook = std::function<void(const RunProgress&)>;

// The engine calls this thread's hook every 65,536 events (none by default).
const ProgressHook& thread_progress_hook();

// Sets this thread's hook for its lifetime, then restores the previous one.
class ScopedProgressHook {
 public:
  explicit ScopedProgressHook(ProgressHook hook);
  ~ScopedProgressHook();
  ScopedProgressHook(const ScopedProgressHook&) = delete;
  ScopedProgressHook& operator=(const ScopedProgressHook&) = delete;

 private:
  ProgressHook previous_;
};

}  // namespace fastgpu
