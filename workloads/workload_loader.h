#pragma once
// Builds the workload of an experiment from its [workload] spec: the synthetic
// generator, or a trace in one of the registered formats.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cluster_spec.h"
#include "workloads/workload_spec.h"
#include "sim/workload.h"
#include "workloads/trace_reader.h"

namespace fastgpu {

// kind = "synthetic": generate_synthetic(spec.synthetic, cluster, seed);
// kind = "trace": read_trace(spec.format, spec.trace_paths, ...), seed unused.
// The workload is named spec.name, else "synthetic" or the first trace file's
// stem. `report` (optional) receives what a trace reader kept and skipped.
// A trace that kept no job raises an InputError naming the file and why.
Workload load_workload(const WorkloadSpec& spec, const ClusterSpec& cluster, std::uint64_t seed,
                       TraceReadReport* report = nullptr);

// InputError when a trace read from `paths` kept no job: a run or conversion
// of nothing is an error, not an all-zero result. Says how many data rows
// were read and why each was skipped.
void require_jobs_kept(const Workload& w, const std::string& format, const std::vector<std::string>& paths,
                       const TraceReadReport& report);

// InputError naming the trace when a job names a virtual cluster that
// [[cluster.vcs]] does not define (only when the cluster defines VCs: without
// them the trace's VC names are kept but not used).
void require_known_vcs(const Workload& w, const ClusterSpec& cluster, const std::vector<std::string>& paths);

}  // namespace fastgpu
