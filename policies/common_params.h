#pragma once
// Parameter declarations several policies share, declared once here so the
// name, default, range and help text are the same in every policy.
#include <string>

#include "sim/policy_params.h"

namespace fastgpu {

// `placement`: which GPUs a job gets (any name of placement_names()).
ParamSpec placement_param(std::string help = "which GPUs a job gets");
// `max_scan`: running jobs a preempting policy examines as victims per blocked job.
ParamSpec max_scan_param();

}  // namespace fastgpu
