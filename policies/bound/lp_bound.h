#pragma once
// A proven lower bound on the makespan of every schedule of an ETC instance:
// the LP relaxation of unrelated-machine scheduling (R||Cmax), extended to
// ready times and gang tasks, solved with COIN-OR Clp.
//
//   min C  s.t.  sum_k x(t,k) = 1                          for every task t
//                r(m) + sum_{(t,k) covering m} p(t,k) x(t,k) <= C   for every machine m
//                x >= 0
//
// k runs over task t's allowed slots; a slot of a width-w task covers w
// machines and its ETC counts on each of them. The value reported is not the
// solver's objective but a certificate recomputed from its machine duals v
// (any v >= 0 summing to 1 gives sum_m v(m) r(m) + sum_t min_k p(t,k) V(k),
// V(k) = the sum of v over the machines slot k covers; every schedule's
// makespan is at least that), so solver tolerances cannot make it too high.
// The bound is the larger of that and the single-task bound
// max_t min_k (latest ready time among slot k's machines + p(t,k)), and at
// least the latest ready time (a machine's ready time counts as busy).
#include <cstdint>

#include "policies/ga/etc_instance.h"

namespace fastgpu::bound {

struct MakespanBound {
  double value = 0;          // the proven bound, time units: max of the three below
  double lp = 0;             // the LP certificate from the duals
  double lp_objective = 0;   // the solver's own optimum (agrees with `lp` to rounding)
  double single_task = 0;    // max over tasks of its earliest possible completion
  double ready = 0;          // latest ready time
  std::uint32_t rows = 0, columns = 0;
  int iterations = 0;        // simplex iterations
};

// Throws std::runtime_error when the solver does not reach an optimum
// (every instance that passes EtcInstance::validate has one).
MakespanBound lp_makespan_bound(const ga::EtcInstance& inst);

// The certificate of the machine weights `machine_duals` (negative ones count
// as 0; all zero: equal weights), over the (task, slot) pairs whose earliest
// completion (latest ready time of the slot's machines + p(t,k)) is at most
// `max_completion` (infinity: every pair): every schedule that uses only those
// pairs has a makespan of at least the value returned (+infinity when a task
// has no such pair). `pairs` sizes the rounding allowance (the LP's columns).
double dual_certificate(const ga::EtcInstance& inst, const double* machine_duals, double max_completion,
                        std::uint32_t pairs);

// Latest ready time among the machines slot s of a width-w task covers.
double slot_ready(const ga::EtcInstance& inst, std::uint32_t s, std::uint32_t w);

// Relative gap of a makespan above the bound: (makespan - bound) / bound (0 if bound is 0).
double gap(double makespan, double bound);

}  // namespace fastgpu::bound
