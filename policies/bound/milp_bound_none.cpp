// solve_milp in a build without COIN-OR Cbc: says how to get it.
#include <stdexcept>

#include "policies/bound/milp_bound.h"

namespace fastgpu::bound {

bool milp_available() { return false; }

MilpResult solve_milp(const ga::EtcInstance&, double, const std::vector<std::uint32_t>&) {
  throw std::runtime_error(
      "this fastgpu was built without COIN-OR Cbc, so it has no MILP solver: install coinor-libcbc-dev "
      "(scripts/setup does) and rebuild, or use --bound lp");
}

}  // namespace fastgpu::bound
