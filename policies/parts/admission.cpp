#include "policies/parts/admission.h"

#include <algorithm>
#include <cmath>

namespace fastgpu {

void PrefixSums::add(std::size_t pos, double v) {
  for (std::size_t i = pos + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += v;
}

double PrefixSums::prefix(std::size_t end) const {
  double s = 0;
  for (std::size_t i = end; i > 0; i -= i & (~i + 1)) s += tree_[i];
  return s;
}

void DeadlineFeasibility::init(const SchedulingContext& ctx, bool preemptive) {
  preemptive_ = preemptive;
  const auto& jobs = ctx.workload().jobs;
  const std::size_t n = jobs.size();
  // Jobs without a deadline (kNever) rank last in index order, as a stable
  // sort of all jobs by deadline would leave them; only the others are sorted.
  by_rank_.clear();
  by_rank_.reserve(n);
  for (JobIndex j = 0; j < n; ++j)
    if (jobs[j].deadline != kNever) by_rank_.push_back(j);
  std::stable_sort(by_rank_.begin(), by_rank_.end(),
                   [&](JobIndex a, JobIndex b) { return jobs[a].deadline < jobs[b].deadline; });
  for (JobIndex j = 0; j < n; ++j)
    if (jobs[j].deadline == kNever) by_rank_.push_back(j);
  rank_.resize(n);
  sorted_deadlines_.resize(n);
  for (std::uint32_t r = 0; r < n; ++r) {
    rank_[by_rank_[r]] = r;
    sorted_deadlines_[r] = jobs[by_rank_[r]].deadline;
  }
  with_deadline_ = static_cast<std::uint32_t>(
      std::lower_bound(sorted_deadlines_.begin(), sorted_deadlines_.end(), kNever) - sorted_deadlines_.begin());
  pending_work_.reset(n);
  running_a_.reset(n);
  running_b_.reset(n);
  work_in_.assign(n, 0);
  a_in_.assign(n, 0);
  b_in_.assign(n, 0);
  victims_.resize(n);
  const ClusterState& cluster = ctx.cluster();
  capacity_ = 0;
  for (TypeIndex t = 0; t < cluster.num_types(); ++t)
    capacity_ += cluster.gpus_of_type(t) * cluster.gpu_type(t).speed;
}

// The sums are read only as far as a job with a deadline looks: a queued job
// counts only the queued ranks before its own, and, with preemption, the
// running ranks up to its deadline, all of them ranks of jobs with a
// deadline. A Fenwick read of a prefix touches no node covering a later
// rank, so leaving out the jobs without a deadline (ranked last) changes
// no value read.
bool DeadlineFeasibility::tracks_pending(JobIndex j) const { return rank_[j] < with_deadline_; }
bool DeadlineFeasibility::tracks_running(JobIndex j) const { return !preemptive_ || rank_[j] < with_deadline_; }

void DeadlineFeasibility::enqueued(const SchedulingContext& ctx, JobIndex j) {
  if (!tracks_pending(j)) return;
  const double w = ctx.estimated_remaining_work(j);
  work_in_[j] = std::isnan(w) ? 0.0 : w * ctx.job(j).num_gpus * ctx.job(j).gpu_share;
  pending_work_.add(rank_[j], work_in_[j]);
}

void DeadlineFeasibility::started(const SchedulingContext& ctx, JobIndex j) {
  if (tracks_pending(j)) {
    pending_work_.add(rank_[j], -work_in_[j]);
    work_in_[j] = 0;
  }
  const Seconds f = tracks_running(j) ? ctx.estimated_finish(j) : kNever;
  if (f != kNever) {
    const double rate = ctx.rate_on(j, ctx.gpus_of(j));
    b_in_[j] = ctx.job(j).num_gpus * ctx.job(j).gpu_share * rate;
    a_in_[j] = b_in_[j] * f;
    running_a_.add(rank_[j], a_in_[j]);
    running_b_.add(rank_[j], b_in_[j]);
  }
  // The victims are read only for a job with a deadline (those with a later
  // one, or none); in a workload without deadlines nobody reads them.
  if (with_deadline_ > 0 && ctx.job(j).preemptible && ctx.job(j).gpu_share >= 1.0f && !victims_.contains(j))
    victims_.insert(j, rank_[j]);
}

void DeadlineFeasibility::left_running(JobIndex j) {
  if (tracks_running(j)) {
    running_a_.add(rank_[j], -a_in_[j]);
    running_b_.add(rank_[j], -b_in_[j]);
    a_in_[j] = b_in_[j] = 0;
  }
  victims_.erase(j);
}

bool DeadlineFeasibility::admissible(const SchedulingContext& ctx, JobIndex j, bool nobody_ahead) const {
  const Job& job = ctx.job(j);
  if (!job.has_deadline()) return true;
  const double work = ctx.estimated_work(j);
  if (std::isnan(work)) return true;
  const ClusterState& cluster = ctx.cluster();
  double fastest = 0;
  std::uint32_t free = 0;
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
    if (!ctx.type_allowed(j, t)) continue;
    fastest = std::max(fastest, cluster.gpu_type(t).speed);
    free = std::max(free, cluster.free_gpus_of_type(t));
  }
  const Seconds now = ctx.now();
  // Running jobs it would not preempt: deadline <= its own (all of them without preemption).
  const std::size_t upto =
      preemptive_ ? static_cast<std::size_t>(std::upper_bound(sorted_deadlines_.begin(), sorted_deadlines_.end(),
                                                              job.deadline) -
                                             sorted_deadlines_.begin())
                  : sorted_deadlines_.size();
  const double running_ahead = running_a_.prefix(upto) - now * running_b_.prefix(upto);
  const double pending_ahead = pending_work_.prefix(rank_[j]);
  // Free now (or freed by preemption) and nobody ahead: it starts at once.
  bool starts_now = false;
  if (nobody_ahead) {
    std::uint32_t freed = free;
    if (preemptive_ && free < job.num_gpus) freed += preemptible_gpus_after(ctx, job.deadline, job.num_gpus - free);
    starts_now = freed >= job.num_gpus;
  }
  const Seconds start = starts_now ? now : now + std::max(0.0, running_ahead + pending_ahead) / capacity_;
  const Seconds finish = start + work / fastest;
  return finish <= job.deadline + 1e-9 * std::max(1.0, std::abs(job.deadline));
}

std::uint32_t DeadlineFeasibility::preemptible_gpus_after(const SchedulingContext& ctx, Seconds d,
                                                          std::uint32_t enough) const {
  std::uint32_t gpus = 0;
  const std::set<std::uint32_t>& victims = victims_.ordered();
  for (auto it = victims.rbegin(); it != victims.rend() && gpus < enough; ++it) {
    const JobIndex v = by_rank_[*it];
    if (!(ctx.job(v).deadline > d)) break;
    gpus += ctx.job(v).num_gpus;
  }
  return gpus;
}

}  // namespace fastgpu
