#pragma once
// Iterated local search, the baseline the memetic GA is measured against:
// start from Min-Min (or a given schedule), descend with the GA's move/swap local search
// (local_search.h) to a local optimum, then repeat: copy the best schedule,
// reassign 1-4 random tasks to random machines (the kick), descend again, and
// keep the result when its makespan is not above the best's. Makespan only,
// one thread; for instances of width-1 tasks each allowed on every machine.
// Kick draws are Philox4x32-10 keyed by (seed, iteration), so a seed and an
// iteration budget give the same schedule every time.
#include <cstdint>
#include <vector>

#include "policies/ga/etc_instance.h"

namespace fastgpu::ga {

struct IlsParams {
  std::uint64_t seed = 1;
  std::uint32_t iterations = 100000;   // kicks
  double time_limit_seconds = 0;       // wall clock; 0 = none
  double cpu_time_limit_seconds = 0;   // process CPU time; 0 = none
  std::uint32_t max_kick = 4;          // a kick reassigns 1 .. max_kick tasks
  std::uint32_t descent_steps = 100000;  // per descent
  bool ejection_chains = false;          // the plain baseline: move/swap only
  std::vector<std::uint32_t> start;      // the first schedule (a machine per task); empty = Min-Min's
};

struct IlsPoint {
  std::uint32_t iteration;
  double seconds;
  Ticks makespan;
};

struct IlsResult {
  std::vector<std::uint32_t> assignment;
  Ticks makespan = 0;
  std::uint32_t iterations = 0;        // kicks done
  std::vector<IlsPoint> improvements;  // iteration 0 = after the first descent
  double seconds = 0;
};

// Throws std::invalid_argument when a task has width > 1 or a restricted slot list.
IlsResult run_ils(const EtcInstance& inst, const IlsParams& params);

}  // namespace fastgpu::ga
