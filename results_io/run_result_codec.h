#pragma once
// A binary encoding of RunResult, for sending results between the processes
// of a distributed sweep (MPI). Both ends must be the same build on the same
// architecture (plain structs are copied byte for byte); decoding checks a
// magic number, a format version and every length, and throws InternalError
// on anything malformed. Round-trips every field exactly.
#include <string>
#include <string_view>

#include "sim/run_result.h"

namespace fastgpu {

std::string encode_run_result(const RunResult& r);
RunResult decode_run_result(std::string_view bytes);

}  // namespace fastgpu
