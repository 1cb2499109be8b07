#pragma once
// Readers of published production traces and of other simulators' workloads.
// Each lives in its own file (workloads/<name>_trace.cpp) and is registered in
// trace_formats.cpp by one line. docs/trace-formats.md documents, per format,
// the fields used, the mapping onto fastgpu's Job, the skip rules and the
// assumptions; every reader also lists its assumptions in
// TraceReadReport::assumptions.
//
// Common rules (all readers):
//  - times become seconds from the first submit among the kept jobs;
//  - work = the recorded run time (seconds), read as the run time on the
//    reference GPU type (speed 1.0): traces do not say how fast their GPUs were;
//  - a job that cannot be replayed (no GPU, never started, unfinished, missing,
//    zero or negative run time) is skipped under a stated reason and counted in
//    report.skipped; options.strict turns the first such job into an InputError
//    naming file, line and field;
//  - a malformed row (bad number, wrong column count, bad UTF-8) is an
//    InputError naming file, line and field, or with options.skip_bad_rows
//    counted as "malformed row"; JSON syntax errors are always errors;
//  - trace ids that are not plain integers go to Workload::job_names, and
//    Job::id is then the row's position (0, 1, ...) in the input;
//  - the reader appends to `out` without finalizing it.
#include "workloads/trace_reader.h"

namespace fastgpu {

TraceFormat philly_trace_format();       // "philly" (json_trace_formats.cpp: through json_trace_readers())
TraceFormat alibaba2020_trace_format();  // "alibaba2020"
TraceFormat alibaba2023_trace_format();  // "alibaba2023"
TraceFormat helios_trace_format();       // "helios"
TraceFormat swf_trace_format();          // "swf"
TraceFormat gavel_trace_format();        // "gavel"
TraceFormat tiresias_trace_format();     // "tiresias"

}  // namespace fastgpu
