#pragma once
// Which way is better for each summary metric (summary_fields names), used to
// rank policies, to phrase paired comparisons and by the regression gate.
#include <optional>
#include <string>

namespace fastgpu {

enum class Direction {
  lower_is_better,   // times, slowdowns, variance, rejections, energy, cost
  higher_is_better,  // utilisation, completed jobs, fairness, responsiveness
  either,            // no better side (counts of the input): any change matters
};

// "lower-is-better", "higher-is-better", "either".
std::string to_string(Direction d);
// Parses the names above; nullopt for anything else.
std::optional<Direction> parse_direction(const std::string& text);

// The known direction of a summary metric; `either` for metrics describing
// the input or the run itself (jobs_total, deadline_jobs, events) and for
// names it does not know.
Direction metric_direction(const std::string& metric);

}  // namespace fastgpu
