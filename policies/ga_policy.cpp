// ga: the genetic algorithm of policies/ga/ as an online policy (docs/ga.md).
// At each scheduling point with free GPUs it takes up
// to `batch` pending jobs (priority, then arrival order) and builds an ETC
// instance over the cluster's GPUs:
//   machines  = every GPU (GPU index = machine), ready time = 0 if free, else
//               the estimated finish of the jobs on it (an hour if unknown);
//   slots     = for a gang of w GPUs, aligned groups of w GPUs inside one node
//               of an allowed type; wider gangs take whole consecutive nodes of
//               one type; shared (fractional) jobs take one whole free GPU;
//   ETC       = estimated remaining work / rate on the slot (speed of the type
//               and the topology slowdown), 1 reference second when unknown.
// The GA (budget: `generations`, `stall`, `time_ms`) maps the batch, warm
// started from the previous decision (policies/ga_warm_start.h); the jobs
// whose slot is free now in the decoded schedule start there, the others wait
// for the next scheduling point, where the batch is mapped again. When no
// job of the batch has a slot whose GPUs are all free, nothing could start in
// any mapping, so no mapping is computed.
//
// Virtual clusters: one mapping for the whole batch, with each job's slots
// only on its own VC's nodes (and, with lending, a preemptible job's also on
// the nodes it may borrow now). As the partitions are disjoint this is the
// same as one GA instance per VC, but costs one GA run per decision instead of
// one per VC with jobs waiting, and with lending a borrower competes for the
// lent GPUs with the jobs of the other VCs in the same mapping.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/ga/etc_heuristics.h"
#include "policies/ga/etc_instance.h"
#include "policies/ga/fitness.h"
#include "policies/ga/ga.h"
#include "policies/ga_warm_start.h"
#include "sim/error.h"
#include "sim/scheduling_context.h"

namespace fastgpu {

namespace {

constexpr Seconds kUnknownBusySeconds = 3600;  // a busy GPU whose job has no runtime estimate
constexpr Seconds kMinBusySeconds = 1e-3;      // a busy GPU past its estimate is still not free now

class GaPolicy : public Policy {
 public:
  // The backend is resolved once, so the attribute says which one ran even
  // when every decision was a single job (placed by MCT, no GA).
  enum class TaskOrder : std::uint8_t { shortest, min_min, arrival };

  GaPolicy(ga::GaParams params, std::uint32_t batch, TaskOrder order)
      : params_(params),
        batch_(batch),
        order_(order),
        backend_used_(ga::to_string(params.backend == ga::Backend::automatic
                                        ? (ga::cuda_device_count() > 0 ? ga::Backend::cuda : ga::Backend::cpu)
                                        : params.backend)) {}

  void on_arrival(SchedulingContext& ctx, JobIndex j) override {
    queue_.emplace(std::make_tuple(-static_cast<std::int64_t>(ctx.job(j).priority), next_seq_++), j);
  }
  void on_requeue(SchedulingContext& ctx, JobIndex j) override { on_arrival(ctx, j); }
  void on_timer(SchedulingContext&, std::uint64_t) override { timer_at_ = kNever; }

  void schedule(SchedulingContext& ctx) override;

  std::map<std::string, std::string> attributes() const override {
    return {{"ga_backend", backend_used_},
            {"ga_device", device_.empty() ? "-" : device_},
            {"ga_decisions", fmt::format("{}", decisions_)},
            {"ga_generations", fmt::format("{}", generations_)},
            {"ga_no_start_points", fmt::format("{}", no_start_)},
            {"ga_single_job_decisions", fmt::format("{}", single_)}};
  }

 private:
  using Key = std::tuple<std::int64_t, std::uint64_t>;  // (-priority, arrival sequence)

  // Puts the batch (and the spec built in its order) in decoding order.
  void order_tasks(const SchedulingContext& ctx, std::vector<std::map<Key, JobIndex>::iterator>& batch,
                   std::vector<std::uint32_t>& width, ga::EtcSpec& spec) const;

  // Allowed slots of job j, as (first GPU) with width w; empty if it cannot fit.
  const std::vector<std::uint32_t>& slots_for(const SchedulingContext& ctx, JobIndex j, std::uint32_t w);

  ga::GaParams params_;
  std::uint32_t batch_;
  TaskOrder order_;  // decode order inside a priority class
  std::map<Key, JobIndex> queue_;
  std::uint64_t next_seq_ = 0;
  Seconds timer_at_ = kNever;
  std::uint64_t decisions_ = 0, generations_ = 0, single_ = 0, no_start_ = 0;
  std::unordered_map<JobIndex, std::uint32_t> previous_;  // slot of each job left pending by the last decision
  std::string backend_used_, device_;
  // per decision: slots by (width, type mask, VC x 2 + may borrow)
  std::map<std::tuple<std::uint32_t, std::uint64_t, std::uint32_t>, std::vector<std::uint32_t>> slot_cache_;
};

const std::vector<std::uint32_t>& GaPolicy::slots_for(const SchedulingContext& ctx, JobIndex j, std::uint32_t w) {
  const ClusterState& c = ctx.cluster();
  std::uint64_t mask = 0;
  for (TypeIndex t = 0; t < c.num_types() && t < 64; ++t)
    if (ctx.type_allowed(j, t)) mask |= std::uint64_t{1} << t;
  // A job of a virtual cluster: its VC's nodes, and with lending (a
  // preemptible job) the nodes it may borrow now.
  const VcPartition& vcs = ctx.vcs();
  const bool in_vc = vcs.vc_of(j) != kNoVc;
  const bool borrow = in_vc && vcs.may_borrow(j, ctx.job(j));
  const VcNodeFilter allowed = vcs.filter(j, borrow);
  auto [it, added] = slot_cache_.try_emplace({w, mask, std::uint32_t{vcs.vc_of(j)} * 2 + borrow});
  if (!added) return it->second;
  std::vector<std::uint32_t>& slots = it->second;
  auto usable = [&](NodeIndex n) {
    const TypeIndex t = c.type_of_node(n);
    return t < 64 && ((mask >> t) & 1u) && (!in_vc || allowed(n));
  };
  for (NodeIndex n = 0; n < c.num_nodes(); ++n) {
    const TypeIndex t = c.type_of_node(n);
    if (!usable(n)) continue;
    const std::uint32_t gpn = c.gpus_on_node(n);
    if (w <= gpn) {
      for (std::uint32_t k = 0; k + w <= gpn; k += w) slots.push_back(c.first_gpu(n) + k);
    } else {
      // Whole consecutive nodes of type t, starting at a node boundary.
      std::uint32_t have = 0;
      NodeIndex m = n;
      while (m < c.num_nodes() && c.type_of_node(m) == t && usable(m) && have < w) have += c.gpus_on_node(m++);
      if (have >= w) {
        slots.push_back(c.first_gpu(n));
        n = m - 1;  // the next slot starts after these nodes
      }
    }
  }
  return slots;
}

void GaPolicy::order_tasks(const SchedulingContext& ctx, std::vector<std::map<Key, JobIndex>::iterator>& batch,
                           std::vector<std::uint32_t>& width, ga::EtcSpec& spec) const {
  // The decoder schedules tasks in index order, so the order decides who
  // waits for a contended GPU. Within a priority class (the batch arrives in
  // priority, then arrival order): the least estimated work first, or Min-Min's
  // mapping order (the smallest earliest completion first), or arrival.
  const std::size_t T = batch.size(), M = spec.machines;
  if (order_ == TaskOrder::arrival || T < 2) return;
  std::vector<double> key(T);
  if (order_ == TaskOrder::shortest) {
    for (std::size_t i = 0; i < T; ++i) {
      const double w = ctx.estimated_remaining_work(batch[i]->second);
      key[i] = std::isnan(w) ? 1.0 : w;
    }
  } else {
    const ga::HeuristicSchedule mm = ga::min_min(ga::make_instance(spec));
    for (std::size_t k = 0; k < T; ++k) key[mm.sequence[k]] = double(k);
  }
  std::vector<std::uint32_t> order(T);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const std::int64_t pa = std::get<0>(batch[a]->first), pb = std::get<0>(batch[b]->first);
    return pa != pb ? pa < pb : key[a] < key[b];
  });
  auto permuted = [&](const auto& v) {
    std::remove_cvref_t<decltype(v)> out;
    for (std::uint32_t i : order) out.push_back(v[i]);
    return out;
  };
  batch = permuted(batch);
  width = permuted(width);
  spec.width = permuted(spec.width);
  spec.task_list = permuted(spec.task_list);
  std::vector<double> etc(spec.etc.size());
  for (std::size_t k = 0; k < T; ++k)
    std::copy_n(spec.etc.begin() + std::ptrdiff_t(order[k] * M), M, etc.begin() + std::ptrdiff_t(k * M));
  spec.etc.swap(etc);
}

void GaPolicy::schedule(SchedulingContext& ctx) {
  if (queue_.empty()) return;
  const ClusterState& c = ctx.cluster();
  if (c.free_gpus() == 0) return;  // nothing can start now
  const Seconds now = ctx.now();
  slot_cache_.clear();

  // The batch, in priority order; jobs waiting for their window get a timer.
  std::vector<std::map<Key, JobIndex>::iterator> batch;
  std::vector<std::uint32_t> width;
  Seconds next_window = kNever;
  bool startable = false;  // some job of the batch has a slot whose GPUs are all free
  for (auto it = queue_.begin(); it != queue_.end() && batch.size() < batch_;) {
    if (ctx.state(it->second) != JobState::pending) {  // e.g. rejected by the engine
      it = queue_.erase(it);
      continue;
    }
    const auto here = it++;
    const Job& job = ctx.job(here->second);
    const Seconds window = ctx.workload().trace_fields_of(here->second).earliest_start;
    if (window > now) {
      next_window = std::min(next_window, window);
      continue;
    }
    const std::uint32_t w = job.gpu_share < 1.0f ? 1 : job.num_gpus;
    const std::vector<std::uint32_t>& slots = slots_for(ctx, here->second, w);
    if (slots.empty()) {
      // A gang wider than a node needs consecutive whole nodes: in a VC whose
      // nodes of the type are not consecutive it has no slot and never will.
      if (ctx.vcs().vc_of(here->second) != kNoVc && !ctx.vcs().may_borrow(here->second, job)) {
        ctx.reject(here->second, "ga: no consecutive whole nodes of one type in its virtual cluster hold the gang");
        queue_.erase(here);
      }
      continue;  // otherwise it cannot fit this cluster; the engine reports it
    }
    batch.push_back(here);
    width.push_back(w);
    for (std::uint32_t s = 0; s < slots.size() && !startable; ++s) {
      bool all_free = true;
      for (GpuIndex g = slots[s]; g < slots[s] + w && all_free; ++g) all_free = c.is_free(g);
      startable = all_free;
    }
  }
  if (next_window < timer_at_) {
    ctx.set_timer(next_window);
    timer_at_ = next_window;
  }
  if (batch.empty()) return;
  if (!startable) {  // every mapping would start nothing now
    ++no_start_;
    return;
  }
  // The ETC instance.
  const std::uint32_t T = static_cast<std::uint32_t>(batch.size()), M = c.num_gpus();
  ga::EtcSpec spec;
  spec.tasks = T;
  spec.machines = M;
  spec.ready.assign(M, 0.0);
  for (GpuIndex g = 0; g < M; ++g)
    if (!c.is_free(g)) spec.ready[g] = kUnknownBusySeconds;
  for (JobIndex r : ctx.running()) {
    const Seconds fin = ctx.estimated_finish(r);
    if (fin == kNever || std::isnan(fin)) continue;
    const Seconds left = std::max(fin - now, kMinBusySeconds);
    for (GpuIndex g : ctx.gpus_of(r))
      spec.ready[g] = spec.ready[g] == kUnknownBusySeconds ? left : std::max(spec.ready[g], left);
  }
  // Slot lists shared by jobs with the same width and allowed types.
  std::map<const std::vector<std::uint32_t>*, std::uint32_t> list_index;
  spec.etc.assign(std::size_t(T) * M, 0.0);
  std::vector<GpuIndex> gpus;
  for (std::uint32_t i = 0; i < T; ++i) {
    const JobIndex j = batch[i]->second;
    const std::vector<std::uint32_t>& slots = slots_for(ctx, j, width[i]);
    auto [li, added] = list_index.try_emplace(&slots, static_cast<std::uint32_t>(spec.slot_lists.size()));
    if (added) spec.slot_lists.push_back(slots);
    spec.task_list.push_back(li->second);
    spec.width.push_back(width[i]);
    double work = ctx.estimated_remaining_work(j);
    if (std::isnan(work)) work = 1.0;  // no estimate: every job counts as one reference second
    for (std::uint32_t s : slots) {
      gpus.resize(width[i]);
      std::iota(gpus.begin(), gpus.end(), s);
      spec.etc[std::size_t(i) * M + s] = work / ctx.rate_on(j, gpus);
    }
  }
  order_tasks(ctx, batch, width, spec);
  const ga::EtcInstance inst = ga::make_instance(spec);

  // Map the batch: one job is placed by MCT (its optimum); more by the GA.
  std::vector<std::uint32_t> assignment;
  ++decisions_;
  if (T == 1) {
    assignment = ga::mct(inst).assignment;
    ++single_;
  } else {
    ga::GaParams p = params_;
    p.seed = params_.seed + decisions_;  // deterministic, different per decision
    std::vector<std::uint32_t> previous(T, kNoPreviousSlot);
    for (std::uint32_t i = 0; i < T; ++i)
      if (auto it = previous_.find(batch[i]->second); it != previous_.end()) previous[i] = it->second;
    p.initial_assignments.push_back(warm_start_assignment(inst, previous));
    const ga::GaResult r = ga::run_ga(inst, p);
    assignment = r.assignment;
    generations_ += r.generations_run;
    backend_used_ = ga::to_string(r.backend);
    device_ = r.device;
  }

  // Start the jobs whose slot is free now in the decoded schedule; remember
  // the others' slots for the next decision's warm start.
  ga::Evaluator ev(inst);
  ev.decode(assignment.data());
  previous_.clear();
  for (std::uint32_t i = 0; i < T; ++i) {
    if (ev.start()[i] != 0) {
      previous_[batch[i]->second] = assignment[i];
      continue;
    }
    const JobIndex j = batch[i]->second;
    gpus.resize(width[i]);
    std::iota(gpus.begin(), gpus.end(), assignment[i]);
    ctx.start(j, gpus);
    queue_.erase(batch[i]);
  }
}

}  // namespace

PolicyInfo ga_policy() {
  return {
      .name = "ga",
      .summary = "genetic algorithm over the pending batch x GPU slots (ETC with ready times); starts the jobs "
                 "whose assigned GPUs are free now",
      .source = "genetic algorithm over an expected-time-to-compute (ETC) matrix with ready times, seeded with "
                "the Min-Min and least-loaded mappings and warm started from the previous decision (docs/ga.md)",
      .params =
          {integer_param("batch", 32, 1, 4096,
                         "pending jobs (priority, then arrival order) mapped at each scheduling point"),
           choice_param("order", "min-min", {"min-min", "shortest", "arrival"},
                        "order in which the batch is decoded within a priority class: Min-Min's mapping order "
                        "(smallest earliest completion first), least estimated work first, or arrival"),
           integer_param("population", 32, 4, 1 << 20, "GA population"),
           integer_param("generations", 20, 0, 1e7, "GA generations per decision (the deterministic budget)"),
           integer_param("stall", 5, 0, 1e7,
                         "stop a decision after this many generations without improvement (0 = never)"),
           number_param("time_ms", 0.0, 0, 1e7,
                        "wall-clock budget per decision in milliseconds (0 = none; makes runs timing-dependent)"),
           choice_param("backend", "auto", {"auto", "cpu", "cuda"},
                        "GA backend: auto (CUDA when a GPU is present, else CPU), cpu or cuda"),
           integer_param("threads", 1, 0, 4096, "CPU backend threads (0 = all cores); any count gives the same result"),
           integer_param("seed", 1, 0, 9.0e18, "GA seed (decision k uses seed + k)"),
           number_param("w_makespan", 0.0, 0, 1e12, "cost weight of the batch makespan / Min-Min's"),
           number_param("w_flowtime", 1.0, 0, 1e12,
                        "cost weight of the batch flowtime (sum of completions) / Min-Min's"),
           number_param("w_variance", 0.0, 0, 1e12, "cost weight of L, the variance of the GPU loads"),
           number_param("w_F", 0.0, 0, 1e12,
                        "cost weight of F = sum 1 / (finish + alpha x load), relative to Min-Min's (subtracted)"),
           number_param("alpha", 0.5, 0, 1e12, "alpha: weight of the GPU load in F")},
      .create =
          [](const PolicyParams& pp) -> std::unique_ptr<Policy> {
            ga::GaParams p;
            p.population = static_cast<std::uint32_t>(pp.get_int("population"));
            p.generations = static_cast<std::uint32_t>(pp.get_int("generations"));
            p.stall_generations = static_cast<std::uint32_t>(pp.get_int("stall"));
            p.time_limit_seconds = pp.get_double("time_ms") / 1000.0;
            p.backend = ga::parse_backend(pp.get_string("backend"));
            p.threads = static_cast<unsigned>(pp.get_int("threads"));
            p.seed = static_cast<std::uint64_t>(pp.get_int("seed"));
            p.w_makespan = pp.get_double("w_makespan");
            p.w_flowtime = pp.get_double("w_flowtime");
            p.w_variance = pp.get_double("w_variance");
            p.w_F = pp.get_double("w_F");
            p.alpha = pp.get_double("alpha");
            if (p.backend == ga::Backend::cuda && ga::cuda_device_count() == 0)
              throw InputError(ga::cuda_built() ? "policy ga: backend = \"cuda\" but no CUDA device is present"
                                                : "policy ga: backend = \"cuda\" but fastgpu was built without CUDA");
            try {
              p.validate();
            } catch (const std::invalid_argument& e) {
              throw InputError(std::string("policy ga: ") + e.what());
            }
            const std::string order = pp.get_string("order");
            return std::make_unique<GaPolicy>(p, static_cast<std::uint32_t>(pp.get_int("batch")),
                                              order == "shortest"  ? GaPolicy::TaskOrder::shortest
                                              : order == "min-min" ? GaPolicy::TaskOrder::min_min
                                                                   : GaPolicy::TaskOrder::arrival);
          },
  };
}

FASTGPU_REGISTER_POLICY(ga_policy);

}  // namespace fastgpu
