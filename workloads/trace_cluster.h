#pragma once
// Cluster descriptions that come with traces, turned into a ClusterSpec:
//  - Alibaba 2023 "openb" node list (openb_node_list_*.csv:
//    sn,cpu_milli,memory_mib,gpu,model): one node group per (model, GPUs per
//    node); CPU-only nodes (gpu = 0) are left out;
//  - Philly `cluster_machine_list` (machineId,number of GPUs,single GPU mem,
//    e.g. "m31,8, 24GB"): one node group per (GPUs per node, GPU memory);
//  - Alea's SWF machine description (*.swf.machines, TAB-separated
//    cluster_id name nodes cpus_per_node speed ram_kb), with processors
//    turned into GPUs by gpus_per_proc as the SWF reader does.
// GPU types get speed, memory, power and price from known_gpu_type() (the
// table and its sources are in trace_cluster.cpp and docs/trace-formats.md).
// Errors are InputErrors naming file, line and field.
#include <string>
#include <vector>

#include "sim/cluster_spec.h"

namespace fastgpu {

// The documented properties of a GPU model met in public traces ("V100M32",
// "T4", "P100", "A10", "G1".."G3", "P100-12GB", "P40-24GB", "MISC", ...);
// unknown names get the reference type's values (speed 1.0) under that name.
// `known` (optional) says whether the name was in the table.
GpuType known_gpu_type(const std::string& name, bool* known = nullptr);

ClusterSpec cluster_from_openb_nodes(const std::string& path);
ClusterSpec cluster_from_philly_machines(const std::string& path);
ClusterSpec cluster_from_alea_machines(const std::string& path, double gpus_per_proc = 1.0);

// By the trace format the file belongs to: "alibaba2023" (node list),
// "philly" (machine list) or "swf" (Alea machines file). InputError for
// other formats.
ClusterSpec cluster_from_trace(const std::string& format, const std::string& path, double gpus_per_proc = 1.0);

// The cluster as a TOML [cluster] table (gpu_types and nodes), for configs.
std::string cluster_to_toml(const ClusterSpec& cluster);

}  // namespace fastgpu
