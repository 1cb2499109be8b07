#include "policies/common_params.h"

#include "policies/placement.h"

namespace fastgpu {

ParamSpec placement_param(std::string help) {
  return choice_param("placement", "first-fit", placement_names(), std::move(help));
}

ParamSpec consolidate_param() {
  return flag_param("consolidate", false,
                    "a gang that fits one node waits for one node; a larger gang takes the fewest whole nodes");
}

ParamSpec spread_after_param() {
  return number_param("spread_after", -1, -1, kUnbounded,
                      "consolidate = true: seconds after submit from which a waiting gang may spread anyway "
                      "(-1 = never)");
}

std::unique_ptr<Placement> make_placement(const PolicyParams& params) {
  auto placement = make_placement(params.get_string("placement"));
  placement->set_consolidation(
      Consolidation{.on = params.get_bool("consolidate"), .spread_after = params.get_double("spread_after")});
  return placement;
}

ParamSpec max_scan_param() {
  return integer_param("max_scan", 64, 1, 1e6, "running jobs examined as victims per blocked job (jobs)");
}

}  // namespace fastgpu
