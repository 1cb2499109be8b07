#pragma once
#include "sim/registry.h"

namespace fastgpu {

// The registry with every built-in policy (one registration line each in builtin.cpp).
const PolicyRegistry& builtin_policies();

}  // namespace fastgpu
