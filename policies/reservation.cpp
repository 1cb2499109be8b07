// reservation: resource reservation. Some GPUs are held back for
// "protected" jobs (priority >= priority_threshold: high-priority or burst
// work). How many is learned from history: at every monitor sample the
// protected demand D (GPUs held by running protected jobs + GPUs asked for by
// pending protected jobs) is recorded, and the reservation is re-sized to the
// EWMA of D or a quantile of D over the last `window` seconds, rounded to the
// nearest whole GPU (halves up) and capped at max_fraction of the cluster.
//
// Which GPUs: the highest-numbered ones (a suffix of the GPU numbering), so
// normal jobs, placed first-fit from the low end, leave them alone. A GPU
// that becomes reserved while busy keeps its job; it is free for protected
// jobs once that job ends. Normal jobs never start on reserved GPUs; protected
// jobs try the reserved GPUs first and otherwise take any free GPUs.
//
// Queues: protected jobs by priority (then arrival), normal jobs in arrival
// order, each with head-of-line blocking; protected jobs are served first.
// A protected job counts a reservation hit when it starts at its arrival
// instant on reserved GPUs only, and a miss otherwise (it had to wait, or
// spilled onto unreserved GPUs).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <queue>
#include <tuple>

#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/placement.h"
#include "sim/error.h"

namespace fastgpu {

namespace {

struct ReservationParams {
  std::int32_t priority_threshold = 1;
  bool quantile_sizing = false;
  double alpha = 0.2, quantile = 0.9, max_fraction = 0.5, initial = 0;
  Seconds window = 3600;
};

// Wholly free GPUs per node split into two classes (0 = unreserved,
// 1 = reserved), with first-fit indexes over each class.
struct Partition {
  std::vector<std::uint32_t> free[2];  // per node
  NodeFreeIndex all[2];
  std::vector<NodeFreeIndex> by_type[2];  // empty with one type: all[c] serves it

  const NodeFreeIndex& of_type(int c, TypeIndex t) const { return by_type[c].empty() ? all[c] : by_type[c][t]; }

  void init(const ClusterState& cluster) {
    for (int c = 0; c < 2; ++c) {
      free[c].assign(cluster.num_nodes(), 0);
      by_type[c].assign(cluster.num_types() > 1 ? cluster.num_types() : 0, {});
    }
    for (NodeIndex n = 0; n < cluster.num_nodes(); ++n) count(cluster, n);
    std::vector<NodeIndex> order(cluster.num_nodes());
    std::vector<std::vector<NodeIndex>> typed(cluster.num_types());
    for (NodeIndex n = 0; n < cluster.num_nodes(); ++n) {
      order[n] = n;
      typed[cluster.type_of_node(n)].push_back(n);
    }
    for (int c = 0; c < 2; ++c) {
      all[c].reorder(order, free[c]);
      for (TypeIndex t = 0; t < by_type[c].size(); ++t) by_type[c][t].reorder(typed[t], free[c]);
    }
  }
  void count(const ClusterState& cluster, NodeIndex n) {
    free[0][n] = free[1][n] = 0;
    const GpuIndex first = cluster.first_gpu(n);
    for (GpuIndex g = first; g < first + cluster.gpus_on_node(n); ++g) {
      if (cluster.is_free(g)) ++free[cluster.is_reserved(g) ? 1 : 0][n];
    }
  }
  // After a change of any GPU of node n (allocation or reservation).
  void refresh(const ClusterState& cluster, NodeIndex n) {
    count(cluster, n);
    for (int c = 0; c < 2; ++c) {
      all[c].update(n, free[c][n]);
      if (!by_type[c].empty()) by_type[c][cluster.type_of_node(n)].update(n, free[c][n]);
    }
  }
};

// First-fit placement that sees only the GPUs of one class.
class ClassPlacement : public Placement {
 public:
  ClassPlacement(const Partition& part, int cls) : part_(part), cls_(cls) {}

 protected:
  const NodeFreeIndex& index_all(const SchedulingContext&) const override { return part_.all[cls_]; }
  const NodeFreeIndex& index_of_type(const SchedulingContext&, TypeIndex t) const override {
    return part_.of_type(cls_, t);
  }
  void pick_on_node(const SchedulingContext& ctx, NodeIndex node, std::uint32_t count,
                    std::vector<GpuIndex>& gpus) const override {
    const ClusterState& cluster = ctx.cluster();
    const GpuIndex first = cluster.first_gpu(node);
    for (GpuIndex g = first; count > 0 && g < first + cluster.gpus_on_node(node); ++g) {
      if (cluster.is_free(g) && in_class(cluster, g)) {
        gpus.push_back(g);
        --count;
      }
    }
    if (count > 0) throw InternalError("reservation: node has fewer free GPUs of the class than counted");
  }
  bool shared_usable(const SchedulingContext& ctx, GpuIndex g) const override { return in_class(ctx.cluster(), g); }

 private:
  bool in_class(const ClusterState& cluster, GpuIndex g) const { return (cluster.is_reserved(g) ? 1 : 0) == cls_; }
  const Partition& part_;
  int cls_;
};

class ReservationPolicy : public Policy {
 public:
  explicit ReservationPolicy(ReservationParams p) : p_(p), normal_(part_, 0), reserved_(part_, 1) {}

  void init(SchedulingContext& ctx) override {
    const ClusterState& cluster = ctx.cluster();
    cap_ = static_cast<std::uint32_t>(std::floor(p_.max_fraction * cluster.num_gpus() + 1e-9));
    estimate_ = p_.initial;
    part_.init(cluster);
    resize(ctx, target_size());
    watch_.part = &part_;
    watch_.cluster = &cluster;
    cluster.attach(&watch_);
  }
  void finish(SchedulingContext& ctx) override { ctx.cluster().detach(&watch_); }

  void on_arrival(SchedulingContext& ctx, JobIndex j) override {
    const Job& job = ctx.job(j);
    if (is_protected(job)) {
      protected_queue_.push({-static_cast<std::int64_t>(job.priority), job.submit, j});
      protected_pending_ += demand_of(job);
      arrived_now_.push_back(j);
    } else {
      normal_queue_.push({job.submit, j});
    }
  }
  void on_requeue(SchedulingContext& ctx, JobIndex j) override {
    const Job& job = ctx.job(j);
    protected_running_ -= is_protected(job) ? demand_of(job) : 0;
    if (is_protected(job)) {
      protected_queue_.push({-static_cast<std::int64_t>(job.priority), job.submit, j});
      protected_pending_ += demand_of(job);
    } else {
      normal_queue_.push({job.submit, j});
    }
  }
  void on_finish(SchedulingContext& ctx, JobIndex j) override {
    if (is_protected(ctx.job(j))) protected_running_ -= demand_of(ctx.job(j));
  }

  void schedule(SchedulingContext& ctx) override {
    // Protected jobs: reserved GPUs first, else any free GPUs.
    while (!protected_queue_.empty()) {
      const JobIndex j = std::get<2>(protected_queue_.top());
      bool on_reserved = reserved_.place(ctx, j, gpus_);
      if (!on_reserved && !any_.place(ctx, j, gpus_)) break;
      protected_queue_.pop();
      ctx.start(j, gpus_);
      protected_pending_ -= demand_of(ctx.job(j));
      protected_running_ += demand_of(ctx.job(j));
      if (on_reserved) hit_.push_back(j);
    }
    // Normal jobs: unreserved GPUs only.
    bool normal_blocked = false;
    while (!normal_queue_.empty()) {
      const JobIndex j = normal_queue_.top().second;
      if (!normal_.place(ctx, j, gpus_)) {
        normal_blocked = true;
        break;
      }
      normal_queue_.pop();
      ctx.start(j, gpus_);
    }
    // Hits and misses of the protected jobs that arrived at this instant.
    for (JobIndex j : arrived_now_) {
      ctx.count_reservation(std::find(hit_.begin(), hit_.end(), j) != hit_.end());
    }
    arrived_now_.clear();
    hit_.clear();
    // A normal job held back only by the reservation, on an otherwise idle
    // cluster: wake up at the next sample, which re-sizes the reservation.
    if (normal_blocked && ctx.running().empty() && !(timer_at_ > ctx.now())) {
      const Seconds mi = ctx.monitor_interval();
      timer_at_ = (std::floor(ctx.now() / mi) + 1) * mi;
      ctx.set_timer(timer_at_);
    }
  }

  void on_monitor(SchedulingContext& ctx) override {
    const double demand = protected_running_ + protected_pending_;
    if (p_.quantile_sizing) {
      history_.emplace_back(ctx.now(), demand);
      while (!history_.empty() && history_.front().first <= ctx.now() - p_.window) history_.pop_front();
      scratch_.clear();
      for (const auto& sample : history_) scratch_.push_back(sample.second);
      // Nearest-rank quantile: the smallest value with at least q of the samples at or below it.
      const std::size_t rank = static_cast<std::size_t>(std::ceil(p_.quantile * scratch_.size() - 1e-9));
      const std::size_t k = rank == 0 ? 0 : rank - 1;
      std::nth_element(scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(k), scratch_.end());
      estimate_ = scratch_[k];
    } else {
      estimate_ = p_.alpha * demand + (1 - p_.alpha) * estimate_;
    }
    resize(ctx, target_size());
  }

  std::map<std::string, std::string> attributes() const override {
    return {{"reserved_gpus_final", fmt::format("{}", reserved_count_)},
            {"reserved_gpus_peak", fmt::format("{}", peak_)}};
  }

 private:
  using ProtectedEntry = std::tuple<std::int64_t, double, JobIndex>;  // (-priority, submit, index)
  using NormalEntry = std::pair<double, JobIndex>;                    // (submit, index)

  bool is_protected(const Job& job) const { return job.priority >= p_.priority_threshold; }
  static double demand_of(const Job& job) { return job.num_gpus * static_cast<double>(job.gpu_share); }

  std::uint32_t target_size() const {
    const double want = std::floor(std::max(0.0, estimate_) + 0.5);  // nearest whole GPU, halves up
    return static_cast<std::uint32_t>(std::min<double>(want, cap_));
  }

  // Reserves the `size` highest-numbered GPUs.
  void resize(SchedulingContext& ctx, std::uint32_t size) {
    const ClusterState& cluster = ctx.cluster();
    const std::uint32_t total = cluster.num_gpus();
    const std::uint32_t from = std::min(size, reserved_count_), to = std::max(size, reserved_count_);
    for (std::uint32_t i = from; i < to; ++i) {
      const GpuIndex g = total - 1 - i;
      ctx.reserve(g, size > reserved_count_);
      const NodeIndex n = cluster.node_of(g);
      if (i + 1 == to || g == 0 || cluster.node_of(g - 1) != n) part_.refresh(cluster, n);
    }
    reserved_count_ = size;
    peak_ = std::max(peak_, size);
  }

  ReservationParams p_;
  Partition part_;
  // Every change of a node's wholly free GPUs (a start, a finish, a
  // preemption's release, a GPU failure or repair) reaches the partition
  // through the cluster; a change of the reserved set, which the cluster does
  // not report, is counted by resize().
  struct NodeWatch final : NodeFreeObserver {
    Partition* part = nullptr;
    const ClusterState* cluster = nullptr;
    void update(NodeIndex n, std::uint32_t) override { part->refresh(*cluster, n); }
  };
  NodeWatch watch_;
  ClassPlacement normal_, reserved_;
  FirstFitPlacement any_;
  std::priority_queue<ProtectedEntry, std::vector<ProtectedEntry>, std::greater<>> protected_queue_;
  std::priority_queue<NormalEntry, std::vector<NormalEntry>, std::greater<>> normal_queue_;
  std::vector<GpuIndex> gpus_;
  std::vector<JobIndex> arrived_now_, hit_;
  double protected_running_ = 0, protected_pending_ = 0, estimate_ = 0;
  std::deque<std::pair<Seconds, double>> history_;
  std::vector<double> scratch_;
  std::uint32_t cap_ = 0, reserved_count_ = 0, peak_ = 0;
  Seconds timer_at_ = -kNever;
};

}  // namespace

PolicyInfo reservation_policy() {
  return {
      .name = "reservation",
      .summary =
          "keeps GPUs for protected jobs (priority >= priority_threshold), sized from the history of their "
          "demand (EWMA or a quantile over a sliding window), re-sized at every monitor sample",
      .source = "resource reservation: GPUs held back for protected jobs, sized from their recent demand",
      .params = {integer_param("priority_threshold", 1, -2147483648.0, 2147483647.0,
                               "jobs with priority >= this are protected (may use reserved GPUs)"),
                 choice_param("sizing", "ewma", {"ewma", "quantile"},
                              "how the protected demand history sizes the reservation"),
                 number_param("alpha", 0.2, 1e-6, 1, "EWMA weight of the newest demand sample (sizing = ewma)"),
                 number_param("quantile", 0.9, 0, 1,
                              "quantile of the demand samples in the window (sizing = quantile)"),
                 number_param("window", 3600.0, 1e-9, kUnbounded,
                              "seconds of demand history the quantile looks at (sizing = quantile)"),
                 number_param("max_fraction", 0.5, 0, 1, "at most this fraction of the cluster's GPUs is reserved"),
                 number_param("initial", 0.0, 0, kUnbounded,
                              "reserved GPUs before the first sample (the EWMA's starting value)")},
      .create =
          [](const PolicyParams& params) {
            ReservationParams p;
            p.priority_threshold = static_cast<std::int32_t>(params.get_int("priority_threshold"));
            p.quantile_sizing = params.get_string("sizing") == "quantile";
            p.alpha = params.get_double("alpha");
            p.quantile = params.get_double("quantile");
            p.window = params.get_double("window");
            p.max_fraction = params.get_double("max_fraction");
            p.initial = params.get_double("initial");
            return std::make_unique<ReservationPolicy>(p);
          },
  };
}

FASTGPU_REGISTER_POLICY(reservation_policy);

}  // namespace fastgpu
