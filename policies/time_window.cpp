// time-window: earliest deadline first inside each job's time window. The
// engine delivers a job only once its window has opened (JobTraceFields::earliest_start);
// the policy then runs jobs earliest-deadline-first (jobs without a deadline
// after them, in arrival order), with head-of-line blocking, and with
// admission control at arrival (the deadline-feasibility admission part,
// policies/parts/admission.h): a job that cannot finish by its deadline even
// if started as soon as possible (by estimate) is rejected with a reason
// (on_infeasible = "reject") or admitted and counted as a deadline miss when
// it ends late ("run-late").
//
// Preemption (preemptive = true, the default): when the EDF head does not fit,
// running preemptible jobs with a strictly later deadline are preempted,
// latest deadline first, until enough GPUs of one type the head may use are
// being freed; while any preempted job is still checkpointing, nothing more is
// preempted. With zero checkpoint/restore cost on one GPU this is preemptive
// EDF, which meets every deadline of any feasible instance (Dertouzos 1974).
//
// Why this is its own class and not the composed queue policy with order =
// deadline: its preemption differs from the shared one in ways the results
// depend on. It waits while any checkpoint is in flight (not per GPU type),
// counts only free GPUs (not those being checkpointed) towards the head's
// need, lets a fractional head preempt for one GPU, scans every later-deadline
// victim (no max_scan), skips types too small for the head, and does not
// retry a head that failed until the running set changes.
#include <fmt/format.h>

#include <queue>
#include <set>

#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/parts/admission.h"
#include "policies/placement.h"

namespace fastgpu {

namespace {

class TimeWindowPolicy : public Policy {
 public:
  TimeWindowPolicy(bool reject, bool preemptive, std::unique_ptr<Placement> placement)
      : reject_(reject), preemptive_(preemptive), placement_(std::move(placement)) {}

  void init(SchedulingContext& ctx) override {
    placement_->init(ctx);
    feasibility_.init(ctx, preemptive_);
  }
  void finish(SchedulingContext& ctx) override { placement_->finish(ctx); }
  void on_monitor(SchedulingContext& ctx) override { placement_->on_monitor(ctx); }

  void on_arrival(SchedulingContext& ctx, JobIndex j) override {
    const bool nobody_ahead = queue_.empty() || queue_.top() > feasibility_.rank(j);
    if (!feasibility_.admissible(ctx, j, nobody_ahead)) {
      if (reject_) {
        ctx.reject(j, feasibility_.reject_reason());
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
      const JobIndex j = feasibility_.job_at(queue_.top());
      if (!placement_->place(ctx, j, gpus_)) {
        if (preemptive_ && suspending_ == 0) preempt_for(ctx, j);
        break;
      }
      queue_.pop();
      ctx.start(j, gpus_);
      feasibility_.started(ctx, j);
      ++running_changes_;
    }
  }

  std::map<std::string, std::string> attributes() const override {
    return {{"tw_rejected", fmt::format("{}", rejected_)},
            {"tw_admitted_infeasible", fmt::format("{}", admitted_late_)},
            {"tw_preemptions", fmt::format("{}", preemptions_)}};
  }

 private:
  void enqueue(const SchedulingContext& ctx, JobIndex j) {
    queue_.push(feasibility_.rank(j));
    feasibility_.enqueued(ctx, j);
  }

  void leave_running(JobIndex j) {
    feasibility_.left_running(j);
    ++running_changes_;
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
    const std::set<std::uint32_t>& victims = feasibility_.running_victims();
    for (auto it = victims.rbegin(); it != victims.rend(); ++it) {
      const JobIndex v = feasibility_.job_at(*it);
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
  DeadlineFeasibility feasibility_;  // EDF ranks, admission, running victims by deadline
  std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, std::greater<>> queue_;  // EDF ranks
  std::vector<GpuIndex> gpus_;
  std::uint32_t suspending_ = 0;
  std::uint64_t running_changes_ = 0, failed_changes_ = 0;
  JobIndex failed_head_ = kNoJob;
  std::uint64_t rejected_ = 0, admitted_late_ = 0, preemptions_ = 0;
};

PolicyInfo time_window_policy() {
  return {
      .name = "time-window",
      .summary =
          "earliest deadline first inside each job's time window, with admission control (jobs that cannot "
          "meet their deadline by estimate are rejected or run late) and optional preemption",
      .source = "earliest deadline first (Liu & Layland 1973; preemptive EDF optimality, Dertouzos 1974) "
                "within release windows, with deadline admission control",
      .params = {choice_param("on_infeasible", "reject", {"reject", "run-late"},
                              "a job that cannot meet its deadline at arrival: reject it, or run it and count the "
                              "miss"),
                 flag_param("preemptive", true,
                            "preempt later-deadline jobs when the earliest-deadline job does not fit"),
                 placement_param(), consolidate_param(), spread_after_param()},
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<TimeWindowPolicy>(p.get_string("on_infeasible") == "reject",
                                                      p.get_bool("preemptive"),
                                                      make_placement(p));
          },
  };
}

}  // namespace

FASTGPU_REGISTER_POLICY(time_window_policy);

}  // namespace fastgpu
