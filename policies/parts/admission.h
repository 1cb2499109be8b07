#pragma once
// Admission: whether an arriving job joins the queue at all. One part of a
// composed queue policy (policies/queue_policy.h). An admission sees the
// queue through its hooks: a job enters the queue, starts, stops running.
#include <cstdint>
#include <memory>
#include <set>
#include <vector>

#include "policies/deferred_set.h"
#include "sim/scheduling_context.h"

namespace fastgpu {

class Admission {
 public:
  virtual ~Admission() = default;
  // `preemptive`: the policy preempts later-ranked running jobs for a waiting one.
  virtual void init(const SchedulingContext&, bool /*preemptive*/) {}
  // Arriving job j, before it is queued; `nobody_ahead`: no queued job goes before it.
  virtual bool admissible(const SchedulingContext& ctx, JobIndex j, bool nobody_ahead) const = 0;
  // Whether it ever refuses a job (then the policy reports what it refused).
  virtual bool refuses() const { return true; }
  // Why an inadmissible job is rejected.
  virtual const char* reject_reason() const { return "not admitted"; }
  virtual void enqueued(const SchedulingContext&, JobIndex) {}
  virtual void started(const SchedulingContext&, JobIndex) {}  // after ctx.start
  virtual void left_running(JobIndex) {}                       // finished or preempted
};

// Every job joins the queue.
class AdmitAll final : public Admission {
 public:
  bool admissible(const SchedulingContext&, JobIndex, bool) const override { return true; }
  bool refuses() const override { return false; }
};

// Prefix sums over positions 0..n-1 with point updates, O(log n) each (Fenwick tree).
class PrefixSums {
 public:
  void reset(std::size_t n) { tree_.assign(n + 1, 0.0); }
  void add(std::size_t pos, double v);
  double prefix(std::size_t end) const;  // sum over positions < end

 private:
  std::vector<double> tree_;
};

// Deadline feasibility: a job with a deadline is admitted when, by estimate,
// it can finish by its deadline if served in earliest-deadline-first order.
// It starts now if enough GPUs are free (counting those of later-deadline
// jobs it would preempt, when preemptive) and nobody is ahead; otherwise
// after the work ahead of it drains through the whole cluster's capacity (a
// fluid bound): W = estimated remaining GPU-work of the queued jobs with an
// earlier deadline + of the running jobs it would not preempt, start = now +
// W / sum of GPU speeds, finish = start + its estimated work / its fastest
// allowed type's speed. Exact on one GPU; O(log n) per arrival. Jobs without
// a deadline or without an estimate are admitted.
class DeadlineFeasibility final : public Admission {
 public:
  void init(const SchedulingContext& ctx, bool preemptive) override;
  bool admissible(const SchedulingContext& ctx, JobIndex j, bool nobody_ahead) const override;
  const char* reject_reason() const override {
    return "deadline cannot be met: estimated finish after the deadline at arrival";
  }
  void enqueued(const SchedulingContext& ctx, JobIndex j) override;
  void started(const SchedulingContext& ctx, JobIndex j) override;
  void left_running(JobIndex j) override;

  // Earliest-deadline-first rank of every job: (deadline, index), no deadline last.
  std::uint32_t rank(JobIndex j) const { return rank_[j]; }
  JobIndex job_at(std::uint32_t rank) const { return by_rank_[rank]; }
  // Ranks of the running whole-GPU preemptible jobs (kept only when some job
  // has a deadline: only such a job looks for victims).
  const std::set<std::uint32_t>& running_victims() const { return victims_.ordered(); }

 private:
  // GPUs of running victims with a deadline later than d, counted until `enough`.
  std::uint32_t preemptible_gpus_after(const SchedulingContext& ctx, Seconds d, std::uint32_t enough) const;
  // Whether job j's queued work, and its running work, can reach a value the admission reads.
  bool tracks_pending(JobIndex j) const;
  bool tracks_running(JobIndex j) const;

  bool preemptive_ = false;
  std::vector<JobIndex> by_rank_;
  std::vector<std::uint32_t> rank_;
  std::vector<Seconds> sorted_deadlines_;
  std::uint32_t with_deadline_ = 0;  // jobs with a deadline: ranks 0 .. with_deadline_ - 1
  // Per running victim its rank, ordered only when a head looks for victims
  // (mutable: the read sorts the entries in, which changes no entry).
  mutable DeferredSet<std::uint32_t> victims_;
  // Queued work by rank; running jobs' remaining work as a x now - b by rank.
  PrefixSums pending_work_, running_a_, running_b_;
  std::vector<double> work_in_, a_in_, b_in_;
  double capacity_ = 1;
};

}  // namespace fastgpu
