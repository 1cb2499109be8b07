#pragma once
// Knobs of the engine itself (the [engine] table of a config).
#include <cstdint>
#include <memory>
#include <string>

#include "sim/failure_spec.h"
#include "sim/run_limits.h"
#include "sim/types.h"

namespace fastgpu {

// What policies are told about job runtimes.
enum class EstimateKind : std::uint8_t {
  oracle,  // the true work
  noisy,   // true work x exp(sigma * N(0,1)), seeded per job
  user,    // the trace's requested time (NaN where the trace has none)
  none,    // NaN: policies must not rely on runtimes
};
EstimateKind parse_estimate_kind(const std::string& s);  // throws InputError
std::string to_string(EstimateKind k);

struct EngineOptions {
  EstimateKind estimate = EstimateKind::oracle;
  double estimate_sigma = 0.5;        // log-normal sigma for `noisy`
  Seconds monitor_interval = 60;      // seconds between load samples and time-series rows
  Seconds checkpoint_seconds = 10;    // preemption: GPUs held this long before release
  Seconds restore_seconds = 10;       // resuming a preempted job costs this before progress
  double checkpoint_seconds_per_gb = 0;  // extra checkpoint/restore time per GB of GPU memory
  double responsiveness_alpha = 0.5;  // weight of GPU load in the responsiveness metric (s per busy fraction)
  // An allocation that ends in failure (a trace's failed attempt) re-queues
  // its job; true keeps the progress made (as if checkpointed), false restarts
  // the job from scratch, as Philly's retried jobs did.
  bool keep_progress_on_failure = false;
  // Hardware failures and repairs ([failures]); null: none.
  std::shared_ptr<const FailureSpec> failures;
  bool check_invariants = false;      // verify invariants after every instant (slow)
  std::uint64_t seed = 1;             // for the noisy estimator and policies that draw
  RunLimits limits;                   // budgets: simulated time, events, time-series memory
};

}  // namespace fastgpu
