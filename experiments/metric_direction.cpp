#include "experiments/metric_direction.h"

#include <array>
#include <string_view>
#include <utility>

namespace fastgpu {

std::string to_string(Direction d) {
  switch (d) {
    case Direction::lower_is_better: return "lower-is-better";
    case Direction::higher_is_better: return "higher-is-better";
    case Direction::either: return "either";
  }
  return "either";
}

std::optional<Direction> parse_direction(const std::string& text) {
  for (Direction d : {Direction::lower_is_better, Direction::higher_is_better, Direction::either}) {
    if (text == to_string(d)) return d;
  }
  return std::nullopt;
}

Direction metric_direction(const std::string& metric) {
  using enum Direction;
  // Every summary_fields() name; the wall-clock ones (scheduler and run time,
  // events per second) are lower/higher is better too, but noisy: the
  // regression baseline gives them wide tolerances or leaves them out.
  static constexpr std::array<std::pair<std::string_view, Direction>, 42> kKnown{{
      {"makespan", lower_is_better},
      {"jobs_total", either},
      {"jobs_completed", higher_is_better},
      {"jobs_rejected", lower_is_better},
      {"jct_mean", lower_is_better},
      {"jct_p50", lower_is_better},
      {"jct_p90", lower_is_better},
      {"jct_p99", lower_is_better},
      {"wait_mean", lower_is_better},
      {"wait_p50", lower_is_better},
      {"wait_p90", lower_is_better},
      {"wait_p99", lower_is_better},
      {"slowdown_mean", lower_is_better},
      {"bounded_slowdown_mean", lower_is_better},
      {"utilisation", higher_is_better},
      {"load_variance_mean", lower_is_better},
      {"reservation_hits", higher_is_better},
      {"reservation_misses", lower_is_better},
      {"reserved_idle_gpu_seconds", lower_is_better},
      {"deadline_jobs", either},
      {"deadline_misses", lower_is_better},
      {"deadline_miss_rate", lower_is_better},
      {"fairness_jain", higher_is_better},
      {"responsiveness", higher_is_better},
      {"busy_variance", lower_is_better},
      {"energy_kwh", lower_is_better},
      {"cost", lower_is_better},
      {"preemptions", lower_is_better},
      {"migrations", lower_is_better},
      {"failed_attempts", lower_is_better},
      {"failed_gpu_seconds", lower_is_better},
      {"final_wait_mean", lower_is_better},
      {"hardware_failures", lower_is_better},
      {"failure_stops", lower_is_better},
      {"lost_gpu_seconds", lower_is_better},
      {"useful_gpu_seconds", higher_is_better},
      {"goodput_utilisation", higher_is_better},
      {"busy_gpu_seconds", either},
      {"scheduler_seconds", lower_is_better},
      {"wall_seconds", lower_is_better},
      {"events", either},
      {"events_per_second", higher_is_better},
  }};
  for (const auto& [name, d] : kKnown) {
    if (name == metric) return d;
  }
  return either;
}

}  // namespace fastgpu
