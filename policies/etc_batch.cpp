#include "policies/etc_batch.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "policies/common_params.h"

namespace fastgpu {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kNone = EtcBatchMapping::kUnmapped;

}  // namespace

// The pools' ready times while a mapping is built.
struct EtcBatchWorkspace::Pools {
  std::vector<std::vector<double>> ready;

  // When a gang of `w` GPUs of type t could start: its w-th earliest GPU.
  double start_on(std::uint32_t t, std::uint32_t w) const { return ready[t].size() >= w ? ready[t][w - 1] : kInf; }
  // Takes the w earliest GPUs of type t until `finish`.
  void take(std::uint32_t t, std::uint32_t w, double finish) {
    auto& pool = ready[t];
    pool.erase(pool.begin(), pool.begin() + w);
    pool.insert(std::upper_bound(pool.begin(), pool.end(), finish), w, finish);
  }
};

struct EtcBatchWorkspace::Choice {
  double best_ct = kInf, second_ct = kInf;
  std::uint32_t best = kNone;
};

namespace {

using Pools = EtcBatchWorkspace::Pools;
using Choice = EtcBatchWorkspace::Choice;

Choice best_types(const EtcBatchProblem& p, const Pools& pools, std::uint32_t task) {
  Choice c;
  for (std::uint32_t t = 0; t < p.types; ++t) {
    const double ct = pools.start_on(t, p.width[task]) + p.etc_at(task, t);
    if (!(ct < kInf)) continue;
    if (ct < c.best_ct) {
      c.second_ct = c.best_ct;
      c.best_ct = ct;
      c.best = t;
    } else if (ct < c.second_ct) {
      c.second_ct = ct;
    }
  }
  return c;
}

void assign(const EtcBatchProblem& p, Pools& pools, EtcBatchMapping& m, std::uint32_t task, std::uint32_t t) {
  const double start = pools.start_on(t, p.width[task]);
  const double finish = start + p.etc_at(task, t);
  pools.take(t, p.width[task], finish);
  m.type[task] = t;
  m.start[task] = start;
  m.finish[task] = finish;
  m.sequence.push_back(task);
}

// One task: every heuristic maps it on its own, so it is the type with the
// least ETC (met) or the earliest completion (the others) among the types
// whose pool holds its gang, the lowest such type on ties. Reads the problem's
// pools as they are, without the copy a mapping of several tasks updates.
void map_single_task(EtcHeuristic h, const EtcBatchProblem& p, EtcBatchMapping& m) {
  const std::uint32_t w = p.width[0];
  std::uint32_t best = kNone;
  double best_key = kInf, best_start = kInf;
  for (std::uint32_t t = 0; t < p.types; ++t) {
    const double start = p.ready[t].size() >= w ? p.ready[t][w - 1] : kInf;
    if (!(start < kInf) || !(p.etc_at(0, t) < kInf)) continue;
    const double key = h == EtcHeuristic::met ? p.etc_at(0, t) : start + p.etc_at(0, t);
    if (key < best_key) {
      best_key = key;
      best = t;
      best_start = start;
    }
  }
  if (best == kNone) return;
  m.type[0] = best;
  m.start[0] = best_start;
  m.finish[0] = best_start + p.etc_at(0, best);
  m.sequence.push_back(0);
}

}  // namespace

const char* to_string(EtcHeuristic h) {
  switch (h) {
    case EtcHeuristic::min_min:
      return "min-min";
    case EtcHeuristic::max_min:
      return "max-min";
    case EtcHeuristic::sufferage:
      return "sufferage";
    case EtcHeuristic::mct:
      return "mct";
    case EtcHeuristic::met:
      return "met";
  }
  return "?";
}

EtcBatchWorkspace::EtcBatchWorkspace() : pools_(std::make_unique<Pools>()) {}
EtcBatchWorkspace::~EtcBatchWorkspace() = default;

EtcBatchMapping map_batch(EtcHeuristic h, const EtcBatchProblem& p) {
  EtcBatchWorkspace workspace;
  EtcBatchMapping m;
  map_batch(h, p, workspace, m);
  return m;
}

// The vectors are assigned, not rebuilt, so a policy that maps at every
// scheduling point reuses their storage.
void map_batch(EtcHeuristic h, const EtcBatchProblem& p, EtcBatchWorkspace& workspace, EtcBatchMapping& m) {
  m.type.assign(p.tasks, kNone);
  m.start.assign(p.tasks, NAN);
  m.finish.assign(p.tasks, NAN);
  m.sequence.clear();
  if (p.tasks == 1) {
    map_single_task(h, p, m);
    return;
  }
  Pools& pools = *workspace.pools_;
  pools.ready.resize(p.ready.size());
  for (std::size_t t = 0; t < p.ready.size(); ++t) pools.ready[t].assign(p.ready[t].begin(), p.ready[t].end());

  if (h == EtcHeuristic::met || h == EtcHeuristic::mct) {
    // Immediate modes: one task at a time, in arrival order.
    for (std::uint32_t task = 0; task < p.tasks; ++task) {
      std::uint32_t best = kNone;
      double best_key = kInf;
      for (std::uint32_t t = 0; t < p.types; ++t) {
        const double start = pools.start_on(t, p.width[task]);
        if (!(start < kInf) || !(p.etc_at(task, t) < kInf)) continue;
        const double key = h == EtcHeuristic::met ? p.etc_at(task, t) : start + p.etc_at(task, t);
        if (key < best_key) {
          best_key = key;
          best = t;
        }
      }
      if (best != kNone) assign(p, pools, m, task, best);
    }
    return;
  }

  // Batch modes: one task per iteration, chosen over all unmapped tasks.
  std::vector<std::uint32_t>& left = workspace.left_;
  left.clear();
  for (std::uint32_t task = 0; task < p.tasks; ++task) left.push_back(task);
  std::vector<Choice>& choice = workspace.choice_;
  choice.resize(p.tasks);
  while (!left.empty()) {
    std::size_t pick = SIZE_MAX;
    double pick_key = 0;
    for (std::size_t i = 0; i < left.size(); ++i) {
      const std::uint32_t task = left[i];
      choice[task] = best_types(p, pools, task);
      const Choice& c = choice[task];
      if (c.best == kNone) continue;
      // Smaller key wins; `left` stays in index order, so ties keep the lowest index.
      double key = 0;
      switch (h) {
        case EtcHeuristic::min_min:
          key = c.best_ct;
          break;
        case EtcHeuristic::max_min:
          key = -c.best_ct;
          break;
        default:
          key = -(c.second_ct - c.best_ct);
          break;  // -inf when only one type fits
      }
      if (pick == SIZE_MAX || key < pick_key) {
        pick = i;
        pick_key = key;
      }
    }
    if (pick == SIZE_MAX) break;  // the rest cannot be mapped anywhere
    const std::uint32_t task = left[pick];
    assign(p, pools, m, task, choice[task].best);
    left.erase(left.begin() + static_cast<std::ptrdiff_t>(pick));
  }
}

// --- the online policy -----------------------------------------------------

EtcBatchPolicy::EtcBatchPolicy(EtcHeuristic h, std::uint32_t batch, std::unique_ptr<Placement> placement)
    : heuristic_(h), batch_(batch), placement_(std::move(placement)) {}

void EtcBatchPolicy::init(SchedulingContext& ctx) {
  placement_->init(ctx);
  links_.resize(ctx.workload().jobs.size());
  running_.resize(ctx.workload().jobs.size());
}

void EtcBatchPolicy::on_arrival(SchedulingContext&, JobIndex j) { links_.push_back(queue_, j); }

void EtcBatchPolicy::on_finish(SchedulingContext& ctx, JobIndex j) {
  running_.erase(j);
}

void EtcBatchPolicy::schedule(SchedulingContext& ctx) {
  if (queue_.empty()) return;
  const ClusterState& cluster = ctx.cluster();
  const Seconds now = ctx.now();

  // The batch: the oldest pending jobs.
  batch_jobs_.clear();
  bool any_shared = false;
  for (JobIndex j = queue_.head; j != kNoJob && batch_jobs_.size() < batch_; j = links_.next(j)) {
    batch_jobs_.push_back(j);
    any_shared |= ctx.job(j).gpu_share < 1.0f;
  }
  if (cluster.free_gpus() == 0 && !any_shared) return;  // nothing could start now

  // ETC matrix and how many GPUs of each type the batch could want.
  const std::uint32_t T = static_cast<std::uint32_t>(batch_jobs_.size());
  const std::uint32_t types = cluster.num_types();
  EtcBatchProblem& p = problem_;
  p.tasks = T;
  p.types = types;
  p.etc.assign(std::size_t(T) * types, kInf);
  p.width.resize(T);
  p.ready.resize(types);
  std::vector<std::uint64_t>& want = want_;
  want.assign(types, 0);
  for (std::uint32_t i = 0; i < T; ++i) {
    const JobIndex j = batch_jobs_[i];
    const Job& job = ctx.job(j);
    const std::uint32_t w = job.gpu_share < 1.0f ? 1 : job.num_gpus;
    p.width[i] = w;
    double work = ctx.estimated_remaining_work(j);
    if (std::isnan(work)) work = 1.0;  // no estimate: every job counts as one reference second
    for (TypeIndex t = 0; t < types; ++t) {
      if (!ctx.type_allowed(j, t) || w > cluster.gpus_of_type(t)) continue;
      p.etc[std::size_t(i) * types + t] = work / cluster.gpu_type(t).speed;
      want[t] += w;
    }
  }
  // Pools: free GPUs are ready now, busy ones when their job should end.
  for (TypeIndex t = 0; t < types; ++t) {
    auto& pool = p.ready[t];
    pool.clear();
    const std::uint64_t need = std::min<std::uint64_t>(want[t], cluster.gpus_of_type(t));
    pool.assign(std::min<std::uint64_t>(cluster.free_gpus_of_type(t), need), now);
    if (pool.size() >= need) continue;
    const auto& running = running_.ordered();
    for (auto it = running.lower_bound({t, -kInf, 0}); it != running.end() && std::get<0>(*it) == t && pool.size() < need;
         ++it) {
      const double finish = std::get<1>(*it);
      const double ready = finish == kNever ? now + 1.0 : std::max(now, finish);
      const std::uint32_t k = ctx.job(std::get<2>(*it)).num_gpus;
      pool.insert(pool.end(), std::min<std::uint64_t>(k, need - pool.size()), ready);
    }
  }

  map_batch(heuristic_, p, workspace_, mapping_);
  const EtcBatchMapping& m = mapping_;
  ++mappings_;
  for (std::uint32_t task : m.sequence) {
    if (m.start[task] > now) continue;
    const JobIndex j = batch_jobs_[task];
    const TypeIndex t = static_cast<TypeIndex>(m.type[task]);
    if (!placement_->place_on_types(ctx, j, std::uint64_t{1} << t, gpus_)) continue;
    ctx.start(j, gpus_);
    links_.erase(queue_, j);
    if (ctx.job(j).gpu_share >= 1.0f) running_.insert(j, {t, ctx.estimated_finish(j), j});
  }
}

std::map<std::string, std::string> EtcBatchPolicy::attributes() const {
  return {{"etc_heuristic", to_string(heuristic_)}, {"etc_mappings", fmt::format("{}", mappings_)}};
}

PolicyInfo etc_policy_info(EtcHeuristic h, std::string summary) {
  return {
      .name = to_string(h),
      .summary = std::move(summary),
      .source = "batch-mode mapping heuristics over an expected-time-to-compute (ETC) matrix (Braun et al., 2001)",
      .params = {integer_param("batch", 16, 1, 4096, "pending jobs (oldest first) mapped at each scheduling point"),
                 placement_param("which GPUs of the chosen type a job gets"), consolidate_param(),
                 spread_after_param()},
      .create =
          [h](const PolicyParams& params) {
            return std::make_unique<EtcBatchPolicy>(h, static_cast<std::uint32_t>(params.get_int("batch")),
                                                    make_placement(params));
          },
  };
}

}  // namespace fastgpu
