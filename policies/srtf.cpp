// srtf: preemptive shortest remaining time first, by the runtime estimate
// (Schrage 1968; the "shortest-remaining-time" baseline of Tiresias, NSDI 2019).
//
// Pending jobs wait in a heap by estimated remaining work (reference seconds;
// jobs without an estimate last) and start in that order while they fit, as in
// sjf. When the shortest pending job does not fit, running jobs whose
// estimated remaining work exceeds its own by more than `min_gain` seconds are
// preempted, longest expected finish first, if that frees enough GPUs of one
// type for it; otherwise it waits (head-of-line blocking, so long jobs are
// not overtaken forever by a stream of slightly shorter ones that never fit).
//
// Thrashing is bounded: a job is preempted only for a job expected to finish
// at least `min_gain` earlier, and a preempted job's remaining work does not
// change while it waits, so it can never preempt its preemptor back; GPUs
// still being checkpointed count as available, so one blocked job triggers one
// round of preemptions. O(log n) per job plus O(victims) per preemption.
#include <cmath>
#include <memory>
#include <queue>
#include <set>
#include <tuple>
#include <vector>

#include "policies/builtin_policies.h"
#include "policies/placement.h"
#include "policies/preemption.h"

namespace fastgpu {

namespace {

class Srtf final : public Policy {
 public:
  Srtf(std::unique_ptr<Placement> placement, double min_gain, std::size_t max_scan)
      : placement_(std::move(placement)), min_gain_(min_gain), max_scan_(max_scan) {}

  void init(SchedulingContext& ctx) override {
    placement_->init(ctx);
    tracker_.init(ctx);
    finish_key_.assign(ctx.workload().jobs.size(), NAN);
  }
  void finish(SchedulingContext& ctx) override { placement_->finish(ctx); }
  void on_monitor(SchedulingContext& ctx) override { placement_->on_monitor(ctx); }
  void on_arrival(SchedulingContext& ctx, JobIndex j) override { push(ctx, j); }
  void on_requeue(SchedulingContext& ctx, JobIndex j) override {
    tracker_.requeued(ctx, j);
    push(ctx, j);
  }
  void on_finish(SchedulingContext&, JobIndex j) override { forget(j); }

  void schedule(SchedulingContext& ctx) override {
    while (!pending_.empty()) {
      const JobIndex head = std::get<2>(pending_.top());
      if (placement_->place(ctx, head, gpus_)) {
        pending_.pop();
        start(ctx, head);
        continue;
      }
      preempt_for(ctx, head);
      break;
    }
  }

  std::map<std::string, std::string> attributes() const override {
    return {{"preemptions", std::to_string(tracker_.preemptions())}};
  }

 private:
  void push(const SchedulingContext& ctx, JobIndex j) {
    const double remaining = ctx.estimated_remaining_work(j);
    pending_.emplace(std::isnan(remaining) ? kNever : remaining, seq_++, j);
  }

  void start(SchedulingContext& ctx, JobIndex j) {
    ctx.start(j, gpus_);
    const Job& job = ctx.job(j);
    const Seconds finish = ctx.estimated_finish(j);
    // Victims must have a comparable estimate.
    if (job.preemptible && whole_gpu_job(job) && finish != kNever) {
      finish_key_[j] = finish;
      running_.emplace(finish, j);
    }
  }

  void forget(JobIndex j) {
    if (std::isnan(finish_key_[j])) return;
    running_.erase({finish_key_[j], j});
    finish_key_[j] = NAN;
  }

  void preempt_for(SchedulingContext& ctx, JobIndex head) {
    if (!whole_gpu_job(ctx.job(head))) return;
    if (enough_without_preemption(ctx, tracker_, head, have_)) return;  // checkpoints in flight
    const double remaining = ctx.estimated_remaining_work(head);
    if (std::isnan(remaining)) return;
    auto it = running_.rbegin();
    auto next = [&]() -> JobIndex {
      if (it == running_.rend()) return kNoJob;
      const JobIndex v = (it++)->second;
      return ctx.estimated_remaining_work(v) > remaining + min_gain_ ? v : kNoJob;
    };
    if (!choose_victims(ctx, head, have_, max_scan_, next, victims_)) return;
    for (JobIndex v : victims_) {
      forget(v);
      tracker_.preempt(ctx, v);
    }
  }

  std::unique_ptr<Placement> placement_;
  double min_gain_;
  std::size_t max_scan_;
  PreemptionTracker tracker_;
  // (estimated remaining work, arrival sequence, job): smallest first, ties in arrival order.
  using Entry = std::tuple<double, std::uint64_t, JobIndex>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> pending_;
  std::uint64_t seq_ = 0;
  std::set<std::pair<Seconds, JobIndex>> running_;  // preemptible running jobs by estimated finish
  std::vector<Seconds> finish_key_;                 // per job: its key in running_ (NaN: not there)
  std::vector<std::int64_t> have_;
  std::vector<JobIndex> victims_;
  std::vector<GpuIndex> gpus_;
};

}  // namespace

PolicyInfo srtf_policy() {
  return {
      .name = "srtf",
      .summary = "preemptive shortest remaining time first by the runtime estimate: a blocked shorter job "
                 "preempts the running jobs expected to run longest",
      .source = "Schrage 1968 (SRPT); shortest-remaining-time baseline of Tiresias (Gu et al., NSDI 2019)",
      .params = {{.name = "placement", .default_value = std::string("first-fit"),
                  .help = "which GPUs a job gets", .choices = placement_names()},
                 {.name = "min_gain", .default_value = 60.0,
                  .help = "preempt only jobs whose estimated remaining work exceeds the waiting job's by more "
                          "than this (reference seconds; covers checkpoint + restore)",
                  .min = 0, .max = 1e9, .choices = {}},
                 {.name = "max_scan", .default_value = std::int64_t{64},
                  .help = "running jobs examined as victims per blocked job (jobs)", .min = 1, .max = 1e6, .choices = {}}},
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<Srtf>(make_placement(p.get_string("placement")), p.get_double("min_gain"),
                                          static_cast<std::size_t>(p.get_int("max_scan")));
          },
  };
}

}  // namespace fastgpu
