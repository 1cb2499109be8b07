#pragma once
// The common shape of list schedulers: pending jobs kept in a heap by a fixed
// key (smallest first), started in that order while the placement finds GPUs,
// stopping at the first job that does not fit (head-of-line blocking, so no
// job is overtaken and starved). O(log n) per job; a blocked head costs one
// placement attempt per instant.
#include <functional>
#include <memory>
#include <queue>
#include <utility>
#include <vector>

#include "policies/placement.h"
#include "sim/policy.h"
#include "sim/scheduling_context.h"

namespace fastgpu {

class OrderedQueuePolicy : public Policy {
 public:
  // key(ctx, j): the job's rank, computed once when it enters the queue.
  using KeyFn = std::function<double(const SchedulingContext&, JobIndex)>;
  OrderedQueuePolicy(KeyFn key, std::unique_ptr<Placement> placement)
      : key_(std::move(key)), placement_(std::move(placement)) {}

  void init(SchedulingContext& ctx) override { placement_->init(ctx); }
  void finish(SchedulingContext& ctx) override { placement_->finish(ctx); }
  void on_monitor(SchedulingContext& ctx) override { placement_->on_monitor(ctx); }
  void on_arrival(SchedulingContext& ctx, JobIndex j) override { queue_.push({key_(ctx, j), j}); }
  void on_requeue(SchedulingContext& ctx, JobIndex j) override { queue_.push({key_(ctx, j), j}); }

  void schedule(SchedulingContext& ctx) override {
    while (!queue_.empty()) {
      const JobIndex j = queue_.top().second;
      if (!placement_->place(ctx, j, gpus_)) break;
      queue_.pop();
      ctx.start(j, gpus_);
    }
  }

 private:
  using Entry = std::pair<double, JobIndex>;  // (key, index): the index breaks ties by arrival order
  KeyFn key_;
  std::unique_ptr<Placement> placement_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  std::vector<GpuIndex> gpus_;
};

}  // namespace fastgpu
