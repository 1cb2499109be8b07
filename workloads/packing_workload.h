#pragma once
// Reading a packing workload (sim/packing.h) from Alibaba's openb lists:
//  - node list openb_node_list_*.csv: sn,cpu_milli,memory_mib,gpu,model
//    (nodes with gpu = 0 are kept: CPU-only pods can run there);
//  - pod list openb_pod_list_*.csv: cpu_milli,memory_mib,num_gpu,gpu_milli
//    and optionally name, gpu_spec ("A|B": allowed GPU models; empty = any)
//    and the times, which a packing run does not use (the lists made for
//    packing have none).
// Every pod of the list is kept, whatever its phase: the list is the
// population pods are drawn from. A gpu_spec naming only models absent from
// the node list makes a pod that fits nowhere (counted as unplaceable).
// Malformed rows are InputErrors naming the file, line and field.
#include <string>

#include "sim/packing.h"

namespace fastgpu {

// Nodes and their GPU models.
void read_packing_nodes(const std::string& path, PackingWorkload& out);
// Pods, with gpu_spec resolved against out.models (read the nodes first).
void read_packing_pods(const std::string& path, PackingWorkload& out);
// Both; the workload is named after the pod list's file stem.
PackingWorkload load_packing_workload(const std::string& pod_list, const std::string& node_list);

}  // namespace fastgpu
