#pragma once
// One job object of a Philly trace as found in the file, read in one pass
// over its members (in file order) and checked afterwards by the reader in
// philly_trace.cpp, in a fixed order, so that which error a bad job reports
// does not depend on the order of its members. Every value is checked for
// JSON syntax; strings and numbers are kept, positions are kept as pointers
// into the file (line numbers are only worked out for an error).
// Internal to the workloads library.
#include <cstdint>
#include <string_view>
#include <vector>

#include "workloads/json_documents.h"

namespace fastgpu::philly {

// A member of an object; `at` points at its value.
struct Member {
  bool present = false;
  json::ondemand::json_type type = json::ondemand::json_type::null;
  std::string_view text;  // string values (into the file, or simdjson's buffer when escaped)
  double number = 0;      // number values
  const char* at = nullptr;
};

// One element of `attempts`.
struct AttemptRecord {
  const char* at = nullptr;
  bool is_object = false;
  Member start_time, end_time, detail;
  const char* bad_machine = nullptr;  // the first machine without a 'gpus' array
  std::uint32_t gpus = 0;             // GPUs listed in `detail`
};

struct JobRecord {
  const char* at = nullptr;
  Member jobid, id, submitted_time, attempts, num_gpus, user, status, runtime, vc;
  std::vector<AttemptRecord> attempt_list;
};

// Reads the job object `v` into `r` (reusing r's attempt list); an
// InputError for JSON that is not well-formed. `v` must be an object.
void read_job_record(json::Documents& in, json::ondemand::value& v, JobRecord& r);

}  // namespace fastgpu::philly
