#include "sim/engine_options.h"

#include "sim/error.h"

namespace fastgpu {

EstimateKind parse_estimate_kind(const std::string& s) {
  if (s == "oracle") return EstimateKind::oracle;
  if (s == "noisy") return EstimateKind::noisy;
  if (s == "user") return EstimateKind::user;
  if (s == "none") return EstimateKind::none;
  throw InputError(SourceLocation{"", 0, "engine.estimate"},
                   "unknown runtime estimate '" + s + "' (known: oracle, noisy, user, none)");
}

std::string to_string(EstimateKind k) {
  switch (k) {
    case EstimateKind::oracle: return "oracle";
    case EstimateKind::noisy: return "noisy";
    case EstimateKind::user: return "user";
    case EstimateKind::none: return "none";
  }
  return "oracle";
}

}  // namespace fastgpu
