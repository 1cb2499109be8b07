#include "experiments/progress.h"

#include <cmath>

#include <fmt/format.h>

namespace fastgpu::experiments {

ProgressLine::ProgressLine(std::size_t total, bool enabled, std::FILE* out)
    : total_(total), enabled_(enabled && total > 0), out_(out), start_(std::chrono::steady_clock::now()) {}

ProgressLine::~ProgressLine() {
  if (printed_) {
    std::fputc('\n', out_);
    std::fflush(out_);
  }
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return fmt::format("{:.{}f} s", seconds, seconds < 10 ? 1 : 0);
  const auto s = static_cast<long long>(std::llround(seconds));
  if (s < 3600) return fmt::format("{} min {:02} s", s / 60, s % 60);
  return fmt::format("{} h {:02} min", s / 3600, (s % 3600) / 60);
}

std::string ProgressLine::format(std::size_t done, std::size_t total, double elapsed, const std::string& what) {
  std::string line = fmt::format("[{}/{}] {} elapsed", done, total, format_duration(elapsed));
  if (done > 0 && done < total) {
    const double left = elapsed / static_cast<double>(done) * static_cast<double>(total - done);
    line += fmt::format(", ~{} left", format_duration(left));
  }
  if (!what.empty()) line += fmt::format(" ({})", what);
  return line;
}

std::string format_simulated(double seconds) {
  if (seconds < 3600) return format_duration(seconds);
  if (seconds < 86400 * 2) return fmt::format("{:.1f} h", seconds / 3600);
  return fmt::format("{:.1f} d", seconds / 86400);
}

std::string ProgressLine::format_within(const RunProgress& p, double elapsed, const std::string& what) {
  std::string line = fmt::format("[0/1] {} elapsed: simulated {}, {}/{} jobs arrived, {:.1f} M events",
                                 format_duration(elapsed), format_simulated(p.now), p.jobs_arrived, p.jobs_total,
                                 static_cast<double>(p.events) / 1e6);
  if (!what.empty()) line += fmt::format(" ({})", what);
  return line;
}

void ProgressLine::within_run(const RunProgress& p, const std::string& what) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (last_within_ >= 0 && elapsed - last_within_ < 0.2) return;
  last_within_ = elapsed;
  fmt::print(out_, "\r\033[K{}", format_within(p, elapsed, what));
  std::fflush(out_);
  printed_ = true;
}

void ProgressLine::run_done(const std::string& what) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  done_ += 1;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // "\r\033[K": back to the start of the line and clear it.
  fmt::print(out_, "\r\033[K{}", format(done_, total_, elapsed, what));
  std::fflush(out_);
  printed_ = true;
}

}  // namespace fastgpu::experiments
