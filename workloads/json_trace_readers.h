#pragma once
// The readers of JSON traces, the only code linked with simdjson, as a table
// of functions. simdjson is a shared library that needs the shared C++
// runtime, which the fastgpu executable does not load (it carries its own,
// docs/performance.md#start-up): the executable loads the readers from a
// module of their own (libfastgpu_json.so, next to it) on the first JSON
// trace it reads. Every other program (tests, benchmarks, the Python module)
// links them. Which one a program gets is chosen by the build
// (workloads/CMakeLists.txt).
#include <string>
#include <vector>

#include "workloads/trace_reader.h"

namespace fastgpu {

using JsonTraceReaderFn = void (*)(const std::vector<std::string>& paths, const TraceReadOptions& options,
                                   Workload& out, TraceReadReport& report);

struct JsonTraceReaders {
  JsonTraceReaderFn philly;
};

// The readers, linked or loaded on the first call (InputError when the
// module cannot be loaded).
const JsonTraceReaders& json_trace_readers();

// The readers themselves (workloads/philly_trace.cpp): programs call them
// through json_trace_readers().
void read_philly(const std::vector<std::string>& paths, const TraceReadOptions& options, Workload& out,
                 TraceReadReport& report);

// The module's function that returns its table (sim/module_loader.h).
inline constexpr const char* kJsonTraceReadersSymbol = "fastgpu_json_trace_readers";

}  // namespace fastgpu
