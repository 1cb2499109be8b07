#include "policies/parts/ordering.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "policies/preemption.h"
#include "sim/error.h"
#include "sim/parse_number.h"

namespace fastgpu {

namespace {

class ArrivalOrdering final : public Ordering {
 public:
  Rank rank(const SchedulingContext& ctx, JobIndex j, bool) override { return {ctx.job(j).submit, j}; }
};

class EstimateOrdering final : public Ordering {
 public:
  explicit EstimateOrdering(bool by_area) : by_area_(by_area) {}
  Rank rank(const SchedulingContext& ctx, JobIndex j, bool) override {
    const double estimate = ctx.estimated_remaining_work(j);
    if (std::isnan(estimate)) return {kNever, j};
    const Job& job = ctx.job(j);
    return {by_area_ ? estimate * job.num_gpus * job.gpu_share : estimate, j};
  }

 private:
  bool by_area_;
};

class RemainingOrdering final : public Ordering {
 public:
  explicit RemainingOrdering(double min_gain) : min_gain_(min_gain) {}
  Rank rank(const SchedulingContext& ctx, JobIndex j, bool) override {
    const double remaining = ctx.estimated_remaining_work(j);
    return {std::isnan(remaining) ? kNever : remaining, seq_++};
  }
  bool ranks_running() const override { return true; }
  // Victims need a comparable estimate; the longest expected finish goes first.
  std::optional<VictimRank> victim_rank(const SchedulingContext& ctx, JobIndex j) const override {
    const Seconds finish = ctx.estimated_finish(j);
    if (finish == kNever) return std::nullopt;
    return VictimRank{-finish, 0, -static_cast<std::int64_t>(j)};
  }
  bool may_preempt_for(const SchedulingContext& ctx, JobIndex head) const override {
    return !std::isnan(ctx.estimated_remaining_work(head));
  }
  bool outranks(const SchedulingContext& ctx, JobIndex head, JobIndex victim) const override {
    return ctx.estimated_remaining_work(victim) > ctx.estimated_remaining_work(head) + min_gain_;
  }

 private:
  double min_gain_;
  std::uint64_t seq_ = 0;
};

// The aging rate is common to all jobs, so the order of two waiting jobs never
// changes while they wait: priority + rate x (waited_before + now - entered)
// orders like priority + rate x (waited_before - entered), a key fixed when
// the job enters the queue.
class PriorityOrdering final : public Ordering {
 public:
  explicit PriorityOrdering(double aging_per_hour) : aging_per_second_(aging_per_hour / 3600.0) {}
  void init(const SchedulingContext& ctx) override {
    const std::size_t n = ctx.workload().jobs.size();
    waited_.assign(n, 0);
    entered_.assign(n, 0);
    arrival_seq_.assign(n, 0);
  }
  Rank rank(const SchedulingContext& ctx, JobIndex j, bool arrival) override {
    if (arrival) arrival_seq_[j] = seq_++;
    entered_[j] = ctx.now();
    return {-(ctx.job(j).priority + aging_per_second_ * (waited_[j] - entered_[j])), arrival_seq_[j]};
  }
  void starting(const SchedulingContext& ctx, JobIndex j) override { waited_[j] += ctx.now() - entered_[j]; }
  bool ranks_running() const override { return true; }
  // Lowest base priority first, most recently started first among equals.
  // Base (not aged) priorities bound thrashing: a victim never preempts its preemptor back.
  std::optional<VictimRank> victim_rank(const SchedulingContext& ctx, JobIndex j) const override {
    return VictimRank{static_cast<double>(ctx.job(j).priority), -ctx.now(), static_cast<std::int64_t>(j)};
  }
  bool outranks(const SchedulingContext& ctx, JobIndex head, JobIndex victim) const override {
    return ctx.job(victim).priority < ctx.job(head).priority;
  }

 private:
  double aging_per_second_;
  std::uint64_t seq_ = 0;
  std::vector<Seconds> waited_;   // per job: seconds waited in earlier queue stays
  std::vector<Seconds> entered_;  // per job: when it last entered the queue
  std::vector<std::uint64_t> arrival_seq_;
};

class DeadlineOrdering final : public Ordering {
 public:
  Rank rank(const SchedulingContext& ctx, JobIndex j, bool) override { return {ctx.job(j).deadline, j}; }
  bool ranks_running() const override { return true; }
  std::optional<VictimRank> victim_rank(const SchedulingContext& ctx, JobIndex j) const override {
    return VictimRank{-ctx.job(j).deadline, 0, -static_cast<std::int64_t>(j)};
  }
  bool outranks(const SchedulingContext& ctx, JobIndex head, JobIndex victim) const override {
    return ctx.job(victim).deadline > ctx.job(head).deadline;
  }
};

class AttainedOrdering final : public Ordering {
 public:
  explicit AttainedOrdering(std::vector<double> thresholds) : thresholds_(std::move(thresholds)) {}
  Rank rank(const SchedulingContext& ctx, JobIndex j, bool) override {
    const double level = static_cast<double>(
        std::upper_bound(thresholds_.begin(), thresholds_.end(), ctx.attained_service(j)) - thresholds_.begin());
    return {level, seq_++};
  }

 private:
  std::vector<double> thresholds_;
  std::uint64_t seq_ = 0;
};

}  // namespace

std::unique_ptr<Ordering> arrival_ordering() { return std::make_unique<ArrivalOrdering>(); }
std::unique_ptr<Ordering> estimate_ordering(bool by_area) { return std::make_unique<EstimateOrdering>(by_area); }
std::unique_ptr<Ordering> remaining_ordering(double min_gain) { return std::make_unique<RemainingOrdering>(min_gain); }
std::unique_ptr<Ordering> priority_ordering(double aging_per_hour) {
  return std::make_unique<PriorityOrdering>(aging_per_hour);
}
std::unique_ptr<Ordering> deadline_ordering() { return std::make_unique<DeadlineOrdering>(); }
std::unique_ptr<Ordering> attained_ordering(std::vector<double> thresholds) {
  return std::make_unique<AttainedOrdering>(std::move(thresholds));
}

std::vector<double> parse_thresholds(const std::string& text, const std::string& policy, const std::string& param) {
  const std::string what = "policy '" + policy + "': parameter '" + param + "'";
  std::vector<double> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto first = item.find_first_not_of(" \t");
    if (first == std::string::npos) {
      if (text.find_first_not_of(" \t") == std::string::npos) break;  // "" = one level
      throw InputError(what + ": empty entry in '" + text + "'");
    }
    double value = 0;
    if (parse_number(std::string_view(item).substr(first), value, {.blanks = true, .plus = true}) !=
        NumberError::none) {
      throw InputError(what + ": '" + item + "' is not a number");
    }
    if (!(value > 0) || !std::isfinite(value) || (!out.empty() && value <= out.back())) {
      throw InputError(what + " must be positive and strictly increasing, got '" + text + "'");
    }
    out.push_back(value);
  }
  return out;
}

}  // namespace fastgpu
