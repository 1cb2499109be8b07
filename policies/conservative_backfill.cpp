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
// Virtual clusters: one profile per GPU type within each partition (a VC's
// nodes; the nodes no VC owns), policies/conservative_backfill_pools.h. A job
// of a VC is reserved, and starts, only on its VC's nodes, so a job of one VC
// never delays another VC's reservations; a job without a VC takes the
// partition where it can start earliest. Each VC has its own queue (jobs
// without a VC share one), whose first `depth` jobs hold reservations, so a
// backlog in one VC never keeps another VC's jobs out of the reserved prefix;
// a job that cannot be reserved holds up only the jobs of its own queue. With `cluster.vc_lending`, a preemptible job
// that cannot start in its VC now may start on GPUs other VCs lend now; those
// are never counted in its VC's profile (they may be reclaimed at any time),
// so its reservation, if it returns to the queue, is again in its own VC.
//
// Cost per rebuild: O(depth x (releases examined + reservations)), bounded by
// the `depth` parameter; arrivals beyond the reserved prefix cost nothing.
// With VCs, each rebuild also recounts the partitions' pools from the running
// jobs: O(busy GPUs x log).
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
#include "policies/conservative_backfill_pools.h"
#include "policies/conservative_backfill_profile.h"
#include "policies/release_index.h"

namespace fastgpu {

namespace {

class ConservativeBackfill final : public Policy {
 public:
  ConservativeBackfill(std::unique_ptr<Placement> placement, std::uint32_t depth)
      : placement_(std::move(placement)), depth_(depth) {}

  void init(SchedulingContext& ctx) override {
    placement_->init(ctx);
    const std::size_t n = ctx.workload().jobs.size();
    links_.resize(n);
    releases_.init(ctx);
    pools_.init(ctx);
    reserved_at_.assign(n, kNever);
    reserved_pool_.assign(n, 0);
    first_reservation_.assign(n, NAN);
    seen_.assign(n, 0);
    profiles_.resize(pools_.size());
    queues_.assign(pools_.partitions(), JobList{});
    blocked_.assign(pools_.partitions(), 0);
    held_.assign(pools_.partitions(), 0);
    arrival_.assign(n, 0);
    const auto& slow = ctx.cluster().spec().slowdown;
    worst_slowdown_ = std::max({slow.same_node, slow.same_switch, slow.cross_switch});
  }
  void finish(SchedulingContext& ctx) override { placement_->finish(ctx); }
  void on_monitor(SchedulingContext& ctx) override { placement_->on_monitor(ctx); }
  void on_arrival(SchedulingContext& ctx, JobIndex j) override {
    JobList& queue = queues_[pools_.lane(ctx, j)];
    if (queue.size < depth_) rebuild_ = true;  // it joins the reserved prefix
    links_.push_back(queue, j);
    arrival_[j] = next_arrival_++;
  }
  void on_finish(SchedulingContext& ctx, JobIndex j) override {
    releases_.finished(ctx, j);
    rebuild_ = true;
  }

  void schedule(SchedulingContext& ctx) override {
    if (!rebuild_ || std::all_of(queues_.begin(), queues_.end(), [](const JobList& q) { return q.empty(); })) return;
    rebuild_ = false;
    const ClusterState& cluster = ctx.cluster();
    const Seconds now = ctx.now();
    if (pools_.partitioned()) {
      pools_.recount(ctx);
      for (std::uint32_t p = 0; p < pools_.size(); ++p) profiles_[p].reset(now, pools_.free_now(p), pools_.releases(p));
    } else {
      for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
        profiles_[t].reset(now, cluster.free_gpus_of_type(t), releases_.of_type(t));
      }
    }
    // The reserved prefix of each lane's queue (one lane per VC, one without
    // VCs), by previous reserved start (new ones, at kNever, last), ties in
    // arrival order.
    order_.clear();
    for (const JobList& queue : queues_) {
      std::size_t taken = 0;
      for (JobIndex j = queue.head; j != kNoJob && taken < depth_; j = links_.next(j), ++taken) order_.push_back(j);
    }
    // Usually already in that order (a stable sort would leave it as it is),
    // and the check needs no buffer, which the sort allocates at every call.
    const auto by_reserved_start = [&](JobIndex a, JobIndex b) {
      return reserved_at_[a] != reserved_at_[b] ? reserved_at_[a] < reserved_at_[b] : arrival_[a] < arrival_[b];
    };
    if (!std::is_sorted(order_.begin(), order_.end(), by_reserved_start))
      std::stable_sort(order_.begin(), order_.end(), by_reserved_start);
    started_.clear();
    ++pass_;
    // A job that could not be reserved blocks its lane (its VC's jobs): nothing behind it there may move.
    std::fill(blocked_.begin(), blocked_.end(), 0);
    std::fill(held_.begin(), held_.end(), 0);  // reservations held after this rebuild, per lane
    auto visit = [&](JobIndex j, std::uint32_t lane) {
      seen_[j] = pass_;
      if (blocked_[lane] != 0) {
        reserved_at_[j] = kNever;
      } else if (!place(ctx, j) && blocked_[lane] == 0) {
        ++held_[lane];
      }
    };
    for (JobIndex j : order_) visit(j, pools_.lane(ctx, j));
    // Jobs that started made room in the reserved prefix: the next ones in
    // queue order get their reservation (or start) now.
    for (std::uint32_t lane = 0; lane < queues_.size(); ++lane) {
      for (JobIndex j = queues_[lane].head; j != kNoJob && held_[lane] < depth_ && blocked_[lane] == 0;) {
        const JobIndex next = links_.next(j);
        if (seen_[j] != pass_) visit(j, lane);
        j = next;
      }
    }
    for (JobIndex j : started_) releases_.started(ctx, j);
  }

  std::map<std::string, std::string> attributes() const override {
    std::map<std::string, std::string> a{{"reserved_jobs", std::to_string(reserved_jobs_)},
                                         {"backfilled_jobs", std::to_string(backfilled_)},
                                         {"reservation_violations", std::to_string(violations_)}};
    if (pools_.partitioned()) a["borrowing_starts"] = std::to_string(borrowing_starts_);  // lending: started on borrowed GPUs
    return a;
  }

 private:
  // Estimated duration of job j in a pool for a reservation: the slowest
  // placement it could get (kNever without an estimate).
  Seconds reserved_duration(const SchedulingContext& ctx, JobIndex j, std::uint32_t pool) const {
    const double work = ctx.estimated_remaining_work(j);
    if (std::isnan(work)) return kNever;
    const ClusterState& cluster = ctx.cluster();
    const TypeIndex t = pools_.type_of_pool(pool);
    // A gang may be spread over nodes (unless its pool has a single node).
    const std::int64_t pool_gpus = pools_.partitioned() ? pools_.capacity(pool) : cluster.gpus_of_type(t);
    const bool may_spread = ctx.job(j).num_gpus > 1 && pool_gpus > cluster.max_gpus_per_node(t);
    const double slowdown = may_spread ? worst_slowdown_ : cluster.spec().slowdown.same_node;
    return work * slowdown / cluster.gpu_type(t).speed;
  }

  // Reserves j at its earliest slot, or starts it if that is now (or, with
  // lending, on borrowed GPUs). Returns whether it started; blocks its lane
  // when it can neither start nor be reserved.
  bool place(SchedulingContext& ctx, JobIndex j) {
    const ClusterState& cluster = ctx.cluster();
    const Seconds now = ctx.now();
    const std::int64_t need = whole_gpus(ctx.job(j));
    Seconds best = kNever;
    std::uint32_t best_pool = 0;
    // A job keeps the pool of its previous reservation: moving it to another
    // pool could take the slot of a later job reserved there.
    const bool keep_pool = reserved_at_[j] != kNever;
    for (std::uint32_t part = 0; part < pools_.partitions(); ++part) {
      if (!pools_.may_use(ctx, j, part)) continue;
      for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
        const std::uint32_t p = pools_.pool(part, t);
        if (!ctx.type_allowed(j, t) || (keep_pool && p != reserved_pool_[j])) continue;
        if (pools_.partitioned() && pools_.capacity(p) < need) continue;  // never there
        const Seconds duration = reserved_duration(ctx, j, p);
        // Unknown length: the job may only start now, holding its GPUs for ever
        // in this rebuild, and only where that crosses no reservation.
        const Seconds s = duration == kNever ? (profiles_[p].feasible(now, kNever, need) ? now : kNever)
                                             : profiles_[p].earliest(need, duration);
        if (s < best) {
          best = s;
          best_pool = p;
        }
      }
    }
    if (best == now && try_start(ctx, j, best_pool, need)) return true;
    if (pools_.partitioned()) {
      const VcNodeFilter borrowable = ctx.vcs().borrowable();
      if (ctx.vcs().may_borrow(j, ctx.job(j)) && try_start_spanning(ctx, j, &borrowable)) {
        ++borrowing_starts_;
        return true;
      }
      // A job without a VC larger than every partition: it may start now over
      // several partitions where that delays no reservation, never later.
      if (best == kNever && ctx.vcs().vc_of(j) == kNoVc && try_start_spanning(ctx, j, nullptr)) return true;
    }
    if (best == kNever) {
      blocked_[pools_.lane(ctx, j)] = 1;
      reserved_at_[j] = kNever;
      return false;
    }
    profiles_[best_pool].reserve(best, best + reserved_duration(ctx, j, best_pool), need);
    if (std::isnan(first_reservation_[j])) {
      first_reservation_[j] = best;
      ++reserved_jobs_;
    }
    reserved_at_[j] = best;
    reserved_pool_[j] = best_pool;
    return false;
  }

  // The estimated end of j if it started now on gpus_ (kNever without an estimate).
  Seconds end_if_started(const SchedulingContext& ctx, JobIndex j) const {
    const double work = ctx.estimated_remaining_work(j);
    return std::isnan(work) ? kNever : ctx.now() + work / ctx.rate_on(j, gpus_);
  }

  // Starts j now in its reserved pool if that has room for its actual
  // duration there (the configured placement's choice first, else first fit;
  // with VCs, the placement over the pool's partition). Only the reserved
  // pool: later jobs' reservations in other pools are not in those profiles yet.
  bool try_start(SchedulingContext& ctx, JobIndex j, std::uint32_t pool, std::int64_t need) {
    const TypeIndex reserved_type = pools_.type_of_pool(pool);
    auto fits = [&] {
      const Seconds end = end_if_started(ctx, j);
      if (!profiles_[pool].feasible(ctx.now(), end, need)) return false;
      profiles_[pool].reserve(ctx.now(), end, need);
      return true;
    };
    bool ok = false;
    if (pools_.partitioned()) {
      ok = placement_->place_on_nodes_of(ctx, j, std::uint64_t{1} << reserved_type,
                                         pools_.nodes_of(ctx, pools_.partition_of_pool(pool)), gpus_) &&
           fits();
    } else {
      ok = placement_->place(ctx, j, gpus_) && ctx.cluster().type_of(gpus_.front()) == reserved_type && fits();
      if (!ok) ok = place_on_type(*placement_, ctx, j, reserved_type, gpus_) && fits();
    }
    if (!ok) return false;
    start(ctx, j);
    return true;
  }

  // Starts j now on GPUs the placement picks among `allowed` (any node when
  // null), if every pool they lie in has room for them until j's estimated
  // end. Lending: `allowed` = the GPUs VCs lend now (and nodes no VC owns),
  // never counted in a reservation of j's own VC; their owners have no job
  // waiting, so no reservation of theirs is there, but a job without a VC
  // may be reserved there.
  bool try_start_spanning(SchedulingContext& ctx, JobIndex j, const VcNodeFilter* allowed) {
    const bool placed = allowed != nullptr ? placement_->place_on_nodes_of(ctx, j, ~std::uint64_t{0}, *allowed, gpus_)
                                           : placement_->place(ctx, j, gpus_);
    if (!placed) return false;
    const Seconds end = end_if_started(ctx, j);
    taken_.clear();  // (pool, GPUs)
    for (GpuIndex g : gpus_) {
      const std::uint32_t p = pools_.pool_of_gpu(ctx.cluster(), g);
      auto it = std::find_if(taken_.begin(), taken_.end(), [&](const auto& e) { return e.first == p; });
      if (it == taken_.end()) {
        taken_.emplace_back(p, 1);
      } else {
        ++it->second;
      }
    }
    for (const auto& [p, n] : taken_)
      if (!profiles_[p].feasible(ctx.now(), end, n)) return false;
    for (const auto& [p, n] : taken_) profiles_[p].reserve(ctx.now(), end, n);
    start(ctx, j);
    return true;
  }

  void start(SchedulingContext& ctx, JobIndex j) {
    const Seconds now = ctx.now();
    ctx.start(j, gpus_);
    JobList& queue = queues_[pools_.lane(ctx, j)];
    if (j != queue.head) ++backfilled_;  // overtook an earlier job (of its VC)
    links_.erase(queue, j);
    started_.push_back(j);
    if (now > first_reservation_[j] + 1e-6 * std::max(1.0, std::abs(now))) ++violations_;  // false for NaN
    reserved_at_[j] = kNever;
  }

  std::unique_ptr<Placement> placement_;
  std::uint32_t depth_;
  double worst_slowdown_ = 1;
  JobLinks links_;
  std::vector<JobList> queues_;              // per lane (one per VC, one for jobs without a VC)
  ReleaseIndex releases_;                    // without VCs: the profiles' releases, kept incrementally
  BackfillPools pools_;
  std::vector<BackfillProfile> profiles_;    // per pool
  std::vector<Seconds> reserved_at_;         // per job: current reserved start (kNever: none)
  std::vector<std::uint32_t> reserved_pool_; // per job: the pool of its current reservation
  std::vector<Seconds> first_reservation_;   // per job: the first reserved start (NaN: none yet)
  std::vector<JobIndex> order_, started_;
  std::vector<std::uint64_t> seen_;          // per job: the last rebuild that placed it
  std::vector<std::uint8_t> blocked_;        // per lane, this rebuild
  std::vector<std::size_t> held_;            // per lane, this rebuild
  std::vector<std::uint64_t> arrival_;       // per job: order of its (latest) arrival in the queue
  std::uint64_t next_arrival_ = 0;
  std::vector<std::pair<std::uint32_t, std::int64_t>> taken_;
  std::uint64_t pass_ = 0;
  bool rebuild_ = false;
  std::uint64_t reserved_jobs_ = 0, backfilled_ = 0, violations_ = 0, borrowing_starts_ = 0;
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
