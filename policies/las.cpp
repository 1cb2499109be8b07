// las: the discretised two-dimensional least-attained-service scheduler of
// Tiresias (Gu et al., 2019), with the defaults of the authors' simulator.
//
// Attained service is two-dimensional: GPUs x seconds held (ctx.attained_service).
// Jobs sit in K queues separated by `thresholds` (GPU-seconds): a job enters
// queue 0 and is demoted to queue q when its attained service since its last
// promotion reaches thresholds[q-1]. Queues are served in order, FIFO inside
// a queue (a job goes to the back of its queue when it becomes pending), and
// fit-first: a job that does not fit is passed over for later ones that do,
// as in Tiresias, so no GPU idles while a waiting job fits.
//
// Preemptive: a waiting job that does not fit preempts running jobs of
// strictly lower queues (the lowest queue first, the most recently started
// first inside a queue) when that frees enough GPUs of one type for it. GPUs
// already being checkpointed, and free GPUs, are claimed by the waiting jobs
// in queue order within a decision, so later jobs do not take them and one
// blocked job triggers one round of preemptions.
//
// Starvation guard (Tiresias' PromoteKnob): a job in a lower queue that has
// waited, since its last promotion, `starvation_factor` times as long as it
// has run since then is promoted to queue 0 and its attained service counts
// from zero again. Thrashing is bounded: a job is preempted only for a job of
// a strictly higher queue, and it can only return above its preemptor after
// running thresholds[0] GPU-seconds and then waiting starvation_factor times
// as long.
//
// Cost: demotion and promotion times are known in advance and kept in heaps
// (O(log n) per change); a periodic timer (`interval` seconds, only while jobs
// wait) applies the due ones when no other event does. A decision re-examines
// at most `scan_depth` waiting jobs, and only after something changed (an
// arrival, finish, requeue, demotion or promotion).
//
// Why this is its own class and not the composed queue policy with order =
// attained: it is fit-first inside and across levels (a job that does not
// fit is passed over, no head-of-line blocking), re-examines at most
// `scan_depth` waiting jobs per decision, claims free and checkpointing GPUs
// for waiting jobs in level order within a decision, demotes running jobs
// and promotes starving ones on timers, and its victims are ranked by their
// current level, which changes while they run. It is built from the shared
// parts: the placement, the preemption tracker and victim choice
// (policies/preemption.h) and the level thresholds (policies/parts/ordering.h).
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <queue>
#include <string>
#include <tuple>
#include <vector>

#include "policies/backfill_support.h"
#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/job_list.h"
#include "policies/parts/ordering.h"
#include "policies/placement.h"
#include "policies/preemption.h"

namespace fastgpu {

namespace {

class Las final : public Policy {
 public:
  Las(std::unique_ptr<Placement> placement, std::vector<double> thresholds, double starvation_factor,
      Seconds interval, std::size_t scan_depth, std::size_t max_scan)
      : placement_(std::move(placement)),
        thresholds_(std::move(thresholds)),
        levels_(thresholds_.size() + 1),
        starvation_factor_(starvation_factor),
        interval_(interval),
        scan_depth_(scan_depth),
        max_scan_(max_scan) {}

  void init(SchedulingContext& ctx) override {
    placement_->init(ctx);
    tracker_.init(ctx);
    const std::size_t n = ctx.workload().jobs.size();
    links_.resize(n);
    pending_.assign(levels_, {});
    running_.assign(levels_, {});
    preemptible_gpus_.assign(levels_, 0);
    level_.assign(n, 0);
    version_.assign(n, 0);
    base_.assign(n, 0);
    ran_.assign(n, 0);
    waited_.assign(n, 0);
    since_.assign(n, 0);
  }
  void finish(SchedulingContext& ctx) override { placement_->finish(ctx); }
  void on_monitor(SchedulingContext& ctx) override { placement_->on_monitor(ctx); }

  void on_arrival(SchedulingContext& ctx, JobIndex j) override {
    level_[j] = 0;
    since_[j] = ctx.now();
    links_.push_back(pending_[0], j);
    dirty_ = true;
  }

  void on_finish(SchedulingContext& ctx, JobIndex j) override {
    leave_running(ctx, j);
    ++version_[j];
    dirty_ = true;
  }

  void on_requeue(SchedulingContext& ctx, JobIndex j) override {
    tracker_.requeued(ctx, j);
    const std::uint32_t q = level_of(ctx.attained_service(j) - base_[j]);
    level_[j] = q;
    since_[j] = ctx.now();
    links_.push_back(pending_[q], j);
    // Promotion when the wait since the last promotion reaches factor x the run since then.
    if (q > 0 && starvation_factor_ > 0) {
      const Seconds due = ctx.now() + std::max(0.0, starvation_factor_ * ran_[j] - waited_[j]);
      promote_.emplace(due, j, version_[j]);
    }
    dirty_ = true;
  }

  void on_timer(SchedulingContext&, std::uint64_t) override { timer_armed_ = false; }

  void schedule(SchedulingContext& ctx) override {
    apply_due_changes(ctx);
    if (dirty_) {
      dirty_ = false;
      pass(ctx);
    }
    std::size_t waiting = 0;
    for (const JobList& list : pending_) waiting += list.size;
    if (!timer_armed_ && waiting > 0) {
      ctx.set_timer(ctx.now() + interval_, 0);
      timer_armed_ = true;
    }
  }

  std::map<std::string, std::string> attributes() const override {
    return {{"preemptions", std::to_string(tracker_.preemptions())},
            {"demotions", std::to_string(demotions_)},
            {"promotions", std::to_string(promotions_)}};
  }

 private:
  using Change = std::tuple<Seconds, JobIndex, std::uint32_t>;  // (due time, job, version)
  using ChangeHeap = std::priority_queue<Change, std::vector<Change>, std::greater<>>;

  std::uint32_t level_of(double attained) const {
    return static_cast<std::uint32_t>(std::upper_bound(thresholds_.begin(), thresholds_.end(), attained) -
                                      thresholds_.begin());
  }
  static double gpu_rate(const Job& job) { return job.num_gpus * (job.milli_per_gpu() / double(kMilliPerGpu)); }
  static bool victim_kind(const Job& job) { return job.preemptible && whole_gpu_job(job); }

  // Demotions of running jobs and promotions of waiting ones whose time has come.
  void apply_due_changes(SchedulingContext& ctx) {
    const Seconds now = ctx.now();
    while (!demote_.empty() && std::get<0>(demote_.top()) <= now) {
      const auto [due, j, version] = demote_.top();
      demote_.pop();
      if (version != version_[j] || ctx.state(j) != JobState::running) continue;
      const std::uint32_t q = level_of(ctx.attained_service(j) - base_[j]);
      if (q > level_[j]) {
        leave_running(ctx, j);
        level_[j] = q;
        enter_running(ctx, j);
        ++demotions_;
        dirty_ = true;
      } else {
        schedule_demotion(ctx, j, std::nextafter(now, kNever));  // rounding: not yet across the threshold
      }
    }
    while (!promote_.empty() && std::get<0>(promote_.top()) <= now) {
      const auto [due, j, version] = promote_.top();
      promote_.pop();
      if (version != version_[j] || ctx.state(j) != JobState::pending || level_[j] == 0) continue;
      links_.erase(pending_[level_[j]], j);
      level_[j] = 0;
      base_[j] = ctx.attained_service(j);
      ran_[j] = waited_[j] = 0;
      links_.push_back(pending_[0], j);
      ++promotions_;
      dirty_ = true;
    }
  }

  void schedule_demotion(const SchedulingContext& ctx, JobIndex j, Seconds not_before = 0) {
    const std::uint32_t q = level_[j];
    if (q + 1 >= levels_) return;
    const double left = thresholds_[q] - (ctx.attained_service(j) - base_[j]);
    const Seconds due = ctx.now() + std::max(0.0, left) / gpu_rate(ctx.job(j));
    demote_.emplace(std::max(due, not_before), j, version_[j]);
  }

  void enter_running(const SchedulingContext& ctx, JobIndex j) {
    links_.push_back(running_[level_[j]], j);
    if (victim_kind(ctx.job(j))) preemptible_gpus_[level_[j]] += ctx.job(j).num_gpus;
    schedule_demotion(ctx, j);
  }

  void leave_running(const SchedulingContext& ctx, JobIndex j) {
    if (!links_.linked(j)) return;
    links_.erase(running_[level_[j]], j);
    if (victim_kind(ctx.job(j))) preemptible_gpus_[level_[j]] -= ctx.job(j).num_gpus;
  }

  void start(SchedulingContext& ctx, JobIndex j) {
    ctx.start(j, gpus_);
    links_.erase(pending_[level_[j]], j);
    if (ran_[j] > 0) waited_[j] += ctx.now() - since_[j];  // waits count once the job has run
    since_[j] = ctx.now();
    ++version_[j];
    enter_running(ctx, j);
  }

  void preempt(SchedulingContext& ctx, JobIndex v) {
    leave_running(ctx, v);
    ran_[v] += ctx.now() - since_[v];
    ++version_[v];
    tracker_.preempt(ctx, v);
  }

  // One decision: waiting jobs in queue order, at most scan_depth of them.
  void pass(SchedulingContext& ctx) {
    const ClusterState& cluster = ctx.cluster();
    const std::uint32_t types = cluster.num_types();
    free_.assign(types, 0);
    pool_.assign(types, 0);
    for (TypeIndex t = 0; t < types; ++t) {
      free_[t] = cluster.free_gpus_of_type(t);
      pool_[t] = tracker_.in_flight(t);
    }
    // A whole-GPU job that may use every type and found nothing (no free or
    // in-flight GPUs, no victims) leaves the state as it was; while nothing
    // changes, a later job of the same or a lower queue that needs at least
    // as many GPUs finds nothing either (fewer victims lie below a lower
    // queue, and they are a prefix of the same walk), so it is passed over
    // without the search. Any start, claim or preemption resets this.
    std::int64_t failed_need = std::numeric_limits<std::int64_t>::max();
    const std::uint64_t every_type = ctx.all_types_mask();
    std::size_t examined = 0;
    for (std::uint32_t q = 0; q < levels_ && examined < scan_depth_; ++q) {
      for (JobIndex j = pending_[q].head; j != kNoJob && examined < scan_depth_; ++examined) {
        const JobIndex next = links_.next(j);
        const Job& job = ctx.job(j);
        const bool comparable = whole_gpu_job(job) && ctx.allowed_type_mask(j) == every_type;
        if (!comparable || job.num_gpus < failed_need) {
          if (consider(ctx, j, q)) failed_need = std::numeric_limits<std::int64_t>::max();
          else if (comparable) failed_need = job.num_gpus;
        }
        j = next;
      }
    }
  }

  // Returns whether it changed anything (started, claimed or preempted).
  bool consider(SchedulingContext& ctx, JobIndex j, std::uint32_t q) {
    const ClusterState& cluster = ctx.cluster();
    const Job& job = ctx.job(j);
    if (!whole_gpu_job(job)) {
      // A fractional job on a partly used GPU takes no whole GPU from anyone.
      if (!placement_->place(ctx, j, gpus_)) return false;
      const GpuIndex g = gpus_.front();
      if (cluster.is_free(g)) {
        if (free_[cluster.type_of(g)] < 1) return false;
        --free_[cluster.type_of(g)];
      }
      start(ctx, j);
      return true;
    }
    const std::int64_t need = job.num_gpus;
    // Start now on GPUs not claimed by a waiting job of a higher queue.
    bool fits = false;
    for (TypeIndex t = 0; t < cluster.num_types() && !fits; ++t) fits = ctx.type_allowed(j, t) && free_[t] >= need;
    if (fits) {
      bool ok = placement_->place(ctx, j, gpus_) && free_[cluster.type_of(gpus_.front())] >= need;
      for (TypeIndex t = 0; !ok && t < cluster.num_types(); ++t) {
        ok = free_[t] >= need && place_on_type(*placement_, ctx, j, t, gpus_);
      }
      if (ok) {
        free_[cluster.type_of(gpus_.front())] -= need;
        start(ctx, j);
        return true;
      }
    }
    // Waiting for GPUs being checkpointed: claim them.
    have_.assign(cluster.num_types(), 0);
    for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
      if (!ctx.type_allowed(j, t)) continue;
      have_[t] = free_[t] + pool_[t];
      if (have_[t] >= need) {
        claim(t, need, 0);
        return true;
      }
    }
    // Preempt jobs of lower queues, if they hold enough.
    std::int64_t lower = 0;
    for (std::uint32_t r = q + 1; r < levels_; ++r) lower += preemptible_gpus_[r];
    if (lower == 0 || lower + *std::max_element(have_.begin(), have_.end()) < need) return false;
    std::uint32_t r = levels_ - 1;
    JobIndex cursor = running_[r].tail;
    std::size_t visited = 0;
    auto next = [&]() -> JobIndex {
      while (visited < max_scan_) {
        while (cursor == kNoJob && r > q + 1) cursor = running_[--r].tail;
        if (cursor == kNoJob) return kNoJob;
        const JobIndex v = cursor;
        cursor = links_.prev(v);
        ++visited;
        if (victim_kind(ctx.job(v))) return v;
      }
      return kNoJob;
    };
    if (!choose_victims(ctx, j, have_, max_scan_, next, victims_, victim_scratch_)) return false;
    const TypeIndex t = running_type(ctx, victims_.front());
    std::int64_t freed = 0;
    for (JobIndex v : victims_) {
      freed += ctx.job(v).num_gpus;
      preempt(ctx, v);
    }
    claim(t, need, freed);
    return true;
  }

  // Job needs `need` GPUs of type t from the free ones, then from those in
  // flight (including `added` just preempted for it).
  void claim(TypeIndex t, std::int64_t need, std::int64_t added) {
    pool_[t] += added;
    const std::int64_t from_free = std::min(free_[t], need);
    free_[t] -= from_free;
    pool_[t] -= need - from_free;
  }

  std::unique_ptr<Placement> placement_;
  std::vector<double> thresholds_;
  std::uint32_t levels_;
  double starvation_factor_;
  Seconds interval_;
  std::size_t scan_depth_, max_scan_;
  PreemptionTracker tracker_;
  JobLinks links_;                     // a job is in one list: waiting or running at its level
  std::vector<JobList> pending_, running_;
  std::vector<std::int64_t> preemptible_gpus_;  // per level: GPUs of running preemptible whole-GPU jobs
  std::vector<std::uint32_t> level_;
  std::vector<std::uint32_t> version_; // invalidates queued demotions/promotions
  std::vector<double> base_;           // attained service at the last promotion (GPU-seconds)
  std::vector<Seconds> ran_;           // seconds run since the last promotion (completed runs)
  std::vector<Seconds> waited_;        // seconds waited since the last promotion, after having run
  std::vector<Seconds> since_;         // start of the current run or wait
  ChangeHeap demote_, promote_;
  bool dirty_ = false, timer_armed_ = false;
  std::uint64_t demotions_ = 0, promotions_ = 0;
  std::vector<std::int64_t> free_, pool_, have_;
  std::vector<JobIndex> victims_;
  VictimScratch victim_scratch_;
  std::vector<GpuIndex> gpus_;
};

}  // namespace

PolicyInfo las_policy() {
  return {
      .name = "las",
      .summary = "Tiresias discretised 2D least-attained-service: queues by attained GPU-seconds, FIFO and "
                 "fit-first inside a queue, preemptive across queues, with a starvation guard",
      .source = "discretised two-dimensional least attained service of Tiresias (Gu et al., 2019), with the "
                "defaults of the authors' simulator",
      .params = {placement_param(), consolidate_param(), spread_after_param(),
                 text_param("thresholds", "3250,7200",
                            "queue boundaries in attained GPU-seconds, increasing, comma-separated (K-1 values "
                            "for K queues; empty = one queue)"),
                 number_param("starvation_factor", 8.0, 0, 1e9,
                              "promote a waiting job to queue 0 after it waited this many times as long as it ran "
                              "since its last promotion (Tiresias' PromoteKnob; 0 = never)"),
                 number_param("interval", 60.0, 1e-3, 1e9,
                              "seconds between re-evaluations of demotions and promotions while jobs wait"),
                 integer_param("scan_depth", 128, 1, 1e7, "waiting jobs examined per decision, in queue order (jobs)"),
                 max_scan_param()},
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<Las>(make_placement(p),
                                         parse_thresholds(p.get_string("thresholds"), "las", "thresholds"),
                                         p.get_double("starvation_factor"), p.get_double("interval"),
                                         static_cast<std::size_t>(p.get_int("scan_depth")),
                                         static_cast<std::size_t>(p.get_int("max_scan")));
          },
  };
}

FASTGPU_REGISTER_POLICY(las_policy);

}  // namespace fastgpu
