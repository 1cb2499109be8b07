#pragma once
// The built-in policies. Each policy file registers itself with one line,
//   FASTGPU_REGISTER_POLICY(my_policy);   // PolicyInfo my_policy();
// so adding a policy is its .cpp plus its section in docs/policies.md. The
// registrations run during static initialisation; the policies library is
// linked whole-archive so the linker keeps files nothing else refers to.
#include "sim/registry.h"

namespace fastgpu {

// The registry with every built-in policy.
const PolicyRegistry& builtin_policies();

// Adds make() to builtin_policies() when constructed.
struct PolicyRegistrar {
  explicit PolicyRegistrar(PolicyInfo (*make)());
};

}  // namespace fastgpu

#define FASTGPU_REGISTER_POLICY(make) \
  [[maybe_unused]] static const ::fastgpu::PolicyRegistrar make##_registrar { make }
