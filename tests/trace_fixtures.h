#pragma once
// Helpers for the trace-reader tests: a scratch directory the tests write
// their fixtures into, and shortcuts for reading a trace and catching the
// InputError it raises.
#include "source_paths.h"
#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/error.h"
#include "tests/scratch_dir.h"
#include "workloads/trace_reader.h"

namespace fastgpu::testing {

// The scratch directory the trace tests write their fixtures into.
using TempDir = ScratchDir;

struct ReadResult {
  Workload workload;
  TraceReadReport report;
};

inline ReadResult read(const std::string& format, const std::vector<std::string>& paths,
                       const TraceReadOptions& options = {}) {
  ReadResult r;
  r.workload = read_trace(format, paths, options, &r.report);
  return r;
}

// The InputError raised while reading, or a default one (with an empty
// message) when reading succeeded.
inline InputError read_error(const std::string& format, const std::vector<std::string>& paths,
                             const TraceReadOptions& options = {}) {
  try {
    read_trace(format, paths, options);
  } catch (const InputError& e) {
    return e;
  }
  return InputError(SourceLocation{}, "");
}

inline TraceReadOptions strict() {
  TraceReadOptions o;
  o.strict = true;
  return o;
}
inline TraceReadOptions skip_bad() {
  TraceReadOptions o;
  o.skip_bad_rows = true;
  return o;
}

// Path of a sample shipped in the repository's data/ folder (data/*/README.md
// say where each comes from). The samples are part of the repository, so a
// missing one is an error, not a skip.
inline std::string sample(const std::string& relative) {
  std::filesystem::path p = std::filesystem::path(fastgpu::test::source_dir()) / "data" / relative;
  if (!std::filesystem::exists(p)) throw std::runtime_error("shipped sample missing: " + p.string());
  return p.string();
}

// Path of a file in ../shared/data, or "" when the samples are absent.
inline std::string shared_data(const std::string& relative) {
  std::filesystem::path p = std::filesystem::path(fastgpu::test::shared_data_dir()) / relative;
  return std::filesystem::exists(p) ? p.string() : std::string();
}

inline bool has_assumption(const TraceReadReport& r, const std::string& needle) {
  for (const auto& a : r.assumptions)
    if (a.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace fastgpu::testing
