#pragma once
// Policies by name. Each policy file registers its PolicyInfo with the
// built-in registry itself (FASTGPU_REGISTER_POLICY, policies/builtin.h).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/policy.h"
#include "sim/policy_params.h"

namespace fastgpu {

struct PolicyInfo {
  std::string name;                 // registry name, e.g. "easy-backfill"
  std::string summary;              // one line
  std::string source;               // where the strategy comes from: the idea, or its published origin
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<Policy>(const PolicyParams&)> create;
};

class PolicyRegistry {
 public:
  void add(PolicyInfo info);        // keeps names sorted; throws InternalError on a duplicate name
  const PolicyInfo* find(const std::string& name) const;
  const PolicyInfo& at(const std::string& name) const;  // InputError listing the known names
  std::vector<std::string> names() const;               // sorted
  const std::vector<PolicyInfo>& all() const { return policies_; }  // sorted by name

  // Validates parameters and builds the policy.
  std::unique_ptr<Policy> create(const std::string& name, const RawParams& raw,
                                 PolicyParams* resolved = nullptr) const;

 private:
  std::vector<PolicyInfo> policies_;
};

}  // namespace fastgpu
