#include "sim/registry.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/nearest_name.h"

namespace fastgpu {

void PolicyRegistry::add(PolicyInfo info) {
  if (find(info.name)) throw InternalError(fmt::format("policy '{}' registered twice", info.name));
  // Sorted, so the order does not depend on the order registrations run in.
  auto at = std::lower_bound(policies_.begin(), policies_.end(), info.name,
                             [](const PolicyInfo& p, const std::string& name) { return p.name < name; });
  policies_.insert(at, std::move(info));
}

const PolicyInfo* PolicyRegistry::find(const std::string& name) const {
  auto it = std::find_if(policies_.begin(), policies_.end(), [&](const PolicyInfo& p) { return p.name == name; });
  return it == policies_.end() ? nullptr : &*it;
}

const PolicyInfo& PolicyRegistry::at(const std::string& name) const {
  if (const PolicyInfo* info = find(name)) return *info;
  throw InputError(fmt::format("unknown policy '{}'{} (known: {})", name, did_you_mean(name, names()),
                               fmt::join(names(), ", ")));
}

std::vector<std::string> PolicyRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& p : policies_) out.push_back(p.name);
  std::sort(out.begin(), out.end());
  return out;
}

std::unique_ptr<Policy> PolicyRegistry::create(const std::string& name, const RawParams& raw,
                                               PolicyParams* resolved) const {
  const PolicyInfo& info = at(name);
  PolicyParams params(name, info.params, raw);
  auto policy = info.create(params);
  if (resolved) *resolved = std::move(params);
  return policy;
}

}  // namespace fastgpu
