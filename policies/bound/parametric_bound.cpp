#include "policies/bound/parametric_bound.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

#include "policies/bound/lp_relaxation.h"

namespace fastgpu::bound {

ParametricBound parametric_makespan_bound(const ga::EtcInstance& inst) {
  ParametricBound out;
  out.plain = lp_makespan_bound(inst);
  out.value = out.plain.value;
  out.solves = 1;
  out.iterations = out.plain.iterations;

  // The LP's columns after C, in its order (task, then slot list), and each
  // one's earliest completion.
  std::vector<double> completion;
  for (std::uint32_t t = 0; t < inst.tasks; ++t)
    for (std::uint32_t s : inst.slots(t))
      completion.push_back(slot_ready(inst, s, inst.width[t]) + inst.to_time(inst.etc_at(t, s)));
  std::vector<double> theta = completion;
  std::sort(theta.begin(), theta.end());
  theta.erase(std::unique(theta.begin(), theta.end()), theta.end());
  // Thresholds below the plain bound cannot raise it: min(theta_{j+1}, .)
  // would be at most the plain bound when theta_{j+1} <= it.
  const auto first = std::upper_bound(theta.begin(), theta.end(), out.plain.value);
  if (first == theta.end()) return out;  // every pair fits under the plain bound: nothing to restrict
  // Candidates j: from the last threshold at most the plain bound (where the
  // LP keeps every task) to the second-largest threshold.
  std::size_t lo = static_cast<std::size_t>(first - theta.begin());
  if (lo == 0) return out;
  --lo;
  std::size_t hi = theta.size() - 1;  // restriction to theta.back() = the full LP

  LpRelaxation lp;
  solve_lp_relaxation(inst, lp);
  ClpSimplex& model = lp.model;
  auto restrict_to = [&](double limit) {
    for (std::size_t c = 0; c < completion.size(); ++c)
      model.setColumnUpper(static_cast<int>(c + 1), completion[c] <= limit ? COIN_DBL_MAX : 0.0);
    model.dual();
    ++out.solves;
    out.iterations += model.numberIterations();
    return model.status() == 0 ? model.objectiveValue() * lp.scale : std::numeric_limits<double>::infinity();
  };
  // Bisection for the last j in [lo, hi) whose restricted optimum exceeds
  // theta_j ("still infeasible at theta_j"). If theta_lo already is not
  // exceeded, no restriction beats the plain bound.
  if (!(restrict_to(theta[lo]) > theta[lo])) return out;
  while (hi - lo > 1) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (restrict_to(theta[mid]) > theta[mid])
      lo = mid;
    else
      hi = mid;
  }
  // The certificate of restriction lo, from its own duals.
  restrict_to(theta[lo]);
  if (model.status() != 0) return out;
  const double c = dual_certificate(inst, model.dualRowSolution(), theta[lo], static_cast<std::uint32_t>(completion.size()) + 1);
  const double candidate = std::min(theta[lo + 1], c);
  if (candidate > out.value) {
    out.value = candidate;
    out.threshold = theta[lo];
    out.restricted = c;
  }
  return out;
}

}  // namespace fastgpu::bound
