#include "policies/bound/lp_relaxation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace fastgpu::bound {

void solve_lp_relaxation(const ga::EtcInstance& inst, LpRelaxation& lp) {
  const std::uint32_t T = inst.tasks, M = inst.machines;
  double largest = 0;
  for (std::uint32_t m = 0; m < M; ++m) largest = std::max(largest, inst.to_time(inst.ready[m]));
  for (ga::Ticks e : inst.etc) largest = std::max(largest, inst.to_time(e));
  lp.scale = largest > 0 ? std::exp2(std::ceil(std::log2(largest))) : 1.0;

  const double inf = COIN_DBL_MAX;
  std::vector<CoinBigIndex> start{0};
  std::vector<int> index;
  std::vector<double> value, col_lo, col_hi, objective, row_lo, row_hi;
  for (std::uint32_t m = 0; m < M; ++m) {
    index.push_back(static_cast<int>(m));
    value.push_back(1.0);
  }
  start.push_back(static_cast<CoinBigIndex>(index.size()));
  col_lo.push_back(0), col_hi.push_back(inf), objective.push_back(1.0);
  for (std::uint32_t t = 0; t < T; ++t) {
    for (std::uint32_t s : inst.slots(t)) {
      const double p = inst.to_time(inst.etc_at(t, s)) / lp.scale;
      for (std::uint32_t m = s; m < s + inst.width[t]; ++m) {
        index.push_back(static_cast<int>(m));
        value.push_back(-p);
      }
      index.push_back(static_cast<int>(M + t));
      value.push_back(1.0);
      start.push_back(static_cast<CoinBigIndex>(index.size()));
      col_lo.push_back(0), col_hi.push_back(inf), objective.push_back(0.0);
    }
  }
  for (std::uint32_t m = 0; m < M; ++m) row_lo.push_back(inst.to_time(inst.ready[m]) / lp.scale), row_hi.push_back(inf);
  for (std::uint32_t t = 0; t < T; ++t) row_lo.push_back(1.0), row_hi.push_back(1.0);
  lp.rows = M + T;
  lp.columns = static_cast<std::uint32_t>(objective.size());

  ClpSimplex& model = lp.model;
  model.setLogLevel(0);
  // Tight tolerances: the bound's certificate is only as close to the LP
  // optimum as the duals are optimal.
  model.setPrimalTolerance(1e-10);
  model.setDualTolerance(1e-10);
  model.loadProblem(static_cast<int>(lp.columns), static_cast<int>(lp.rows), start.data(), index.data(), value.data(),
                    col_lo.data(), col_hi.data(), objective.data(), row_lo.data(), row_hi.data());
  model.dual();
  if (model.status() != 0)
    throw std::runtime_error("LP relaxation: Clp ended with status " + std::to_string(model.status()) +
                             " instead of an optimum");
}

}  // namespace fastgpu::bound
