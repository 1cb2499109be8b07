#pragma once
// Decoding a chromosome (task -> slot) into a schedule and scoring it.
//
// Decoding is list scheduling in task index order on top of the machines'
// ready times: task t on slot s starts when machines s..s+w-1 are all free and
// ends etc(t, s) later. From the schedule:
//   makespan  = max over machines of the time it is last busy (ready included)
//   flowtime  = sum over tasks of completion times
//   load l_j  = busy_j / makespan, busy_j = ready_j + ETC of the tasks on j
//               (the fraction of [0, makespan] machine j is busy)
//   F         = sum_i 1 / (f_i + alpha * l_j(i))   (responsiveness; f_i in time
//               units, j(i) the first machine of task i's slot)
//   L         = (1/M) sum_j (l_j - mean l)^2      (busy variance)
//   cost      = w_makespan*makespan/ref_makespan + w_flowtime*flowtime/ref_flowtime
//               - w_F*F/ref_F + w_variance*L
// Sums of doubles follow the fixed order of ga_math.h (blocks of 32, pairwise).
#include <cstdint>
#include <span>
#include <vector>

#include "policies/ga/etc_instance.h"

namespace fastgpu::ga {

struct Fitness {
  Ticks makespan = 0;
  Ticks flowtime = 0;
  double F = 0;      // 0 when not computed (the GA skips it when w_F = 0)
  double L = 0;
  double cost = 0;
};

// The responsiveness F and the busy variance L from explicit values, in the
// fixed summation order.
// completion[i] in time units, load[i] the load of task i's machine.
double responsiveness(std::span<const double> completion, std::span<const double> load, double alpha);
double busy_variance(std::span<const double> loads);

// Sum in the fixed order: blocks of 32 (zero padded) reduced pairwise, block
// sums added in order.
double fixed_order_sum(std::span<const double> x);

// Reusable scratch for decoding; one per thread.
class Evaluator {
 public:
  explicit Evaluator(const EtcInstance& inst);

  // Decodes in task index order, or in `order` when given (a permutation of
  // the tasks; the heuristics' own schedules). Fills ready/busy/completion.
  void decode(const std::uint32_t* genes, std::span<const std::uint32_t> order = {});
  // Scores the last decode. with_F = false leaves F = 0 (and out of the cost).
  Fitness score(const CostModel& cost, bool with_F) const;
  Fitness evaluate(const std::uint32_t* genes, const CostModel& cost, bool with_F) {
    decode(genes);
    return score(cost, with_F);
  }

  std::span<const Ticks> ready() const { return ready_; }        // per machine, after decode
  std::span<const Ticks> busy() const { return busy_; }          // per machine, after decode
  std::span<const Ticks> completion() const { return completion_; }  // per task
  std::span<const Ticks> start() const { return start_; }        // per task

 private:
  const EtcInstance& inst_;
  const std::uint32_t* genes_ = nullptr;
  std::vector<Ticks> ready_, busy_, completion_, start_;
  mutable std::vector<double> loads_;
};

// One-shot evaluation with every term (F included in the result; in the cost
// only if cost.w_F != 0, as in the GA).
Fitness evaluate(const EtcInstance& inst, std::span<const std::uint32_t> assignment, const CostModel& cost,
                 std::span<const std::uint32_t> order = {});

}  // namespace fastgpu::ga
