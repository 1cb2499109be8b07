// time-window: the seed's time-window scheduling. The engine delivers a job
// only once its window has opened (Job::earliest_start); the policy then runs
// jobs earliest-deadline-first (jobs without a deadline after them, in arrival
// order), with head-of-line blocking, and with admission control at arrival:
// if a job cannot finish by its deadline even if started as soon as possible
// (by estimate), it is rejected with a reason (on_infeasible = "reject") or
// admitted and counted as a deadline miss when it ends late ("run-late").
//
// Preemption (preemptive = true, the default): when the EDF head does not fit,
// running preemptible jobs with a strictly later deadline are preempted,
// latest deadline first, until enough GPUs of one type the head may use are
// being freed; while any preempted job is still checkpointing, nothing more is
// preempted. With zero checkpoint/restore cost on one GPU this is preemptive
// EDF, which meets every deadline of any feasible instance (Dertouzos 1974).
//
// The admission estimate: the job starts now if enough GPUs are free (counting
// those it would preempt) and no pending job is ahead of it; otherwise after
// the work ahead of it drains through the whole cluster's capacity (a fluid
// bound): W = estimated remaining GPU-work of the pending jobs ahead in EDF
// order + of the running jobs it would not preempt, start = now + W / sum of
// GPU speeds, finish = start + its estimated work / its fastest allowed
// type's speed. Exact on one GPU; O(log n) per arrival (Fenwick trees over the
// jobs in deadline order). Jobs without an estimate are admitted.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <set>

#include "policies/builtin_policies.h"
#include "policies/placement.h"

namespace fastgpu {

namespace {

// Prefix sums over positions 0..n-1 with point updates, O(log n) each.
class Fenwick {
 public:
  void reset(std::size_t n) { tree_.assign(n + 1, 0.0); }
  void add(std::size_t pos, double v) {
    for (std::size_t i = pos + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += v;
  }
  // Sum over positions < end.
  double prefix(std::size_t end) const {
    double s = 0;
    for (std::size_t i = end; i > 0; i -= i & (~i + 1)) s += tree_[i];
    return s;
  }

 private:
  std::vector<double> tree_;
};

const char* const kRejectReason = "deadline cannot be met: estimated finish after the deadline at arrival";

class TimeWindowPolicy : public Policy {
 public:
  TimeWindowPolicy(bool reject, bool preemptive, std::unique_ptr<Placement> placement)
      : reject_(reject), preemptive_(preemptive), placement_(std::move(placement)) {}

  void init(SchedulingContext& ctx) override {
    placement_->init(ctx);
    const auto& jobs = ctx.workload().jobs;
    const std::size_t n = jobs.size();
    // EDF rank of every job: (deadline, index); no deadline = infinity, so those come last in arrival order.
    by_rank_.resize(n);
    std::iota(by_rank_.begin(), by_rank_.end(), 0);
    std::stable_sort(by_rank_.begin(), by_rank_.end(),
                     [&](JobIndex a, JobIndex b) { return jobs[a].deadline < jobs[b].deadline; });
    rank_.resize(n);
    sorted_deadlines_.resize(n);
    for (std::uint32_t r = 0; r < n; ++r) {
      rank_[by_rank_[r]] = r;
      sorted_deadlines_[r] = jobs[by_rank_[r]].deadline;
    }
    pending_work_.reset(n);
    running_a_.reset(n);
    running_b_.reset(n);
    work_in_.assign(n, 0);
    a_in_.assign(n, 0);
    b_in_.assign(n, 0);
    const ClusterState& cluster = ctx.cluster();
    capacity_ = 0;
    for (TypeIndex t = 0; t < cluster.num_types(); ++t)
      capacity_ += cluster.gpus_of_type(t) * cluster.gpu_type(t).speed;
  }
  void finish(SchedulingContext& ctx) override { placement_->finish(ctx); }
  void on_monitor(SchedulingContext& ctx) override { placement_->on_monitor(ctx); }

  void on_arrival(SchedulingContext& ctx, JobIndex j) override {
    const Job& job = ctx.job(j);
    if (job.has_deadline() && !admissible(ctx, j)) {
      if (reject_) {
        ctx.reject(j, kRejectReason);
        ++rejected_;
        return;
      }
      ++admitted_late_;
    }
    enqueue(ctx, j);
  }

  void on_requeue(SchedulingContext& ctx, JobIndex j) override {
    --suspending_;
    enqueue(ctx, j);
  }

  void on_finish(SchedulingContext&, JobIndex j) override { leave_running(j); }

  void schedule(SchedulingContext& ctx) override {
    while (!queue_.empty()) {
      const JobIndex j = by_rank_[queue_.top()];
      if (!placement_->place(ctx, j, gpus_)) {
        if (preemptive_ && suspending_ == 0) preempt_for(ctx, j);
        break;
      }
      queue_.pop();
      pending_work_.add(rank_[j], -work_in_[j]);
      work_in_[j] = 0;
      ctx.start(j, gpus_);
      enter_running(ctx, j);
    }
  }

  std::map<std::string, std::string> attributes() const override {
    return {{"tw_rejected", fmt::format("{}", rejected_)},
            {"tw_admitted_infeasible", fmt::format("{}", admitted_late_)},
            {"tw_preemptions", fmt::format("{}", preemptions_)}};
  }

 private:
  void enqueue(const SchedulingContext& ctx, JobIndex j) {
    queue_.push(rank_[j]);
    const double w = ctx.estimated_remaining_work(j);
    work_in_[j] = std::isnan(w) ? 0.0 : w * ctx.job(j).num_gpus * ctx.job(j).gpu_share;
    pending_work_.add(rank_[j], work_in_[j]);
  }

  void enter_running(const SchedulingContext& ctx, JobIndex j) {
    const Seconds f = ctx.estimated_finish(j);
    if (f != kNever) {
      const double rate = ctx.rate_on(j, ctx.gpus_of(j));
      b_in_[j] = ctx.job(j).num_gpus * ctx.job(j).gpu_share * rate;
      a_in_[j] = b_in_[j] * f;
      running_a_.add(rank_[j], a_in_[j]);
      running_b_.add(rank_[j], b_in_[j]);
    }
    if (ctx.job(j).preemptible && ctx.job(j).gpu_share >= 1.0f) victims_.insert(rank_[j]);
    ++running_changes_;
  }

  void leave_running(JobIndex j) {
    running_a_.add(rank_[j], -a_in_[j]);
    running_b_.add(rank_[j], -b_in_[j]);
    a_in_[j] = b_in_[j] = 0;
    victims_.erase(rank_[j]);
    ++running_changes_;
  }

  bool admissible(const SchedulingContext& ctx, JobIndex j) const {
    const Job& job = ctx.job(j);
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
    const std::size_t upto = preemptive_
                                 ? static_cast<std::size_t>(std::upper_bound(sorted_deadlines_.begin(),
                                                                             sorted_deadlines_.end(), job.deadline) -
                                                            sorted_deadlines_.begin())
                                 : sorted_deadlines_.size();
    const double running_ahead = running_a_.prefix(upto) - now * running_b_.prefix(upto);
    const double pending_ahead = pending_work_.prefix(rank_[j]);
    // Free now (or freed by preemption) and nobody ahead: it starts at once.
    bool starts_now = false;
    if (queue_ahead_empty(j)) {
      std::uint32_t freed = free;
      if (preemptive_ && free < job.num_gpus) freed += preemptible_gpus_after(ctx, job.deadline, job.num_gpus - free);
      starts_now = freed >= job.num_gpus;
    }
    const Seconds start = starts_now ? now : now + std::max(0.0, running_ahead + pending_ahead) / capacity_;
    const Seconds finish = start + work / fastest;
    return finish <= job.deadline + 1e-9 * std::max(1.0, std::abs(job.deadline));
  }

  bool queue_ahead_empty(JobIndex j) const { return queue_.empty() || queue_.top() > rank_[j]; }

  // GPUs of running whole-GPU preemptible jobs with a deadline later than d
  // (any type), counted until `enough`: O(enough) victims at most.
  std::uint32_t preemptible_gpus_after(const SchedulingContext& ctx, Seconds d, std::uint32_t enough) const {
    std::uint32_t gpus = 0;
    for (auto it = victims_.rbegin(); it != victims_.rend() && gpus < enough; ++it) {
      const JobIndex v = by_rank_[*it];
      if (!(ctx.job(v).deadline > d)) break;
      gpus += ctx.job(v).num_gpus;
    }
    return gpus;
  }

  // Frees GPUs for the blocked head by preempting later-deadline jobs on one
  // type it may use; nothing if no type can gather enough.
  void preempt_for(SchedulingContext& ctx, JobIndex head) {
    if (failed_head_ == head && failed_changes_ == running_changes_) return;  // nothing changed since the last try
    const ClusterState& cluster = ctx.cluster();
    const Job& h = ctx.job(head);
    const std::uint32_t k = h.gpu_share < 1.0f ? 1 : h.num_gpus;
    std::vector<std::uint32_t> gathered(cluster.num_types(), 0);
    std::vector<std::vector<JobIndex>> chosen(cluster.num_types());
    for (auto it = victims_.rbegin(); it != victims_.rend(); ++it) {
      const JobIndex v = by_rank_[*it];
      if (!(ctx.job(v).deadline > h.deadline)) break;
      const TypeIndex t = cluster.type_of(ctx.gpus_of(v).front());
      if (!ctx.type_allowed(head, t) || k > cluster.gpus_of_type(t)) continue;
      gathered[t] += ctx.job(v).num_gpus;
      chosen[t].push_back(v);
      if (cluster.free_gpus_of_type(t) + gathered[t] >= k) {
        for (JobIndex c : chosen[t]) {
          ctx.preempt(c);
          leave_running(c);
          ++suspending_;
          ++preemptions_;
        }
        return;
      }
    }
    failed_head_ = head;
    failed_changes_ = running_changes_;
  }

  bool reject_, preemptive_;
  std::unique_ptr<Placement> placement_;
  std::vector<JobIndex> by_rank_;
  std::vector<std::uint32_t> rank_;
  std::vector<Seconds> sorted_deadlines_;
  std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, std::greater<>> queue_;  // EDF ranks
  std::set<std::uint32_t> victims_;  // ranks of running whole-GPU preemptible jobs
  Fenwick pending_work_, running_a_, running_b_;
  std::vector<double> work_in_, a_in_, b_in_;
  double capacity_ = 1;
  std::vector<GpuIndex> gpus_;
  std::uint32_t suspending_ = 0;
  std::uint64_t running_changes_ = 0, failed_changes_ = 0;
  JobIndex failed_head_ = kNoJob;
  std::uint64_t rejected_ = 0, admitted_late_ = 0, preemptions_ = 0;
};

}  // namespace

PolicyInfo time_window_policy() {
  return {
      .name = "time-window",
      .summary =
          "earliest deadline first inside each job's time window, with admission control (jobs that cannot "
          "meet their deadline by estimate are rejected or run late) and optional preemption",
      .source = "the seed's time-window strategy (design notes, section 3); EDF: Liu & Layland 1973, Dertouzos 1974",
      .params =
          {
              {.name = "on_infeasible",
               .default_value = std::string("reject"),
               .help = "a job that cannot meet its deadline at arrival: reject it, or run it and count the miss",
               .choices = {"reject", "run-late"}},
              {.name = "preemptive",
               .default_value = true,
               .help = "preempt later-deadline jobs when the earliest-deadline job does not fit",
               .choices = {}},
              {.name = "placement",
               .default_value = std::string("first-fit"),
               .help = "which GPUs a job gets",
               .choices = placement_names()},
          },
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<TimeWindowPolicy>(p.get_string("on_infeasible") == "reject",
                                                      p.get_bool("preemptive"),
                                                      make_placement(p.get_string("placement")));
          },
  };
}

}  // namespace fastgpu
