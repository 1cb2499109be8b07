// json_trace_readers() of a program linked with the JSON readers, and the
// getter the module exports (the module is this file and the readers).
#include "workloads/json_trace_readers.h"

namespace fastgpu {

namespace {
constexpr JsonTraceReaders kLinked{.philly = &read_philly};
}  // namespace

const JsonTraceReaders& json_trace_readers() { return kLinked; }

}  // namespace fastgpu

extern "C" __attribute__((visibility("default"))) const fastgpu::JsonTraceReaders* fastgpu_json_trace_readers() {
  return &fastgpu::json_trace_readers();
}
