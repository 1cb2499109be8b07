#include "sim/policy_params.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/nearest_name.h"

namespace fastgpu {

std::string to_string(const ParamValue& v) {
  struct Visitor {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return fmt::format("{}", i); }
    std::string operator()(double d) const { return fmt::format("{}", d); }
    std::string operator()(const std::string& s) const { return s; }
  };
  return std::visit(Visitor{}, v);
}

namespace {

ParamSpec declared(std::string name, ParamValue default_value, std::string help) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.default_value = std::move(default_value);
  spec.help = std::move(help);
  return spec;
}

}  // namespace

ParamSpec number_param(std::string name, double default_value, double min, double max, std::string help) {
  ParamSpec spec = declared(std::move(name), default_value, std::move(help));
  spec.min = min;
  spec.max = max;
  return spec;
}

ParamSpec integer_param(std::string name, std::int64_t default_value, double min, double max, std::string help) {
  ParamSpec spec = declared(std::move(name), default_value, std::move(help));
  spec.min = min;
  spec.max = max;
  return spec;
}

ParamSpec flag_param(std::string name, bool default_value, std::string help) {
  return declared(std::move(name), default_value, std::move(help));
}

ParamSpec choice_param(std::string name, std::string default_value, std::vector<std::string> choices,
                       std::string help) {
  ParamSpec spec = declared(std::move(name), std::move(default_value), std::move(help));
  spec.choices = std::move(choices);
  return spec;
}

ParamSpec text_param(std::string name, std::string default_value, std::string help) {
  return declared(std::move(name), std::move(default_value), std::move(help));
}

namespace {

const char* type_name(const ParamValue& v) {
  switch (v.index()) {
    case 0: return "a boolean";
    case 1: return "an integer";
    case 2: return "a number";
    default: return "a string";
  }
}

// Converts `value` to the declared type of `spec` (an integer is accepted for
// a number) and checks its range; throws InputError naming the key.
ParamValue checked(const std::string& policy, const ParamSpec& spec, const RawParam& raw) {
  SourceLocation where = raw.where;
  if (where.field.empty()) where.field = fmt::format("policies.{}.{}", policy, spec.name);
  ParamValue value = raw.value;
  if (spec.default_value.index() == 2 && value.index() == 1) value = static_cast<double>(std::get<1>(value));
  if (value.index() != spec.default_value.index()) {
    throw InputError(where, fmt::format("policy '{}' parameter '{}' must be {}, got {}", policy, spec.name,
                                        type_name(spec.default_value), type_name(raw.value)));
  }
  auto check_range = [&](double x) {
    if (!(x >= spec.min && x <= spec.max) || std::isnan(x)) {
      throw InputError(where, fmt::format("policy '{}' parameter '{}' = {} is out of range [{}, {}]", policy,
                                          spec.name, x, spec.min, spec.max));
    }
  };
  if (value.index() == 1) check_range(static_cast<double>(std::get<1>(value)));
  if (value.index() == 2) check_range(std::get<2>(value));
  if (value.index() == 3 && !spec.choices.empty()) {
    const auto& s = std::get<3>(value);
    if (std::find(spec.choices.begin(), spec.choices.end(), s) == spec.choices.end()) {
      throw InputError(where, fmt::format("policy '{}' parameter '{}' = '{}' is not one of: {}{}", policy,
                                          spec.name, s, fmt::join(spec.choices, ", "), did_you_mean(s, spec.choices)));
    }
  }
  return value;
}

}  // namespace

PolicyParams::PolicyParams(const std::string& policy, const std::vector<ParamSpec>& specs, const RawParams& raw) {
  for (const auto& [name, value] : raw) {
    // Captured through a reference: clang 14 (the fuzz build) cannot capture a structured binding.
    auto it = std::find_if(specs.begin(), specs.end(), [&key = name](const ParamSpec& s) { return s.name == key; });
    if (it == specs.end()) {
      std::vector<std::string> known;
      for (const auto& s : specs) known.push_back(s.name);
      SourceLocation where = value.where;
      if (where.field.empty()) where.field = fmt::format("policies.{}.{}", policy, name);
      throw InputError(where, fmt::format("policy '{}' has no parameter '{}'{} (known: {})", policy, name,
                                          did_you_mean(name, known),
                                          known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
    }
    values_[name] = checked(policy, *it, value);
  }
  for (const auto& spec : specs) values_.try_emplace(spec.name, spec.default_value);
}

const ParamValue& PolicyParams::at(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw InternalError(fmt::format("policy parameter '{}' was not declared", name));
  return it->second;
}

double PolicyParams::get_double(const std::string& name) const {
  const ParamValue& v = at(name);
  if (v.index() == 1) return static_cast<double>(std::get<1>(v));
  return std::get<double>(v);
}
std::int64_t PolicyParams::get_int(const std::string& name) const { return std::get<std::int64_t>(at(name)); }
bool PolicyParams::get_bool(const std::string& name) const { return std::get<bool>(at(name)); }
const std::string& PolicyParams::get_string(const std::string& name) const { return std::get<std::string>(at(name)); }

std::map<std::string, std::string> PolicyParams::as_strings() const {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : values_) out[k] = to_string(v);
  return out;
}

}  // namespace fastgpu
