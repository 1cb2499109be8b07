#pragma once
// The stream of hardware state changes of one run: GPUs (or a node's GPUs)
// fail and are repaired. The engine merges it with its event queue like the
// arrival cursor, and asks for it only while jobs are left, so a model that
// draws failures forever ends with the run.
//
// A trace replays its outages. A model draws, per GPU, the time to its next
// failure (exponential or Weibull with the type's MTBF) and its repair time
// (exponential with the type's MTTR); draw k of GPU g is a pure function of
// (seed, g, k), so a seed gives bit-identical failures whatever the schedule.
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/cluster_state.h"
#include "sim/failure_spec.h"

namespace fastgpu {

class HardwareFailures {
 public:
  // spec may be null (no failures).
  HardwareFailures(std::shared_ptr<const FailureSpec> spec, const ClusterState& cluster, std::uint64_t seed);

  bool active() const { return spec_ != nullptr; }
  // Time of the next change; kNever when none is left.
  Seconds next_time() const { return heap_.empty() ? kNever : heap_.front().time; }

  struct Change {
    bool fails = false;  // true: the GPUs go out of service; false: repaired
    GpuIndex first_gpu = 0;
    std::uint32_t gpus = 0;
  };
  // Takes the next change and queues what follows from it (its repair, or,
  // for a model, the GPU's next failure).
  Change pop();

  std::uint64_t failures() const { return failures_; }
  // Hardware out of service now: a repair is still to come.
  bool repairs_outstanding() const { return down_ > 0; }

 private:
  struct Entry {
    Seconds time;
    std::uint64_t order;  // repairs before failures at one instant, then insertion order
    GpuIndex first_gpu;
    std::uint32_t gpus;
    Seconds duration;  // failures: how long the hardware stays down
  };
  void push(Seconds time, bool repair, GpuIndex first, std::uint32_t gpus, Seconds duration);
  void push_next_failure(GpuIndex g, Seconds after);

  std::shared_ptr<const FailureSpec> spec_;
  const ClusterState& cluster_;
  std::uint64_t seed_;
  std::vector<Entry> heap_;
  std::vector<std::uint32_t> draws_;  // model: failures drawn so far, per GPU
  std::uint64_t next_seq_ = 0;
  std::uint64_t failures_ = 0;
  std::uint64_t down_ = 0;  // outages begun and not yet repaired
};

}  // namespace fastgpu
