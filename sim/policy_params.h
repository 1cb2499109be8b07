#pragma once
// Declared parameters of a policy and the validated values a run uses. A
// policy declares each parameter once (name, default, range, help); config
// values are checked against the declaration, so an unknown name or an
// out-of-range value is an InputError naming the config key.
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "sim/error.h"

namespace fastgpu {

using ParamValue = std::variant<bool, std::int64_t, double, std::string>;

std::string to_string(const ParamValue& v);

struct ParamSpec {
  std::string name;
  ParamValue default_value;
  std::string help;                   // one line; say the unit
  double min = -1e300, max = 1e300;   // for numbers (inclusive); +-1e300 = unbounded
  std::vector<std::string> choices{}; // for strings; empty = free text (the {} lets initializers omit it)
};

// No bound on that side of a number's range.
inline constexpr double kUnbounded = 1e300;

// Declarations by kind, so a policy states only what matters for each
// parameter (the unused fields keep their neutral defaults).
ParamSpec number_param(std::string name, double default_value, double min, double max, std::string help);
ParamSpec integer_param(std::string name, std::int64_t default_value, double min, double max, std::string help);
ParamSpec flag_param(std::string name, bool default_value, std::string help);
ParamSpec choice_param(std::string name, std::string default_value, std::vector<std::string> choices,
                       std::string help);
ParamSpec text_param(std::string name, std::string default_value, std::string help);

// A parameter value as written by the user, with where it was written.
struct RawParam {
  ParamValue value;
  SourceLocation where;
};
using RawParams = std::map<std::string, RawParam>;

class PolicyParams {
 public:
  PolicyParams() = default;
  // Validates `raw` against `specs` and fills in defaults. `policy` names the
  // policy in error messages. Integers are accepted where doubles are declared.
  PolicyParams(const std::string& policy, const std::vector<ParamSpec>& specs, const RawParams& raw);

  double get_double(const std::string& name) const;
  std::int64_t get_int(const std::string& name) const;
  bool get_bool(const std::string& name) const;
  const std::string& get_string(const std::string& name) const;
  // Every parameter, formatted, for HDF5 attributes and logs.
  std::map<std::string, std::string> as_strings() const;

 private:
  const ParamValue& at(const std::string& name) const;
  std::map<std::string, ParamValue> values_;
};

}  // namespace fastgpu
