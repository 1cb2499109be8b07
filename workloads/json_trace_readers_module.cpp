// json_trace_readers() of the fastgpu executable: the readers come from the
// module libfastgpu_json.so, loaded on the first call.
#include "workloads/json_trace_readers.h"

#include "sim/module_loader.h"

namespace fastgpu {

const JsonTraceReaders& json_trace_readers() {
  return module_table<JsonTraceReaders>("libfastgpu_json.so", kJsonTraceReadersSymbol, /*global=*/false,
                                        "reading a JSON trace");
}

}  // namespace fastgpu
