#pragma once
// The LP relaxation of R||Cmax with ready times and gang tasks, built and
// solved with COIN-OR Clp; shared by the lower bound (lp_bound.h) and the
// rounded schedule that seeds the GA (lp_seed.h).
//
//   min C  s.t.  sum_k x(t,k) = 1                                    for every task t
//                r(m) + sum_{(t,k) covering m} p(t,k) x(t,k) <= C   for every machine m
//                x >= 0
//
// Rows 0..M-1 are the machines, rows M..M+T-1 the tasks; column 0 is C, then
// one column per (task, allowed slot) in task order and slot-list order.
// Times are divided by `scale` (a power of two, so exactly) to keep the
// coefficients near 1 for the solver.
#include <cstdint>

#include <ClpSimplex.hpp>

#include "policies/ga/etc_instance.h"

namespace fastgpu::bound {

struct LpRelaxation {
  ClpSimplex model;
  double scale = 1;
  std::uint32_t rows = 0, columns = 0;
};

// Builds and solves the LP (dual simplex, tolerances 1e-10). Throws
// std::runtime_error when Clp does not reach an optimum.
void solve_lp_relaxation(const ga::EtcInstance& inst, LpRelaxation& lp);

}  // namespace fastgpu::bound
