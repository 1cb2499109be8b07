#pragma once
// Parameter declarations several policies share, declared once here so the
// name, default, range and help text are the same in every policy.
#include <memory>
#include <string>

#include "sim/policy_params.h"

namespace fastgpu {

class Placement;

// `placement`: which GPUs a job gets (any name of placement_names()).
ParamSpec placement_param(std::string help = "which GPUs a job gets");
// `consolidate` and `spread_after`: every policy that takes `placement` takes
// these too (see policies/consolidation.h).
ParamSpec consolidate_param();
ParamSpec spread_after_param();
// The placement named by `placement`, with the consolidation of `consolidate`
// and `spread_after`.
std::unique_ptr<Placement> make_placement(const PolicyParams& params);
// `max_scan`: running jobs a preempting policy examines as victims per blocked job.
ParamSpec max_scan_param();

}  // namespace fastgpu
