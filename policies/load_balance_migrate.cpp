// load-balance-migrate: load balancing with migration. Jobs start in
// arrival order (head-of-line blocking) on the least-loaded node and GPUs; at
// every monitor sample the policy measures the imbalance of the node loads
// and, when it passes `threshold`, migrates jobs from hot nodes to cold nodes
// with free GPUs until it falls to `threshold_low` (hysteresis), at most
// `max_migrations` per sample and never the same job twice within `cooldown`.
// The engine charges each migration checkpoint + restore time.
//
// Load of a node: the mean over its GPUs of the monitored busy fraction over
// the last interval (SchedulingContext::gpu_load). Imbalance: max - min of the
// node loads ("range") or their standard deviation ("stddev"). Moving a job of
// k GPUs x share s from node h to node c is projected to change the next
// interval's loads by -k*s/G_h and +k*s/G_c (G = GPUs of the node); a move is
// made only if it shrinks the gap between the two nodes (k*s/G_h + k*s/G_c <
// 2 * (load_h - load_c)), so it always improves the balance.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>

#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/node_loads.h"
#include "policies/placement.h"
#include "sim/error.h"

namespace fastgpu {

namespace {

struct LbmParams {
  double threshold = 0.5, threshold_low = 0.2;
  Seconds cooldown = 1800, min_remaining = 600;
  std::uint32_t max_migrations = 4, max_hot_nodes = 4;
  bool stddev = false;
};

// The least-loaded placement; its per-type node orders (coldest first, ties
// by index, free counts kept current by the cluster) are also the order in
// which a migration looks for a destination, so the policy reads them
// instead of sorting and indexing the same order again at every sample.
class ColdestFirstPlacement : public LeastLoadedPlacement {
 public:
  const NodeFreeIndex& coldest_first(const SchedulingContext& ctx, TypeIndex t) const {
    return index_of_type(ctx, t);
  }
};

class LoadBalanceMigratePolicy : public Policy {
 public:
  explicit LoadBalanceMigratePolicy(LbmParams p) : p_(p) {}

  void init(SchedulingContext& ctx) override {
    const ClusterState& cluster = ctx.cluster();
    const std::size_t n = ctx.workload().jobs.size();
    placement_.init(ctx);
    node_jobs_.assign(cluster.num_nodes(), {});
    job_node_.assign(n, kNoNode);
    job_pos_.assign(n, 0);
    last_migrated_.assign(n, -kNever);
  }

  void finish(SchedulingContext& ctx) override { placement_.finish(ctx); }

  void on_arrival(SchedulingContext& ctx, JobIndex j) override { queue_.push({ctx.job(j).submit, j}); }
  void on_requeue(SchedulingContext& ctx, JobIndex j) override { queue_.push({ctx.job(j).submit, j}); }
  void on_finish(SchedulingContext&, JobIndex j) override { forget(j); }

  void schedule(SchedulingContext& ctx) override {
    while (!queue_.empty()) {
      const JobIndex j = queue_.top().second;
      if (!placement_.place(ctx, j, gpus_)) break;
      queue_.pop();
      ctx.start(j, gpus_);
      remember(ctx, j);
    }
  }

  void on_monitor(SchedulingContext& ctx) override {
    placement_.on_monitor(ctx);  // brings the node loads up to date, and the coldest-first order
    const ClusterState& cluster = ctx.cluster();
    const NodeLoads& loads = placement_.node_loads();
    // Unchanged loads while inactive: the imbalance is the same, still below the threshold.
    if (loads.recomputed().empty() && !active_) return;
    const std::vector<double>& node_load = loads.values();
    const double imbalance = measure(node_load);
    if (!active_ && imbalance > p_.threshold)
      active_ = true;
    else if (active_ && imbalance <= p_.threshold_low)
      active_ = false;
    if (!active_) return;
    ++active_samples_;
    proj_ = node_load;
    touched_.assign(cluster.num_nodes(), 0);
    for (std::uint32_t moves = 0; moves < p_.max_migrations && measure(proj_) > p_.threshold_low; ++moves) {
      if (!migrate_one(ctx)) break;
    }
  }

  std::map<std::string, std::string> attributes() const override {
    return {{"lbm_active_samples", fmt::format("{}", active_samples_)},
            {"lbm_migrations", fmt::format("{}", migrations_)}};
  }

 private:
  double measure(const std::vector<double>& loads) const {
    if (loads.empty()) return 0;
    if (!p_.stddev) {
      const auto [lo, hi] = std::minmax_element(loads.begin(), loads.end());
      return *hi - *lo;
    }
    const double mean = std::accumulate(loads.begin(), loads.end(), 0.0) / loads.size();
    double sq = 0;
    for (double l : loads) sq += (l - mean) * (l - mean);
    return std::sqrt(sq / loads.size());
  }

  // One move from one of the `max_hot_nodes` hottest nodes (projected loads),
  // the one that leaves the two nodes' loads closest. False if none helps.
  bool migrate_one(SchedulingContext& ctx) {
    const ClusterState& cluster = ctx.cluster();
    const std::uint32_t hot_count = std::min<std::uint32_t>(p_.max_hot_nodes, cluster.num_nodes());
    order_.resize(cluster.num_nodes());
    std::iota(order_.begin(), order_.end(), 0);
    auto hotter = [&](NodeIndex a, NodeIndex b) { return proj_[a] > proj_[b] || (proj_[a] == proj_[b] && a < b); };
    std::partial_sort(order_.begin(), order_.begin() + hot_count, order_.end(), hotter);
    for (std::uint32_t h_i = 0; h_i < hot_count; ++h_i) {
      const NodeIndex h = order_[h_i];
      JobIndex best_job = kNoJob;
      NodeIndex best_dest = kNoNode;
      double best_gap = kNever;
      for (JobIndex j : node_jobs_[h]) {
        if (!movable(ctx, j)) continue;
        const Job& job = ctx.job(j);
        const double amount = job.num_gpus * static_cast<double>(job.gpu_share);
        const double d_h = amount / cluster.gpus_on_node(h);
        const NodeIndex c = coldest_destination(ctx, j, h);
        if (c == kNoNode) continue;
        const double d_c = amount / cluster.gpus_on_node(c);
        if (!(d_h + d_c < 2 * (proj_[h] - proj_[c]))) continue;  // would not improve the balance
        const double gap = std::abs((proj_[h] - d_h) - (proj_[c] + d_c));
        if (gap < best_gap || (gap == best_gap && j < best_job)) {
          best_gap = gap;
          best_job = j;
          best_dest = c;
        }
      }
      if (best_job == kNoJob) continue;
      const Job& job = ctx.job(best_job);
      const double amount = job.num_gpus * static_cast<double>(job.gpu_share);
      pick_gpus(ctx, best_dest, job.num_gpus);
      ctx.migrate(best_job, gpus_);
      proj_[h] -= amount / cluster.gpus_on_node(h);
      proj_[best_dest] += amount / cluster.gpus_on_node(best_dest);
      touched_[best_dest] = 1;
      last_migrated_[best_job] = ctx.now();
      forget(best_job);
      remember(ctx, best_job);
      ++migrations_;
      return true;
    }
    return false;
  }

  bool movable(const SchedulingContext& ctx, JobIndex j) const {
    const Job& job = ctx.job(j);
    if (!job.preemptible || ctx.state(j) != JobState::running) return false;
    if (ctx.now() - last_migrated_[j] < p_.cooldown) return false;
    const double remaining = ctx.estimated_remaining_work(j);
    if (std::isnan(remaining)) return true;  // unknown: no reason to keep it
    return remaining / ctx.rate_on(j, ctx.gpus_of(j)) >= p_.min_remaining;
  }

  // The coldest node (by projected load) other than `from` with enough wholly
  // free GPUs of a type the job may use and that is no slower than its
  // current one (a move must not slow the job down). The placement's index is
  // in the sample's load order (it re-sorted at this sample, before the
  // moves); only this sample's destinations got warmer since, so
  // walking past them to the first untouched node finds the coldest:
  // O(types x (moves + 1) x log nodes).
  NodeIndex coldest_destination(const SchedulingContext& ctx, JobIndex j, NodeIndex from) const {
    const ClusterState& cluster = ctx.cluster();
    const std::uint32_t k = ctx.job(j).num_gpus;
    const double speed = cluster.gpu_type(cluster.type_of_node(from)).speed;
    const VcPartition& vcs = ctx.vcs();
    const std::uint16_t vc = vcs.vc_of(j);
    NodeIndex best = kNoNode;
    for (TypeIndex t = 0; t < cluster.num_types(); ++t) {
      if (!ctx.type_allowed(j, t) || cluster.gpu_type(t).speed < speed) continue;
      const NodeFreeIndex& index = placement_.coldest_first(ctx, t);
      for (std::uint32_t pos = index.find_first(k); pos != NodeFreeIndex::npos; pos = index.find_first(k, pos + 1)) {
        const NodeIndex c = index.node_at(pos);
        if (c == from) continue;
        if (vc != kNoVc && vcs.owner_of(c) != vc) continue;  // a job of a VC moves only inside it
        if (best == kNoNode || proj_[c] < proj_[best] || (proj_[c] == proj_[best] && c < best)) best = c;
        if (!touched_[c]) break;
      }
    }
    return best;
  }

  // The k least-loaded free GPUs of the node (ties by index).
  void pick_gpus(const SchedulingContext& ctx, NodeIndex node, std::uint32_t k) {
    gpus_.clear();
    append_least_loaded_gpus(ctx, node, k, pick_scratch_, gpus_);
  }

  // Jobs on one node are migration candidates of that node.
  void remember(const SchedulingContext& ctx, JobIndex j) {
    const auto gpus = ctx.gpus_of(j);
    const NodeIndex node = ctx.cluster().node_of(gpus.front());
    for (GpuIndex g : gpus) {
      if (ctx.cluster().node_of(g) != node) return;  // a multi-node gang stays where it is
    }
    job_node_[j] = node;
    job_pos_[j] = static_cast<std::uint32_t>(node_jobs_[node].size());
    node_jobs_[node].push_back(j);
  }

  void forget(JobIndex j) {
    const NodeIndex node = job_node_[j];
    if (node == kNoNode) return;
    auto& list = node_jobs_[node];
    const JobIndex last = list.back();
    list[job_pos_[j]] = last;
    job_pos_[last] = job_pos_[j];
    list.pop_back();
    job_node_[j] = kNoNode;
  }

  LbmParams p_;
  ColdestFirstPlacement placement_;
  using Entry = std::pair<double, JobIndex>;  // (submit, index): FIFO
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  std::vector<GpuIndex> gpus_;
  std::vector<GpuIndex> pick_scratch_;  // append_least_loaded_gpus's
  std::vector<std::vector<JobIndex>> node_jobs_;  // single-node running jobs per node
  std::vector<NodeIndex> job_node_;
  std::vector<std::uint32_t> job_pos_;
  std::vector<Seconds> last_migrated_;
  std::vector<double> proj_;
  std::vector<NodeIndex> order_;
  std::vector<char> touched_;  // destinations of this sample's moves
  bool active_ = false;
  std::uint64_t active_samples_ = 0, migrations_ = 0;
};

}  // namespace

PolicyInfo load_balance_migrate_policy() {
  return {
      .name = "load-balance-migrate",
      .summary =
          "least-loaded placement in arrival order, plus migration of jobs from hot to cold nodes when the "
          "monitored node-load imbalance passes a threshold (with hysteresis and a per-job cooldown)",
      .source = "load balancing with migration: least-loaded placement plus hot-to-cold job moves driven by "
                "the monitored node-load imbalance",
      .params = {number_param("threshold", 0.5, 0, 1,
                              "start migrating when the node-load imbalance exceeds this (loads are busy fractions "
                              "0..1)"),
                 number_param("threshold_low", 0.2, 0, 1,
                              "stop migrating once the imbalance is at or below this (<= threshold)"),
                 choice_param("measure", "range", {"range", "stddev"},
                              "imbalance: max - min node load, or the standard deviation of node loads"),
                 number_param("cooldown", 1800.0, 0, kUnbounded, "seconds before the same job may migrate again"),
                 integer_param("max_migrations", 4, 0, 1'000'000, "migrations per monitor sample at most"),
                 integer_param("max_hot_nodes", 4, 1, 1'000'000,
                               "hottest nodes examined for a job to move, per migration"),
                 number_param("min_remaining", 600.0, 0, kUnbounded,
                              "seconds of estimated remaining run time a job needs to be worth migrating")},
      .create =
          [](const PolicyParams& params) {
            LbmParams p;
            p.threshold = params.get_double("threshold");
            p.threshold_low = params.get_double("threshold_low");
            if (p.threshold_low > p.threshold) {
              // Unlocated: the runner names the [policies.<label>] table it came from.
              throw InputError(fmt::format(
                  "policy 'load-balance-migrate': parameter 'threshold_low' ({}) must not exceed 'threshold' ({})",
                  p.threshold_low, p.threshold));
            }
            p.stddev = params.get_string("measure") == "stddev";
            p.cooldown = params.get_double("cooldown");
            p.max_migrations = static_cast<std::uint32_t>(params.get_int("max_migrations"));
            p.max_hot_nodes = static_cast<std::uint32_t>(params.get_int("max_hot_nodes"));
            p.min_remaining = params.get_double("min_remaining");
            return std::make_unique<LoadBalanceMigratePolicy>(p);
          },
  };
}

FASTGPU_REGISTER_POLICY(load_balance_migrate_policy);

}  // namespace fastgpu
