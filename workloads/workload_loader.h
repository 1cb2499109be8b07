#pragma once
// Builds the workload of an experiment from its [workload] spec: the synthetic
// generator, or a trace in one of the registered formats.
#include <cstdint>

#include "sim/cluster_spec.h"
#include "workloads/workload_spec.h"
#include "sim/workload.h"
#include "workloads/trace_reader.h"

namespace fastgpu {

// kind = "synthetic": generate_synthetic(spec.synthetic, cluster, seed);
// kind = "trace": read_trace(spec.format, spec.trace_paths, ...), seed unused.
// The workload is named spec.name, else "synthetic" or the first trace file's
// stem. `report` (optional) receives what a trace reader kept and skipped.
Workload load_workload(const WorkloadSpec& spec, const ClusterSpec& cluster, std::uint64_t seed,
                       TraceReadReport* report = nullptr);

}  // namespace fastgpu
