#include "policies/packing_placements.h"

#include <algorithm>

#include <fmt/format.h>

#include "policies/packing_baselines.h"
#include "policies/packing_fgd.h"
#include "sim/error.h"

namespace fastgpu {

const std::vector<std::string>& packing_placement_names() {
  static const std::vector<std::string> names{"fgd", "best-fit", "dot-product", "gpu-packing", "gpu-clustering",
                                              "random"};
  return names;
}

bool is_packing_placement(const std::string& name) {
  const auto& names = packing_placement_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::unique_ptr<PackingPlacement> make_packing_placement(const std::string& name, const PackingWorkload& workload,
                                                         const PodShapes& shapes, std::uint64_t seed) {
  if (name == "fgd") return std::make_unique<FgdPackingPlacement>(workload, shapes);
  if (auto p = make_packing_baseline(name, workload, seed)) return p;
  throw InputError(fmt::format("unknown packing placement '{}' (known: {})", name,
                               fmt::join(packing_placement_names(), ", ")));
}

}  // namespace fastgpu
