#include "policies/bound/lp_seed.h"

#include <algorithm>
#include <numeric>

#include "policies/bound/lp_relaxation.h"

namespace fastgpu::bound {

LpSeed lp_rounded_assignment(const ga::EtcInstance& inst) {
  inst.validate();
  const std::uint32_t T = inst.tasks;
  LpRelaxation lp;
  solve_lp_relaxation(inst, lp);
  LpSeed out;
  out.lp_objective = lp.model.objectiveValue() * lp.scale;
  const double* x = lp.model.primalColumnSolution();

  // A share this close to 1 is a whole task (the solver's tolerance is 1e-10).
  constexpr double kWhole = 1.0 - 1e-7;
  out.assignment.assign(T, 0);
  std::vector<ga::Ticks> load(inst.ready.begin(), inst.ready.end());
  std::vector<std::uint32_t> split;
  std::vector<std::uint32_t> first_column(T);
  std::uint32_t column = 1;  // column 0 is C
  for (std::uint32_t t = 0; t < T; ++t) {
    first_column[t] = column;
    const auto slots = inst.slots(t);
    std::uint32_t best = 0;
    for (std::uint32_t i = 1; i < slots.size(); ++i)
      if (x[column + i] > x[column + best]) best = i;
    out.assignment[t] = slots[best];
    if (x[column + best] >= kWhole) {
      for (std::uint32_t m = slots[best]; m < slots[best] + inst.width[t]; ++m) load[m] += inst.etc_at(t, slots[best]);
    } else {
      split.push_back(t);
    }
    column += static_cast<std::uint32_t>(slots.size());
  }
  out.split_tasks = static_cast<std::uint32_t>(split.size());

  // Largest first (by the task's shortest ETC), so the small ones fill the gaps.
  auto shortest = [&](std::uint32_t t) {
    ga::Ticks s = inst.etc_at(t, inst.slots(t)[0]);
    for (std::uint32_t k : inst.slots(t)) s = std::min(s, inst.etc_at(t, k));
    return s;
  };
  std::stable_sort(split.begin(), split.end(), [&](std::uint32_t a, std::uint32_t b) { return shortest(a) > shortest(b); });
  for (std::uint32_t t : split) {
    const auto slots = inst.slots(t);
    const std::uint32_t w = inst.width[t];
    std::uint32_t best = 0;
    ga::Ticks best_finish = 0;
    for (std::uint32_t i = 0; i < slots.size(); ++i) {
      ga::Ticks start = 0;
      for (std::uint32_t m = slots[i]; m < slots[i] + w; ++m) start = std::max(start, load[m]);
      const ga::Ticks finish = start + inst.etc_at(t, slots[i]);
      const bool better = i == 0 || finish < best_finish ||
                          (finish == best_finish && x[first_column[t] + i] > x[first_column[t] + best]);
      if (better) best = i, best_finish = finish;
    }
    out.assignment[t] = slots[best];
    for (std::uint32_t m = slots[best]; m < slots[best] + w; ++m) load[m] = best_finish;
  }
  return out;
}

}  // namespace fastgpu::bound
