// conservative-backfill: FIFO where every queued job (the first `depth` of
// them) holds a reservation, and a job may start early only if it delays no
// earlier reservation (Mu'alem & Feitelson, IEEE TPDS 12(6), 2001).
//
// At each decision with new information (a job finished, or a job entered the
// reserved prefix of the queue) the schedule is rebuilt ("compressed"): an
// availability profile per GPU type is made from the free GPUs and the running
// jobs' estimated releases, and the reserved jobs are re-inserted in the order
// of their previous reserved start, then the newly reserved ones in queue
// order, each at the earliest time its GPUs are free for its whole estimated
// duration. A job whose earliest time is now starts. Re-inserting in order of
// the previous start keeps every job's previous slot feasible, so, with exact
// estimates, no job ever starts later than its first reservation (the policy
// counts violations in the `reservation_violations` attribute).
//
// Reserved durations are pessimistic: a multi-GPU job is assumed to pay the
// largest placement slowdown (unless its GPU type has a single node), so a
// job placed on one node ends early rather than late. A job without an
// estimate cannot be reserved for later: it starts only when its GPUs are free
// now and holding them for ever would delay no reservation; otherwise it and
// every job behind it wait (FIFO), as no later slot can be proven harmless.
//
// Cost per rebuild: O(depth x (releases examined + reservations)), bounded by
// the `depth` parameter; arrivals beyond the reserved prefix cost nothing.
#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <vector>

#include "sim/error.h"
#include "policies/backfill_support.h"
#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/job_list.h"
#include "policies/placement.h"
#include "policies/release_index.h"

namespace fastgpu {

namespace {

// Free whole GPUs of one type over [now, inf): a nondecreasing base (free now
// plus estimated releases, pulled lazily from the release index) minus the
// reservations made in this rebuild (a short list of +need/-need events).
class Profile {
 public:
  void reset(Seconds now, std::int64_t free_now, const std::set<ReleaseIndex::Entry>& releases) {
    now_ = now;
    time_.assign(1, now);
    value_.assign(1, free_now);
    next_ = releases.begin();
    end_ = releases.end();
    events_.clear();
  }

  // Earliest s >= now at which `need` GPUs are free throughout [s, s + duration);
  // kNever if no such time is known.
  Seconds earliest(std::int64_t need, Seconds duration) {
    Seconds s = now_;
    while (s != kNever) {
      if (feasible(s, s + duration, need)) return s;
      s = next_candidate(s);
    }
    return kNever;
  }

  bool feasible(Seconds s, Seconds e, std::int64_t need) {
    std::int64_t used = 0;
    std::size_t i = 0;
    for (; i < events_.size() && events_[i].first <= s; ++i) used += events_[i].second;
    if (base(s) - used < need) return false;
    while (i < events_.size() && events_[i].first < e) {
      const Seconds at = events_[i].first;
      for (; i < events_.size() && events_[i].first == at; ++i) used += events_[i].second;
      if (base(at) - used < need) return false;
    }
    return true;
  }

  void reserve(Seconds s, Seconds e, std::int64_t need) {
    insert(s, need);
    if (e != kNever) insert(e, -need);
  }

 private:
  // Free GPUs at time t if nothing else started (t >= now).
  std::int64_t base(Seconds t) {
    extend(t);
    const auto it = std::upper_bound(time_.begin(), time_.end(), t);
    return value_[static_cast<std::size_t>(it - time_.begin()) - 1];
  }
  // Pulls every release at or before t into the steps.
  void extend(Seconds t) {
    while (next_ != end_ && next_->time != kNever && std::max(now_, next_->time) <= t) pull();
  }
  void pull() {
    const Seconds at = std::max(now_, next_->time);
    if (at == time_.back()) {
      value_.back() += next_->gpus;
    } else {
      time_.push_back(at);
      value_.push_back(value_.back() + next_->gpus);
    }
    ++next_;
  }
  // The next time after s at which more GPUs may be free: a release or the end of a reservation.
  Seconds next_candidate(Seconds s) {
    extend(s);
    Seconds next = kNever;
    if (const auto it = std::upper_bound(time_.begin(), time_.end(), s); it != time_.end()) {
      next = *it;
    } else if (next_ != end_ && next_->time != kNever) {
      next = std::max(now_, next_->time);
    }
    for (const auto& [at, delta] : events_) {
      if (delta < 0 && at > s) {
        next = std::min(next, at);
        break;
      }
    }
    return next;
  }
  void insert(Seconds at, std::int64_t delta) {
    const auto it = std::upper_bound(events_.begin(), events_.end(), at,
                                     [](Seconds a, const auto& e) { return a < e.first; });
    events_.insert(it, {at, delta});
  }

  Seconds now_ = 0;
  std::vector<Seconds> time_;
  std::vector<std::int64_t> value_;
  std::set<ReleaseIndex::Entry>::const_iterator next_, end_;
  std::vector<std::pair<Seconds, std::int64_t>> events_;  // reservations: (time, +-GPUs), by time
};

class ConservativeBackfill final : public Policy {
 public:
  ConservativeBackfill(std::unique_ptr<Placement> placement, std::uint32_t depth)
      : placement_(std::move(placement)), depth_(depth) {}

  void init(SchedulingContext& ctx) override {
    // Its availability profiles are per GPU type over the whole cluster; a
    // reservation there is no promise inside a VC, so it refuses VCs.
    if (ctx.vcs().active())
      throw InputError("policy 'conservative-backfill' does not support virtual clusters ([[cluster.vcs]]): its "
                       "reservations are made on whole-cluster profiles");
    placement_->init(ctx);
    const std::size_t n = ctx.workload().jobs.size();
    links_.resize(n);
    releases_.init(ctx);
    reserved_at_.assign(n, kNever);
    reserved_type_.assign(n, 0);
    first_reservation_.assign(n, NAN);
    seen_.assign(n, 0);
    profiles_.resize(ctx.cluster().num_types());
    const auto& slow = ctx.cluster().spec().slowdown;
    worst_slowdown_ = std::max({slow.same_node, slow.same_switch, slow.cross_switch});
  }
  void finish(SchedulingContext& ctx) override { placement_->finish(ctx); }
  void on_monitor(SchedulingContext& ctx) override { placement_->on_monitor(ctx); }
  void on_arrival(SchedulingContext&, JobIndex j) override {
    if (queue_.size < depth_) rebuild_ = true;  // it joins the reserved prefix
    links_.push_back(queue_, j);
  }
  void on_finish(SchedulingContext& ctx, JobIndex j) override {
    releases_.finished(ctx, j);
    rebuild_ = true;
  }

  void schedule(SchedulingContext& ctx) override {
    if (!rebuild_ || queue_.empty()) return;
    rebuild_ = false;
    const ClusterState& cluster = ctx.cluster();
    const Seconds now = ctx.now();
    for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
      profiles_[t].reset(now, cluster.free_gpus_of_type(t), releases_.of_type(t));
    }
    // The reserved prefix of the queue, by previous reserved start (new ones,
    // at kNever, last), ties in queue order.
    order_.clear();
    for (JobIndex j = queue_.head; j != kNoJob && order_.size() < depth_; j = links_.next(j)) order_.push_back(j);
    std::stable_sort(order_.begin(), order_.end(),
                     [&](JobIndex a, JobIndex b) { return reserved_at_[a] < reserved_at_[b]; });
    started_.clear();
    ++pass_;
    bool blocked = false;  // a job could not be reserved: nothing behind it may move
    std::size_t held = 0;  // reservations held after this rebuild
    for (JobIndex j : order_) {
      seen_[j] = pass_;
      if (blocked) {
        reserved_at_[j] = kNever;
      } else if (!place(ctx, j, blocked) && !blocked) {
        ++held;
      }
    }
    // Jobs that started made room in the reserved prefix: the next ones in
    // queue order get their reservation (or start) now.
    for (JobIndex j = queue_.head; j != kNoJob && held < depth_ && !blocked;) {
      const JobIndex next = links_.next(j);
      if (seen_[j] != pass_) {
        seen_[j] = pass_;
        if (!place(ctx, j, blocked) && !blocked) ++held;
      }
      j = next;
    }
    for (JobIndex j : started_) releases_.started(ctx, j);
  }

  std::map<std::string, std::string> attributes() const override {
    return {{"reserved_jobs", std::to_string(reserved_jobs_)},
            {"backfilled_jobs", std::to_string(backfilled_)},
            {"reservation_violations", std::to_string(violations_)}};
  }

 private:
  // Estimated duration of job j on type t for a reservation: the slowest
  // placement it could get (kNever without an estimate).
  Seconds reserved_duration(const SchedulingContext& ctx, JobIndex j, TypeIndex t) const {
    const double work = ctx.estimated_remaining_work(j);
    if (std::isnan(work)) return kNever;
    const ClusterState& cluster = ctx.cluster();
    // A gang may be spread over nodes (unless its type has a single node).
    const bool may_spread = ctx.job(j).num_gpus > 1 && cluster.gpus_of_type(t) > cluster.max_gpus_per_node(t);
    const double slowdown = may_spread ? worst_slowdown_ : cluster.spec().slowdown.same_node;
    return work * slowdown / cluster.gpu_type(t).speed;
  }

  // Reserves j at its earliest slot, or starts it if that is now. Returns
  // whether it started; sets `blocked` when it cannot be reserved at all.
  bool place(SchedulingContext& ctx, JobIndex j, bool& blocked) {
    const ClusterState& cluster = ctx.cluster();
    const Seconds now = ctx.now();
    const std::int64_t need = whole_gpus(ctx.job(j));
    Seconds best = kNever;
    TypeIndex best_type = 0;
    // A job keeps the GPU type of its previous reservation: moving it to
    // another type could take the slot of a later job reserved there.
    const bool keep_type = reserved_at_[j] != kNever;
    for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
      if (!ctx.type_allowed(j, t) || (keep_type && t != reserved_type_[j])) continue;
      const Seconds duration = reserved_duration(ctx, j, t);
      // Unknown length: the job may only start now, holding its GPUs for ever
      // in this rebuild, and only where that crosses no reservation.
      const Seconds s = duration == kNever ? (profiles_[t].feasible(now, kNever, need) ? now : kNever)
                                           : profiles_[t].earliest(need, duration);
      if (s < best) {
        best = s;
        best_type = t;
      }
    }
    if (best == kNever) {
      blocked = true;
      reserved_at_[j] = kNever;
      return false;
    }
    if (best == now && try_start(ctx, j, best_type, need)) return true;
    profiles_[best_type].reserve(best, best + reserved_duration(ctx, j, best_type), need);
    if (std::isnan(first_reservation_[j])) {
      first_reservation_[j] = best;
      ++reserved_jobs_;
    }
    reserved_at_[j] = best;
    reserved_type_[j] = best_type;
    return false;
  }

  // Starts j now on its reserved type if that has room for its actual
  // duration there (the configured placement's choice first, else first fit).
  // Only the reserved type: later jobs' reservations on other types are not
  // in those profiles yet.
  bool try_start(SchedulingContext& ctx, JobIndex j, TypeIndex reserved_type, std::int64_t need) {
    const Seconds now = ctx.now();
    auto fits = [&](TypeIndex t) {
      const double work = ctx.estimated_remaining_work(j);
      const Seconds end = std::isnan(work) ? kNever : now + work / ctx.rate_on(j, gpus_);
      if (!profiles_[t].feasible(now, end, need)) return false;
      profiles_[t].reserve(now, end, need);
      return true;
    };
    bool ok = placement_->place(ctx, j, gpus_) && ctx.cluster().type_of(gpus_.front()) == reserved_type &&
              fits(reserved_type);
    if (!ok) ok = place_on_type(*placement_, ctx, j, reserved_type, gpus_) && fits(reserved_type);
    if (!ok) return false;
    ctx.start(j, gpus_);
    if (j != queue_.head) ++backfilled_;  // overtook an earlier job
    links_.erase(queue_, j);
    started_.push_back(j);
    if (now > first_reservation_[j] + 1e-6 * std::max(1.0, std::abs(now))) ++violations_;  // false for NaN
    reserved_at_[j] = kNever;
    return true;
  }

  std::unique_ptr<Placement> placement_;
  std::uint32_t depth_;
  double worst_slowdown_ = 1;
  JobLinks links_;
  JobList queue_;
  ReleaseIndex releases_;
  std::vector<Profile> profiles_;
  std::vector<Seconds> reserved_at_;         // per job: current reserved start (kNever: none)
  std::vector<TypeIndex> reserved_type_;     // per job: the type of its current reservation
  std::vector<Seconds> first_reservation_;   // per job: the first reserved start (NaN: none yet)
  std::vector<JobIndex> order_, started_;
  std::vector<std::uint64_t> seen_;          // per job: the last rebuild that placed it
  std::uint64_t pass_ = 0;
  bool rebuild_ = false;
  std::uint64_t reserved_jobs_ = 0, backfilled_ = 0, violations_ = 0;
  std::vector<GpuIndex> gpus_;
};

}  // namespace

PolicyInfo conservative_backfill_policy() {
  return {
      .name = "conservative-backfill",
      .summary = "FIFO with conservative backfilling: each of the first `depth` queued jobs holds a reservation; "
                 "a job starts early only if it delays no earlier reservation",
      .source = "conservative backfilling (Mu'alem & Feitelson, 2001)",
      .params = {placement_param(), consolidate_param(), spread_after_param(),
                 integer_param("depth", 32, 1, 1e5, "how many queued jobs (from the head) hold reservations (jobs)")},
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<ConservativeBackfill>(make_placement(p),
                                                          static_cast<std::uint32_t>(p.get_int("depth")));
          },
  };
}

FASTGPU_REGISTER_POLICY(conservative_backfill_policy);

}  // namespace fastgpu
