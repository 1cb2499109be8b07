// priority: strict priority (Job::priority, higher first) with aging and
// optional preemption (the classic priority scheduler with aging, e.g. Slurm's
// multifactor "age" factor; Silberschatz et al., Operating System Concepts, ch. 5).
//
// A job's effective priority is its priority plus `aging_per_hour` for every
// hour it has spent waiting in the queue (all its waits, summed). Because the
// rate is common to all jobs, the order between two waiting jobs never
// changes while they wait: effective = priority + rate x (waited_before +
// now - entered) orders like priority + rate x (waited_before - entered), a
// key fixed when the job enters the queue. So one heap, O(log n) per job, no
// rescans. Equal keys go in arrival order.
//
// Jobs start in that order while they fit (head-of-line blocking, so a large
// high-priority job is not starved by smaller ones). With `preempt = true`, a
// blocked head preempts running preemptible jobs of strictly lower base
// priority (lowest priority first, most recently started first among equals)
// when that frees enough GPUs of one type. Comparing base priorities (not
// aged ones) bounds thrashing: a victim can never preempt its preemptor back.
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

class PriorityPolicy final : public Policy {
 public:
  PriorityPolicy(std::unique_ptr<Placement> placement, double aging_per_hour, bool preempt, std::size_t max_scan)
      : placement_(std::move(placement)),
        aging_per_second_(aging_per_hour / 3600.0),
        preempt_(preempt),
        max_scan_(max_scan) {}

  void init(SchedulingContext& ctx) override {
    placement_->init(ctx);
    tracker_.init(ctx);
    const std::size_t n = ctx.workload().jobs.size();
    waited_.assign(n, 0);
    entered_.assign(n, 0);
    arrival_seq_.assign(n, 0);
    in_running_.assign(n, 0);
    start_time_.assign(n, 0);
  }
  void finish(SchedulingContext& ctx) override { placement_->finish(ctx); }
  void on_monitor(SchedulingContext& ctx) override { placement_->on_monitor(ctx); }
  void on_arrival(SchedulingContext& ctx, JobIndex j) override {
    arrival_seq_[j] = seq_++;
    push(ctx, j);
  }
  void on_requeue(SchedulingContext& ctx, JobIndex j) override {
    tracker_.requeued(ctx, j);
    push(ctx, j);
  }
  void on_finish(SchedulingContext& ctx, JobIndex j) override { forget(ctx, j); }

  void schedule(SchedulingContext& ctx) override {
    while (!pending_.empty()) {
      const JobIndex head = std::get<2>(pending_.top());
      if (placement_->place(ctx, head, gpus_)) {
        pending_.pop();
        start(ctx, head);
        continue;
      }
      if (preempt_) preempt_for(ctx, head);
      break;
    }
  }

  std::map<std::string, std::string> attributes() const override {
    return {{"preemptions", std::to_string(tracker_.preemptions())}};
  }

 private:
  void push(const SchedulingContext& ctx, JobIndex j) {
    entered_[j] = ctx.now();
    const double key = ctx.job(j).priority + aging_per_second_ * (waited_[j] - entered_[j]);
    pending_.emplace(-key, arrival_seq_[j], j);
  }

  void start(SchedulingContext& ctx, JobIndex j) {
    waited_[j] += ctx.now() - entered_[j];
    ctx.start(j, gpus_);
    const Job& job = ctx.job(j);
    if (preempt_ && job.preemptible && whole_gpu_job(job)) {
      running_.emplace(job.priority, -ctx.now(), j);
      in_running_[j] = 1;
      start_time_[j] = ctx.now();
    }
  }

  void forget(const SchedulingContext& ctx, JobIndex j) {
    if (!in_running_[j]) return;
    running_.erase({ctx.job(j).priority, -start_time_[j], j});
    in_running_[j] = 0;
  }

  void preempt_for(SchedulingContext& ctx, JobIndex head) {
    if (!whole_gpu_job(ctx.job(head))) return;
    if (enough_without_preemption(ctx, tracker_, head, have_)) return;  // checkpoints in flight
    const std::int32_t priority = ctx.job(head).priority;
    auto it = running_.begin();
    auto next = [&]() -> JobIndex {
      if (it == running_.end() || std::get<0>(*it) >= priority) return kNoJob;
      return std::get<2>(*it++);
    };
    if (!choose_victims(ctx, head, have_, max_scan_, next, victims_)) return;
    for (JobIndex v : victims_) {
      forget(ctx, v);
      tracker_.preempt(ctx, v);
    }
  }

  std::unique_ptr<Placement> placement_;
  double aging_per_second_;
  bool preempt_;
  std::size_t max_scan_;
  PreemptionTracker tracker_;
  // (-aged key, arrival sequence, job): highest effective priority first.
  using Entry = std::tuple<double, std::uint64_t, JobIndex>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> pending_;
  std::uint64_t seq_ = 0;
  std::vector<Seconds> waited_;               // per job: seconds waited in earlier queue stays
  std::vector<Seconds> entered_;              // per job: when it last entered the queue
  std::vector<std::uint64_t> arrival_seq_;
  // Preemptible running jobs: (priority, -start time, job): lowest priority, latest start first.
  std::set<std::tuple<std::int32_t, Seconds, JobIndex>> running_;
  std::vector<std::uint8_t> in_running_;
  std::vector<Seconds> start_time_;           // per job: its last start (its key in running_)
  std::vector<std::int64_t> have_;
  std::vector<JobIndex> victims_;
  std::vector<GpuIndex> gpus_;
};

}  // namespace

PolicyInfo priority_policy() {
  return {
      .name = "priority",
      .summary = "strict priority (higher first) with aging: effective priority grows with the time waited; "
                 "optionally preempts lower-priority preemptible jobs for a blocked higher one",
      .source = "classic priority scheduling with aging (Silberschatz et al., Operating System Concepts, ch. 5)",
      .params = {{.name = "placement", .default_value = std::string("first-fit"),
                  .help = "which GPUs a job gets", .choices = placement_names()},
                 {.name = "aging_per_hour", .default_value = 1.0,
                  .help = "priority units added per hour waited (0 = no aging)", .min = 0, .max = 1e9, .choices = {}},
                 {.name = "preempt", .default_value = false,
                  .help = "preempt running preemptible jobs of lower priority for a blocked higher one", .choices = {}},
                 {.name = "max_scan", .default_value = std::int64_t{64},
                  .help = "running jobs examined as victims per blocked job (jobs)", .min = 1, .max = 1e6, .choices = {}}},
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<PriorityPolicy>(make_placement(p.get_string("placement")),
                                                    p.get_double("aging_per_hour"), p.get_bool("preempt"),
                                                    static_cast<std::size_t>(p.get_int("max_scan")));
          },
  };
}

}  // namespace fastgpu
