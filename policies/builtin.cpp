#include "policies/builtin.h"

namespace fastgpu {

namespace {

// Constructed on first use, so registrars in any file may run first.
PolicyRegistry& registry() {
  static PolicyRegistry r;
  return r;
}

}  // namespace

PolicyRegistrar::PolicyRegistrar(PolicyInfo (*make)()) { registry().add(make()); }

const PolicyRegistry& builtin_policies() { return registry(); }

}  // namespace fastgpu
