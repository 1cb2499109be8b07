#pragma once
// A schedule rounded from the LP relaxation of R||Cmax (lp_relaxation.h), used
// to seed the GA (`fastgpu solve --lp-seed on`). A basic optimal solution of the
// LP splits at most M - 1 tasks between slots (M = machines: the basis has T + M
// columns, C and one per task among them); every other task sits whole on one
// slot. Rounding keeps the whole tasks where the LP put them,
// then places the split ones, largest first, each on the allowed slot where it
// would finish earliest given the loads so far (ties: the slot with the larger
// LP share, then the first). Loads are ready time + ETC, so the result is within
// the split tasks' ETCs of the LP optimum, and usually far closer.
#include <cstdint>
#include <vector>

#include "policies/ga/etc_instance.h"

namespace fastgpu::bound {

struct LpSeed {
  std::vector<std::uint32_t> assignment;  // slot per task
  std::uint32_t split_tasks = 0;          // tasks the LP split between slots
  double lp_objective = 0;                // the LP optimum, time units
};

// Throws std::runtime_error when Clp does not reach an optimum.
LpSeed lp_rounded_assignment(const ga::EtcInstance& inst);

}  // namespace fastgpu::bound
