#pragma once
// The parametric LP bound on the makespan: stronger than the plain LP
// relaxation (lp_bound.h) when some (task, slot) pairs could only finish
// after the optimum. A schedule of makespan C uses no pair whose earliest
// completion e(t,k) = latest ready time of slot k's machines + p(t,k) exceeds
// C. So for a threshold theta, the LP restricted to the pairs with
// e(t,k) <= theta bounds every schedule that uses only those pairs.
//
// Let theta_1 < theta_2 < ... be the distinct values of e(t,k), and take any
// j with the restricted LP's certificate c_j (dual_certificate over the pairs
// with e <= theta_j, weights from that LP's duals). Then
//     min(theta_{j+1}, c_j)
// is a lower bound: a schedule of makespan C either uses a pair with
// e >= theta_{j+1} (so C >= theta_{j+1}), or only pairs with e <= theta_j, and
// then C >= c_j, since fixed weights certify a subset of the pairs at least as
// high. Any j is valid; j is chosen by bisection as the last threshold whose
// restricted LP optimum still exceeds it (the objective is non-increasing in
// theta, theta increasing), where min(theta_{j+1}, c_j) is largest.
#include <cstdint>

#include "policies/bound/lp_bound.h"
#include "policies/ga/etc_instance.h"

namespace fastgpu::bound {

struct ParametricBound {
  double value = 0;       // proven: the largest of `plain.value` and the parametric bound
  double threshold = 0;   // theta_j of the chosen restriction (0 when none beat the plain bound)
  double restricted = 0;  // its certificate c_j
  int solves = 0;         // LPs solved, the full one included
  int iterations = 0;     // simplex iterations over all of them
  MakespanBound plain;    // the plain LP bound (lp_makespan_bound)
};

// Throws std::runtime_error when Clp does not reach an optimum.
ParametricBound parametric_makespan_bound(const ga::EtcInstance& inst);

}  // namespace fastgpu::bound
