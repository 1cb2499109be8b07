#pragma once
// The built-in policies. Each policy file registers itself with one line,
//   FASTGPU_REGISTER_POLICY(my_policy);   // PolicyInfo my_policy();
// so adding a policy is its .cpp plus its section in docs/policies.md. The
// registrations run during static initialisation; the policies library is
// linked whole-archive so the linker keeps files nothing else refers to.
#include "sim/registry.h"

namespace fastgpu {

// The registry with every built-in policy, and those added at run time.
const PolicyRegistry& builtin_policies();

// Adds a policy at run time (from a plugin or a Python class), under the same
// name rules as the built-ins: InputError when the name is taken. Not
// synchronised with readers: register before running experiments.
void register_policy(PolicyInfo info);

// Adds make() to builtin_policies() when constructed.
struct PolicyRegistrar {
  explicit PolicyRegistrar(PolicyInfo (*make)());
};

}  // namespace fastgpu

#define FASTGPU_REGISTER_POLICY(make) \
  [[maybe_unused]] static const ::fastgpu::PolicyRegistrar make##_registrar { make }
