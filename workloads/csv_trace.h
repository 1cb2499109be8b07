#pragma once
// fastgpu's native CSV trace format (docs/trace-formats.md, "fastgpu CSV"):
// a header row naming the columns (any order), one job per row. Required
// columns: id, submit, num_gpus, work; the others are optional and an empty
// cell means "default / unknown". Units: seconds, GPUs, GB.
#include <string>
#include <vector>

#include "sim/workload.h"
#include "workloads/trace_reader.h"

namespace fastgpu {

// The column names, in the order the writer emits them.
const std::vector<std::string>& csv_trace_columns();

// Reader registered as format "csv". Appends the jobs of every file in `paths`
// to `out` (not finalized). Malformed rows are InputErrors naming file, line
// and field, or, with options.skip_bad_rows (and not options.strict), skipped
// and counted in report.skipped["malformed <field>"].
void read_csv_trace(const std::vector<std::string>& paths, const TraceReadOptions& options, Workload& out,
                    TraceReadReport& report);

// Writes every job with all the columns needed to read it back identically
// (doubles in shortest round-trip form), to `path`.tmp and then renamed.
// The `user`, `name` and `failed_attempts` columns are written only when the
// workload has users, job names or failed attempts. Throws InputError if the file cannot be written.
void write_csv_trace(const Workload& workload, const std::string& path);

}  // namespace fastgpu
