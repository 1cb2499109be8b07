#pragma once
// The interface every scheduling policy implements. The engine calls the
// notification hooks as events happen and then `schedule` once per simulated
// instant; the policy acts only through the SchedulingContext, which validates
// each action. A policy keeps whatever queue structure makes its decisions
// cheap (a FIFO deque, a heap by estimate...): scanning the whole pending set
// on every call would make replay quadratic.
#include <cstdint>
#include <map>
#include <string>

#include "sim/types.h"

namespace fastgpu {

class SchedulingContext;

class Policy {
 public:
  virtual ~Policy() = default;

  // Once, before the first event: attach indexes, set initial timers.
  virtual void init(SchedulingContext&) {}
  // A job entered the pending set (arrived, or its dependencies finished).
  virtual void on_arrival(SchedulingContext&, JobIndex) {}
  // A running job finished; its GPUs are already free.
  virtual void on_finish(SchedulingContext&, JobIndex) {}
  // A preempted job is pending again (its checkpoint completed).
  virtual void on_requeue(SchedulingContext&, JobIndex) {}
  // A running job's run ended in failure; its GPUs are already free and it is
  // pending again (a retry). By default it leaves like a finished job and
  // queues like a new arrival.
  virtual void on_failure(SchedulingContext& ctx, JobIndex j) {
    on_finish(ctx, j);
    on_arrival(ctx, j);
  }
  // A running job was stopped by the engine because its GPUs were lent by
  // another virtual cluster that now needs them; it is pending again with its
  // progress kept. By default it leaves like a finished job and queues like a
  // new arrival.
  virtual void on_reclaim(SchedulingContext& ctx, JobIndex j) {
    on_finish(ctx, j);
    on_arrival(ctx, j);
  }
  // A timer set with SchedulingContext::set_timer fired.
  virtual void on_timer(SchedulingContext&, std::uint64_t /*tag*/) {}
  // A monitor sample updated the per-GPU loads.
  virtual void on_monitor(SchedulingContext&) {}
  // Decide: start, preempt, migrate, reject, reserve. Called once per
  // simulated instant, after all of that instant's events were applied.
  virtual void schedule(SchedulingContext&) = 0;
  // Once, after the last event: release anything attached in init().
  virtual void finish(SchedulingContext&) {}
  // Facts about the run for the HDF5 attributes (e.g. the GA backend used).
  virtual std::map<std::string, std::string> attributes() const { return {}; }
};

}  // namespace fastgpu
