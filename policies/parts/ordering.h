#pragma once
// Ordering: which waiting job goes next, and (for orderings that can rank
// running jobs too) which running jobs a waiting job may preempt, in which
// order. One part of a composed queue policy (policies/queue_policy.h); the
// others are the preemption switch, the admission and the placement.
#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/policy_params.h"
#include "sim/scheduling_context.h"

namespace fastgpu {

// A waiting job's place in the queue: smaller goes first. `tie` breaks equal
// keys (arrival order in some form), so no two jobs compare equal.
struct Rank {
  double key = 0;
  std::uint64_t tie = 0;
  auto operator<=>(const Rank&) const = default;
};

// A running job's place among the victims: smaller is preempted first.
struct VictimRank {
  double first = 0, second = 0;
  std::int64_t tie = 0;
  auto operator<=>(const VictimRank&) const = default;
};

class Ordering {
 public:
  virtual ~Ordering() = default;
  virtual void init(const SchedulingContext&) {}
  // j enters the waiting set: arrived (`arrival`) or requeued after preemption.
  virtual Rank rank(const SchedulingContext& ctx, JobIndex j, bool arrival) = 0;
  // j leaves the waiting set to start (called before ctx.start).
  virtual void starting(const SchedulingContext&, JobIndex) {}

  // Whether running jobs are ranked too; only such orderings can preempt.
  virtual bool ranks_running() const { return false; }
  // Victim rank of j, which just started; nullopt: it is never a victim.
  virtual std::optional<VictimRank> victim_rank(const SchedulingContext&, JobIndex) const { return std::nullopt; }
  // Whether waiting `head` may preempt anything at all.
  virtual bool may_preempt_for(const SchedulingContext&, JobIndex /*head*/) const { return true; }
  // Whether `head` outranks running `victim`. Victims are offered in victim
  // rank order and the first one not outranked ends the search.
  virtual bool outranks(const SchedulingContext&, JobIndex /*head*/, JobIndex /*victim*/) const { return false; }
};

// Arrival: submit time, ties by job index (first come, first served).
std::unique_ptr<Ordering> arrival_ordering();
// Estimate: estimated remaining work when the job enters the queue, by
// duration or by GPU-seconds (`by_area`); jobs without an estimate last.
std::unique_ptr<Ordering> estimate_ordering(bool by_area);
// Remaining: estimated remaining work, ties in queue-entry order; a waiting
// job outranks running jobs whose estimated remaining work exceeds its own by
// more than `min_gain`, longest expected finish preempted first.
std::unique_ptr<Ordering> remaining_ordering(double min_gain);
// Priority: Job::priority (higher first) plus `aging_per_hour` per hour
// waited; outranks running jobs of strictly lower base priority, lowest
// priority and latest start preempted first.
std::unique_ptr<Ordering> priority_ordering(double aging_per_hour);
// Deadline: earliest deadline first (no deadline last, ties by job index);
// outranks running jobs with a strictly later deadline, latest first.
std::unique_ptr<Ordering> deadline_ordering();
// Attained: least attained service (GPU-seconds held) first, discretised into
// levels by `thresholds` (increasing GPU-seconds), FIFO inside a level.
std::unique_ptr<Ordering> attained_ordering(std::vector<double> thresholds);

// "3250, 7200" -> {3250, 7200}: positive, strictly increasing; "" = no
// thresholds. InputError naming `policy`'s parameter `param` otherwise.
std::vector<double> parse_thresholds(const std::string& text, const std::string& policy, const std::string& param);

}  // namespace fastgpu
