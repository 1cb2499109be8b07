#pragma once
// The MILP of R||Cmax (the LP of lp_relaxation.h with every x(t,k) binary),
// solved for a bounded time with COIN-OR Cbc (Debian coinor-libcbc-dev, an
// optional dependency): the best lower bound Cbc proves and the best
// assignment it finds. Without Cbc the build still has this interface, and
// milp_available() is false.
//
// The integer model has the LP's machine rows, so for gang tasks it ignores
// that a gang's machines start together: its optimum is still a lower bound,
// and its best assignment is decoded (list scheduling) before it is reported.
#include <cstdint>
#include <vector>

#include "policies/ga/etc_instance.h"

namespace fastgpu::bound {

struct MilpResult {
  double lower_bound = 0;                 // Cbc's best proven bound (time units)
  bool has_solution = false;
  std::vector<std::uint32_t> assignment;  // Cbc's best integer solution, a slot per task
  double solution_objective = 0;          // its objective in the MILP (largest machine row)
  bool proven_optimal = false;
  int nodes = 0;                          // branch-and-bound nodes
  double seconds = 0;                     // wall time of the solve
};

// True when fastgpu was built with Cbc.
bool milp_available();

// Runs Cbc (its default cuts and heuristics, one thread) for at most
// `seconds` of wall time. `start` (optional, a valid assignment) is given to
// Cbc as the incumbent. Throws std::runtime_error without Cbc or when Cbc
// fails.
MilpResult solve_milp(const ga::EtcInstance& inst, double seconds, const std::vector<std::uint32_t>& start = {});

}  // namespace fastgpu::bound
