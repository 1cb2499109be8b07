// easy-backfill: FIFO with EASY backfilling (Lifka, "The ANL/IBM SP scheduling
// system", JSSPP 1995; Mu'alem & Feitelson, IEEE TPDS 12(6), 2001).
//
// Jobs start in arrival order while they fit. When the head does not fit it
// gets a reservation: the earliest time enough GPUs of one allowed type are
// expected to be free, from the running jobs' estimated finishes (the
// "shadow time"), and how many GPUs of that type will be left over then (the
// "extra" GPUs). A later job, among the next `depth` in the queue, may start
// now if it fits now and cannot delay that reservation: it runs on another
// GPU type, or it is expected to finish by the shadow time, or it uses no
// more than the extra GPUs (which it then consumes).
//
// Cost: the reservation walks the release index only as far as the head's
// need (cached until a start or finish); candidates are rescanned in full only
// after GPUs were freed or the head changed, otherwise only the jobs that
// arrived since the last decision are tried.
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "policies/backfill_support.h"
#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/job_list.h"
#include "policies/placement.h"
#include "policies/release_index.h"

namespace fastgpu {

namespace {

class EasyBackfill final : public Policy {
 public:
  EasyBackfill(std::unique_ptr<Placement> placement, std::uint32_t depth)
      : placement_(std::move(placement)), depth_(depth) {}

  void init(SchedulingContext& ctx) override {
    placement_->init(ctx);
    links_.resize(ctx.workload().jobs.size());
    releases_.init(ctx);
  }
  void finish(SchedulingContext& ctx) override { placement_->finish(ctx); }
  void on_monitor(SchedulingContext& ctx) override { placement_->on_monitor(ctx); }
  void on_arrival(SchedulingContext&, JobIndex j) override {
    if (queue_.size <= depth_) arrivals_.push_back(j);  // within reach of the backfill scan
    links_.push_back(queue_, j);
  }
  void on_finish(SchedulingContext& ctx, JobIndex j) override {
    releases_.finished(ctx, j);
    full_scan_ = true;
  }

  void schedule(SchedulingContext& ctx) override {
    // FIFO: the head starts while it fits.
    while (!queue_.empty() && placement_->place(ctx, queue_.head, gpus_)) {
      start(ctx, queue_.head);
      full_scan_ = true;
    }
    if (queue_.empty() || (!full_scan_ && arrivals_.empty())) {
      arrivals_.clear();
      full_scan_ = false;
      return;
    }
    const JobIndex head = queue_.head;
    if (head != cached_head_ || releases_.version() != cached_version_ || reservation_.time < ctx.now()) {
      reserve(ctx, head);
    }
    // Without a reservation (running jobs without estimates) nothing may
    // overtake the head: that is FIFO.
    if (reservation_.time != kNever) {
      if (full_scan_) {
        JobIndex j = links_.next(head);
        for (std::uint32_t seen = 0; j != kNoJob && seen < depth_; ++seen) {
          const JobIndex next = links_.next(j);
          try_backfill(ctx, j);
          j = next;
        }
      } else {
        for (JobIndex j : arrivals_) {
          if (j != head && links_.linked(j)) try_backfill(ctx, j);
        }
      }
    }
    // The reservation stays valid across this decision's own backfills: those
    // end by the shadow time or consumed extra GPUs, which is what a fresh
    // walk of the release index would find.
    cached_version_ = releases_.version();
    arrivals_.clear();
    full_scan_ = false;
  }

  std::map<std::string, std::string> attributes() const override {
    return {{"backfilled_jobs", std::to_string(backfilled_)}};
  }

 private:
  struct Reservation {
    Seconds time = kNever;  // shadow time
    TypeIndex type = 0;     // GPU type the head is reserved on
    std::int64_t extra = 0; // GPUs of that type free at the shadow time beyond the head's need
  };

  void start(SchedulingContext& ctx, JobIndex j) {
    ctx.start(j, gpus_);
    links_.erase(queue_, j);
    releases_.started(ctx, j);
  }

  // The head's reservation: per allowed type, accumulate free GPUs and the
  // estimated releases in time order until the head's need is met (all
  // releases at that same instant included); the earliest type wins.
  void reserve(const SchedulingContext& ctx, JobIndex head) {
    const ClusterState& cluster = ctx.cluster();
    const Seconds now = ctx.now();
    const std::int64_t need = whole_gpus(ctx.job(head));
    reservation_ = Reservation{};
    for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
      if (!ctx.type_allowed(head, t)) continue;
      std::int64_t avail = cluster.free_gpus_of_type(t);
      Seconds at = avail >= need ? now : kNever;
      for (const ReleaseIndex::Entry& e : releases_.of_type(t)) {
        const Seconds when = std::max(now, e.time);
        if ((avail >= need && when > at) || e.time == kNever) break;
        avail += e.gpus;
        at = when;
      }
      if (avail < need) continue;
      if (at < reservation_.time) reservation_ = Reservation{at, t, avail - need};
    }
    cached_head_ = head;
  }

  // Whether j fails the reservation test on whatever GPUs it would get, so
  // that placing it is wasted work: it may use only the reserved type, needs
  // more than the extra GPUs, and would end after the shadow time even at
  // that type's fastest rate (the smallest topology factor; rounding is
  // monotone, so the bound never exceeds the end computed on real GPUs).
  bool cannot_backfill(const SchedulingContext& ctx, JobIndex j) const {
    const ClusterState& cluster = ctx.cluster();
    const TypeIndex reserved = reservation_.type;
    if (ctx.allowed_type_mask(j) != std::uint64_t{1} << reserved) return false;
    if (static_cast<std::int64_t>(whole_gpus(ctx.job(j))) <= reservation_.extra) return false;
    const PlacementSlowdown& f = cluster.spec().slowdown;
    const double fastest = cluster.gpu_type(reserved).speed / std::min({f.same_node, f.same_switch, f.cross_switch});
    return ctx.now() + ctx.estimated_remaining_work(j) / fastest > reservation_.time;  // NaN: false
  }

  void try_backfill(SchedulingContext& ctx, JobIndex j) {
    if (cannot_backfill(ctx, j)) return;
    if (!placement_->place(ctx, j, gpus_)) return;
    const ClusterState& cluster = ctx.cluster();
    // Another GPU type than the head's reservation cannot delay it.
    bool ok = cluster.type_of(gpus_.front()) != reservation_.type;
    if (!ok) {
      // Expected end on these GPUs; NaN (no estimate) compares false.
      const Seconds end = ctx.now() + ctx.estimated_remaining_work(j) / ctx.rate_on(j, gpus_);
      ok = end <= reservation_.time;
    }
    if (!ok && static_cast<std::int64_t>(whole_gpus(ctx.job(j))) <= reservation_.extra) {
      reservation_.extra -= whole_gpus(ctx.job(j));
      ok = true;
    }
    // The configured placement chose the reserved type; another type may still have room.
    for (TypeIndex t = 0; !ok && t < cluster.num_types(); ++t) {
      ok = t != reservation_.type && place_on_type(*placement_, ctx, j, t, gpus_);
    }
    if (!ok) return;
    start(ctx, j);
    ++backfilled_;
  }

  std::unique_ptr<Placement> placement_;
  std::uint32_t depth_;
  JobLinks links_;
  JobList queue_;
  ReleaseIndex releases_;
  std::vector<JobIndex> arrivals_;  // arrived since the last decision, within the scan depth
  bool full_scan_ = true;
  Reservation reservation_;
  JobIndex cached_head_ = kNoJob;
  std::uint64_t cached_version_ = ~0ULL;
  std::uint64_t backfilled_ = 0;
  std::vector<GpuIndex> gpus_;
};

}  // namespace

PolicyInfo easy_backfill_policy() {
  return {
      .name = "easy-backfill",
      .summary = "FIFO with EASY backfilling: the blocked head job gets a reservation from the running jobs' "
                 "estimated finishes; later jobs may start only if they cannot delay it",
      .source = "EASY backfilling (Lifka, 1995; analysed by Mu'alem & Feitelson, 2001)",
      .params = {placement_param(), consolidate_param(), spread_after_param(),
                 integer_param("depth", 100, 1, 1e6,
                               "how many queued jobs behind the head are tried for backfilling (jobs)")},
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<EasyBackfill>(make_placement(p),
                                                  static_cast<std::uint32_t>(p.get_int("depth")));
          },
  };
}

FASTGPU_REGISTER_POLICY(easy_backfill_policy);

}  // namespace fastgpu
