#include "policies/common_params.h"

#include "policies/placement.h"

namespace fastgpu {

ParamSpec placement_param(std::string help) {
  return choice_param("placement", "first-fit", placement_names(), std::move(help));
}

ParamSpec max_scan_param() {
  return integer_param("max_scan", 64, 1, 1e6, "running jobs examined as victims per blocked job (jobs)");
}

}  // namespace fastgpu
