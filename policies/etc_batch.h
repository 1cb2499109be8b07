#pragma once
// The heterogeneity heuristics (Braun et al., JPDC 2001) as online batch
// policies: min-min, max-min, sufferage, mct and met.
//
// At each scheduling point the policy takes the `batch` oldest pending jobs
// and the expected-time-to-compute matrix ETC(job, type) = estimated remaining
// work (reference seconds) / speed of the GPU type. The placement's topology
// slowdown is NOT in the ETC: a gang that has to spread over nodes runs
// slower than the heuristic assumed. Each GPU type is a pool of GPUs with
// ready times (now if free, else the estimated finish of the job on it); a
// job of width k on type t starts when the k earliest-ready GPUs of the pool
// are ready (gangs need k GPUs of one type). The heuristic maps every batch
// job to a type; the jobs whose GPUs are ready now start, the others wait for
// the next scheduling point, when the mapping is recomputed.
//
// Why not policies/ga/etc_heuristics.h: that model has individual machines
// and gangs on fixed contiguous slots, while here a gang takes ANY k GPUs of a
// type (the k earliest-ready). Pools of interchangeable machines would let the
// two be merged (see docs/policies.md).
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "policies/job_list.h"
#include "policies/placement.h"
#include "policies/deferred_set.h"
#include "sim/policy.h"
#include "sim/registry.h"

namespace fastgpu {

enum class EtcHeuristic : std::uint8_t { min_min, max_min, sufferage, mct, met };

const char* to_string(EtcHeuristic h);

// A batch mapping problem over GPU-type pools. Times in seconds (absolute or
// relative, as long as they are consistent).
struct EtcBatchProblem {
  std::uint32_t tasks = 0, types = 0;
  std::vector<double> etc;                 // tasks x types, task-major; +inf = may not run there
  std::vector<std::uint32_t> width;        // GPUs each task needs (gang size)
  std::vector<std::vector<double>> ready;  // per type: ready times of its GPUs, ascending
                                           // (only the earliest ones matter: at most the batch's total width)
  double etc_at(std::uint32_t task, std::uint32_t type) const { return etc[std::size_t(task) * types + type]; }
};

struct EtcBatchMapping {
  static constexpr std::uint32_t kUnmapped = UINT32_MAX;
  std::vector<std::uint32_t> type;      // per task: chosen type, kUnmapped if none can take it
  std::vector<double> start, finish;    // per task (NaN when unmapped)
  std::vector<std::uint32_t> sequence;  // mapped tasks in the order they were mapped
};

// Maps every task (in index order = arrival order for the immediate modes).
//   met        each task to the type with the least ETC, ignoring ready times
//   mct        each task, in order, to the type where it completes first
//   min-min    repeatedly map the task whose best completion is smallest
//   max-min    repeatedly map the task whose best completion is largest
//   sufferage  repeatedly map the task with the largest sufferage (second-best
//              minus best completion; a task with one usable type suffers most)
// Ties: lowest task index, then lowest type index. Cost: O(T x types x R) for
// met/mct and O(T^2 x types + T x types x R) for the batch modes, R the pool
// length (bounded by the batch's total width).
EtcBatchMapping map_batch(EtcHeuristic h, const EtcBatchProblem& problem);

// The scratch a mapping needs, kept between mappings.
class EtcBatchWorkspace {
 public:
  EtcBatchWorkspace();
  ~EtcBatchWorkspace();
  struct Pools;
  struct Choice;

 private:
  friend void map_batch(EtcHeuristic, const EtcBatchProblem&, EtcBatchWorkspace&, EtcBatchMapping&);
  std::unique_ptr<Pools> pools_;
  std::vector<std::uint32_t> left_;
  std::vector<Choice> choice_;
};

// The same into `m`, reusing the storage of `workspace` and `m`.
void map_batch(EtcHeuristic h, const EtcBatchProblem& problem, EtcBatchWorkspace& workspace, EtcBatchMapping& m);

// The online policy.
class EtcBatchPolicy : public Policy {
 public:
  EtcBatchPolicy(EtcHeuristic h, std::uint32_t batch, std::unique_ptr<Placement> placement);

  void init(SchedulingContext& ctx) override;
  void finish(SchedulingContext& ctx) override { placement_->finish(ctx); }
  void on_monitor(SchedulingContext& ctx) override { placement_->on_monitor(ctx); }
  void on_arrival(SchedulingContext& ctx, JobIndex j) override;
  void on_requeue(SchedulingContext& ctx, JobIndex j) override { on_arrival(ctx, j); }
  void on_finish(SchedulingContext& ctx, JobIndex j) override;
  void schedule(SchedulingContext& ctx) override;
  std::map<std::string, std::string> attributes() const override;

 private:
  EtcHeuristic heuristic_;
  std::uint32_t batch_;
  std::unique_ptr<Placement> placement_;
  JobLinks links_;
  JobList queue_;                                               // pending jobs in arrival order
  // Running whole-GPU jobs by (type, estimated finish, index); ordered only
  // when a batch wants more GPUs of a type than are free.
  DeferredSet<std::tuple<TypeIndex, double, JobIndex>> running_;
  std::uint64_t mappings_ = 0;  // heuristic runs (for the attributes)
  // scratch, reused between calls
  EtcBatchProblem problem_;
  EtcBatchWorkspace workspace_;
  EtcBatchMapping mapping_;
  std::vector<std::uint64_t> want_;
  std::vector<JobIndex> batch_jobs_;
  std::vector<GpuIndex> gpus_;
};

// The registry entry shared by the five policies: parameters `batch` and `placement`.
PolicyInfo etc_policy_info(EtcHeuristic h, std::string summary);

}  // namespace fastgpu
