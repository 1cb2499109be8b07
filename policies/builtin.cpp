#include "policies/builtin.h"

#include <fmt/format.h>

#include "sim/error.h"

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

void register_policy(PolicyInfo info) {
  if (info.name.empty() || !info.create) throw InputError("a policy needs a name and a factory");
  if (registry().find(info.name)) throw InputError(fmt::format("policy '{}' is already registered", info.name));
  registry().add(std::move(info));
}

}  // namespace fastgpu
