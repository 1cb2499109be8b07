#pragma once
// Error types. Every error a user can cause is an InputError (exit code 2) that
// names where it came from: file, line and field, or config key. Errors inside
// the simulator (a policy issuing an invalid action, a broken invariant) are
// InternalError (exit code 1).
#include <cstddef>
#include <stdexcept>
#include <string>

namespace fastgpu {

struct SourceLocation {
  std::string file;       // path as given by the user; may be empty
  std::size_t line = 0;   // 1-based; 0 = unknown
  std::string field;      // column, JSON field or config key; may be empty
};

std::string describe(const SourceLocation& where);  // "file:line: field 'x'"

class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, const std::string& what);
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
  const SourceLocation& where() const { return where_; }

 private:
  SourceLocation where_;
};

class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// A policy asked for something the engine refuses (starting a running job,
// using a busy GPU, ...). Names the policy so the culprit is obvious.
class PolicyError : public InternalError {
 public:
  using InternalError::InternalError;
};

}  // namespace fastgpu
