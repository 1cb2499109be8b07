// [engine]: the runtime estimate policies see, the monitor period, checkpoint
// and restore costs, the metric's alpha and invariant checking.
#include <cmath>

#include "config/sections.h"

namespace fastgpu::config_reader {

namespace {

// The engine's numbers, in reading order, one line each: a key and the
// EngineOptions field it sets are renamed together on that line.
struct EngineNumber {
  const char* key;
  double EngineOptions::*field;
  bool period;  // a period in seconds, > 0 (the others are >= 0)
};
constexpr EngineNumber kEngineNumbers[] = {
    {"estimate_sigma", &EngineOptions::estimate_sigma, false},
    {"monitor_interval", &EngineOptions::monitor_interval, true},
    {"checkpoint_seconds", &EngineOptions::checkpoint_seconds, false},
    {"restore_seconds", &EngineOptions::restore_seconds, false},
    {"checkpoint_seconds_per_gb", &EngineOptions::checkpoint_seconds_per_gb, false},
    {"responsiveness_alpha", &EngineOptions::responsiveness_alpha, false},
};

}  // namespace

void read_engine(TableReader t, EngineOptions& e, ReadContext& ctx) {
  std::string estimate;
  if (t.read("estimate", estimate)) {
    try {
      e.estimate = parse_estimate_kind(estimate);
    } catch (const InputError&) {
      ctx.fail(t.key("estimate"), fmt::format("must be one of oracle, noisy, user, none; got \"{}\"", estimate));
    }
  }
  // The key's former name, read first so that the new one wins when both are written.
  t.read("seed_alpha", e.responsiveness_alpha);
  for (const EngineNumber& n : kEngineNumbers) t.read(n.key, e.*n.field);
  t.read("check", e.check_invariants);
  t.read("keep_progress_on_failure", e.keep_progress_on_failure);
  t.finish();
}

void validate_engine(const EngineOptions& e, const ReadContext& ctx) {
  for (const EngineNumber& n : kEngineNumbers) {
    const double v = e.*n.field;
    const std::string key = std::string("engine.") + n.key;
    if (n.period) {
      ctx.check(std::isfinite(v) && v > 0, key, fmt::format("must be > 0 seconds, got {}", v));
    } else {
      ctx.check(std::isfinite(v) && v >= 0, key, fmt::format("must be >= 0, got {}", v));
    }
  }
}

}  // namespace fastgpu::config_reader
