#pragma once
// Where a job is in its lifecycle during a run.
#include <cstdint>

namespace fastgpu {

enum class JobState : std::uint8_t {
  not_arrived,   // before submit, or waiting for dependencies
  pending,       // in the queue
  running,
  suspending,    // preempted, checkpoint in progress (GPUs still held)
  finished,
  rejected,
};

}  // namespace fastgpu
