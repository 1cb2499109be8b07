#pragma once
// Hardware failures of a run: either a list of recorded outages (a failure
// trace) or a seeded model that draws each GPU's times between failures and
// repair times. Built by the config reader, read by HardwareFailures.
#include <cstdint>
#include <vector>

#include "sim/types.h"

namespace fastgpu {

// One recorded outage: GPUs [first_gpu, first_gpu + gpus) are out of service
// during [time, time + duration).
struct Outage {
  Seconds time = 0;
  Seconds duration = 0;
  GpuIndex first_gpu = 0;
  std::uint32_t gpus = 1;
};

enum class FailureModel : std::uint8_t {
  none,         // no failures (the default)
  trace,        // FailureSpec::outages
  exponential,  // times between failures exponential with mean MTBF
  weibull,      // Weibull with FailureSpec::weibull_shape and mean MTBF
};

// Per GPU type. An infinite MTBF means GPUs of the type never fail.
struct TypeReliability {
  Seconds mtbf = kNever;  // mean time between failures of one GPU
  Seconds mttr = 0;       // mean repair time (drawn exponential)
};

struct FailureSpec {
  FailureModel model = FailureModel::none;
  std::vector<Outage> outages;                // trace: sorted by time
  std::vector<TypeReliability> reliability;   // model: indexed by GPU type
  double weibull_shape = 1.0;
  // Seconds of progress (on a speed-1 GPU) between a job's periodic
  // checkpoints; 0: none, a failure sends the job back to its last preemption
  // checkpoint or to the beginning.
  Seconds checkpoint_interval = 0;

  bool active() const { return model != FailureModel::none; }
};

}  // namespace fastgpu
