#include "policies/bound/lp_bound.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "policies/bound/lp_relaxation.h"

namespace fastgpu::bound {

double slot_ready(const ga::EtcInstance& inst, std::uint32_t s, std::uint32_t w) {
  double r = 0;
  for (std::uint32_t m = s; m < s + w; ++m) r = std::max(r, inst.to_time(inst.ready[m]));
  return r;
}

double dual_certificate(const ga::EtcInstance& inst, const double* machine_duals, double max_completion,
                        std::uint32_t pairs) {
  // For any schedule, C >= r(m) + load(m) on every machine, so
  // C >= sum_m v(m) (r(m) + load(m)) / sum_m v(m), and a task's share of the
  // weighted load is at least its cheapest usable slot's p(t,k) V(k).
  const std::uint32_t T = inst.tasks, M = inst.machines;
  std::vector<long double> v(M);
  long double weight = 0;
  for (std::uint32_t m = 0; m < M; ++m) weight += v[m] = std::max(0.0, machine_duals[m]);
  if (!(weight > 0)) {  // no usable duals: equal weights are still a valid certificate
    std::fill(v.begin(), v.end(), 1.0L);
    weight = M;
  }
  long double sum = 0;
  for (std::uint32_t m = 0; m < M; ++m) sum += v[m] * inst.to_time(inst.ready[m]);
  for (std::uint32_t t = 0; t < T; ++t) {
    long double best = std::numeric_limits<long double>::infinity();
    for (std::uint32_t s : inst.slots(t)) {
      const double p = inst.to_time(inst.etc_at(t, s));
      if (slot_ready(inst, s, inst.width[t]) + p > max_completion) continue;
      long double covered = 0;
      for (std::uint32_t m = s; m < s + inst.width[t]; ++m) covered += v[m];
      best = std::min(best, covered * p);
    }
    if (best == std::numeric_limits<long double>::infinity()) return std::numeric_limits<double>::infinity();
    sum += best;
  }
  // Each of the O(T + M + pairs) long double operations rounds by at most
  // LDBL_EPSILON relative; shrinking by far more than their total keeps the
  // value a bound in exact arithmetic.
  const long double terms = static_cast<long double>(pairs) + M + T + 4;
  return static_cast<double>(sum / weight * (1.0L - 4 * terms * LDBL_EPSILON));
}

double gap(double makespan, double bound) { return bound > 0 ? (makespan - bound) / bound : 0.0; }

MakespanBound lp_makespan_bound(const ga::EtcInstance& inst) {
  inst.validate();
  const std::uint32_t T = inst.tasks, M = inst.machines;
  MakespanBound b;
  for (std::uint32_t m = 0; m < M; ++m) b.ready = std::max(b.ready, inst.to_time(inst.ready[m]));
  for (std::uint32_t t = 0; t < T; ++t) {
    double best = std::numeric_limits<double>::infinity();
    for (std::uint32_t s : inst.slots(t))
      best = std::min(best, slot_ready(inst, s, inst.width[t]) + inst.to_time(inst.etc_at(t, s)));
    b.single_task = std::max(b.single_task, best);
  }

  LpRelaxation relaxation;
  solve_lp_relaxation(inst, relaxation);
  const ClpSimplex& model = relaxation.model;
  b.rows = relaxation.rows;
  b.columns = relaxation.columns;
  b.iterations = model.numberIterations();
  b.lp_objective = model.objectiveValue() * relaxation.scale;

  // The certificate: machine weights v = the duals of the machine rows.
  b.lp = dual_certificate(inst, model.dualRowSolution(), std::numeric_limits<double>::infinity(), b.columns);
  b.value = std::max({b.lp, b.single_task, b.ready});
  return b;
}

}  // namespace fastgpu::bound
