// solve_milp with COIN-OR Cbc: the LP of lp_relaxation.h, its task columns
// made integer, solved by Cbc's standard driver (CbcMain0/CbcMain1: default
// cuts and primal heuristics) under a time limit.
#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <CbcModel.hpp>
#include <OsiClpSolverInterface.hpp>

#include "policies/bound/lp_relaxation.h"
#include "policies/bound/milp_bound.h"

namespace fastgpu::bound {

bool milp_available() { return true; }

MilpResult solve_milp(const ga::EtcInstance& inst, double seconds, const std::vector<std::uint32_t>& start) {
  if (!(seconds > 0)) throw std::invalid_argument("MILP: the time limit must be positive");
  const auto t0 = std::chrono::steady_clock::now();
  LpRelaxation lp;
  solve_lp_relaxation(inst, lp);
  // A fresh solver on a copy of the LP's data (sharing the solved model's
  // scaling state trips Clp's assertions); its LP is re-solved inside Cbc.
  const ClpSimplex& m = lp.model;
  OsiClpSolverInterface solver;
  solver.loadProblem(*m.matrix(), m.columnLower(), m.columnUpper(), m.objective(), m.rowLower(), m.rowUpper());
  solver.messageHandler()->setLogLevel(0);
  for (std::uint32_t c = 1; c < lp.columns; ++c) solver.setInteger(static_cast<int>(c));
  CbcModel model(solver);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);

  if (!start.empty()) {
    // The incumbent: x = 1 on its slot, C = its largest machine row.
    std::vector<double> x(lp.columns, 0.0), row(inst.machines, 0.0);
    for (std::uint32_t m = 0; m < inst.machines; ++m) row[m] = inst.to_time(inst.ready[m]) / lp.scale;
    std::uint32_t col = 1;
    for (std::uint32_t t = 0; t < inst.tasks; ++t)
      for (std::uint32_t s : inst.slots(t)) {
        if (s == start[t]) {
          x[col] = 1.0;
          for (std::uint32_t m = s; m < s + inst.width[t]; ++m) row[m] += inst.to_time(inst.etc_at(t, s)) / lp.scale;
        }
        ++col;
      }
    x[0] = *std::max_element(row.begin(), row.end());
    model.setBestSolution(x.data(), static_cast<int>(lp.columns), x[0], true);
  }

  CbcMain0(model);
  const std::string limit = std::to_string(seconds);
  const char* argv[] = {"fastgpu", "-log", "0", "-timeMode", "elapsed", "-seconds", limit.c_str(), "-solve", "-quit"};
  CbcMain1(static_cast<int>(sizeof argv / sizeof argv[0]), argv, model);

  MilpResult out;
  out.lower_bound = model.getBestPossibleObjValue() * lp.scale;
  out.proven_optimal = model.isProvenOptimal();
  out.nodes = model.getNodeCount();
  if (const double* best = model.bestSolution()) {
    out.has_solution = true;
    out.solution_objective = model.getObjValue() * lp.scale;
    out.assignment.assign(inst.tasks, 0);
    std::uint32_t col = 1;
    for (std::uint32_t t = 0; t < inst.tasks; ++t) {
      double top = -1;
      for (std::uint32_t s : inst.slots(t)) {
        if (best[col] > top) top = best[col], out.assignment[t] = s;
        ++col;
      }
    }
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace fastgpu::bound
